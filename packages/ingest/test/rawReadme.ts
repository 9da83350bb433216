/**
 * The sample raw logs in `../shared/data/raw` and the user-days their README lists after the notebook KQL's
 * exclusions: the independent truth of the raw-event tests.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import type { UserDay } from '../src/index.js';
import { sharedRoot } from './support.js';

export const rawDir = path.join(sharedRoot, 'data', 'raw');
/** The binary sample log. */
export const sampleEvtx = path.join(rawDir, 'omerbenamram-evtx__Security_with_size_t.evtx');
/** The JSON-lines versions of the two samples, by the name the README tables use for them. */
export const derived = {
  Security_with_size_t: path.join(rawDir, 'derived', 'omerbenamram-evtx__Security_with_size_t.jsonl'),
  covenant_psremoting_grunt: path.join(rawDir, 'derived', 'otrf__covenant_psremoting_grunt__host.security.jsonl'),
};

/** One row of the README's "After the notebook KQL's exclusions" table. */
export interface ExpectedUserDay {
  file: keyof typeof derived;
  date: number;
  domain: string;
  user: string;
  /** By README column name: [placeholders counted, placeholders ignored]. */
  numbers: Record<string, [number, number]>;
}

/** Parses the expected user-days from the data README, `a / b` cells included. */
export function expectedUserDays(): ExpectedUserDay[] {
  const readme = readFileSync(path.join(rawDir, 'README.md'), 'utf8');
  const section = readme.slice(readme.indexOf("### After the notebook KQL's exclusions"));
  const lines = section.split('\n').filter((l) => l.startsWith('|'));
  const header = lines[0]!
    .split('|')
    .slice(1, -1)
    .map((s) => s.trim());
  return lines.slice(2).map((line) => {
    const cells = line
      .split('|')
      .slice(1, -1)
      .map((s) => s.trim());
    const numbers: Record<string, [number, number]> = {};
    header.slice(4).forEach((name, k) => {
      const [counted, ignored] = cells[k + 4]!.split('/').map((s) => Number(s.trim()));
      numbers[name] = [counted!, ignored ?? counted!];
    });
    return {
      file: cells[0] as keyof typeof derived,
      date: Date.parse(cells[1]!),
      domain: cells[2]!,
      user: cells[3]!,
      numbers,
    };
  });
}

/** README column names -> user-day columns. */
export const README_COLUMN: Record<string, keyof UserDay> = {
  Attempted: 'AttemptedLogons',
  Successful: 'SuccessfulLogons',
  Failed: 'FailedLogons',
  DistinctSrcIp: 'DistinctSrcIp',
  SrcIpSuccessfulAccess: 'SrcIpSuccessfulAccess',
  SrcHostNameSuccessfulAccess: 'SrcHostNameSuccessfulAccess',
  ActiveMilliseconds: 'ActiveMilliseconds',
};

/** The README's records count of the binary sample ("python-evtx and libevtx evtxexport both read 636 records"). */
export const SAMPLE_EVTX_RECORDS = 636;
/** The README's count of Security lines in the covenant sample's derived file. */
export const COVENANT_SECURITY_LINES = 1226;
