import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { tableFromIPC } from 'apache-arrow';
import { parse } from 'csv-parse/sync';
import { describe, expect, it } from 'vitest';
import { buildUserDayKql } from '@isoforest/ingest';
import { EXIT } from '../src/exitCodes.js';
import { fixture, REPO, runCli, tempDir } from './support/runCli.js';

const SHARED_RAW = join(REPO, '..', 'shared', 'data', 'raw', 'derived');

function csvRows(path: string): Record<string, string>[] {
  return parse(readFileSync(path), { bom: true, columns: true }) as Record<string, string>[];
}

describe('isoforest aggregate', () => {
  it('turns raw Security events into the user-days their README lists', async () => {
    const dir = tempDir();
    const run = await runCli([
      'aggregate',
      '--input',
      join(SHARED_RAW, 'omerbenamram-evtx__Security_with_size_t.jsonl'),
      '--output',
      join(dir, 'days.csv'),
    ]);
    expect(run.code, run.stderr).toBe(EXIT.ok);
    expect(run.stderr).toContain('636 rows read');
    const days = csvRows(join(dir, 'days.csv'));
    expect(
      days.map((d) => [d.Date, d.DstDomain, d.DstUser, d.AttemptedLogons, d.FailedLogons, d.ActiveMilliseconds]),
    ).toEqual([
      ['2015-08-23', 'IT104-3', 'Student', '4', '4', '63'],
      ['2015-08-23', 'WIN-L0ZZQ76PMUF', 'Guest', '3', '3', '1247533'],
      ['2015-08-24', 'WIN-L0ZZQ76PMUF', 'Administrator', '2', '2', '13516'],
      ['2015-09-02', 'WIN-L0ZZQ76PMUF', 'Guest', '1', '1', '0'],
    ]);
  });

  it('merges several inputs, a Windows .evtx log and shipper JSON lines, into one set of user-days', async () => {
    const dir = tempDir();
    const run = await runCli([
      'aggregate',
      '--input',
      join(SHARED_RAW, '..', 'omerbenamram-evtx__Security_with_size_t.evtx'),
      '--input',
      join(SHARED_RAW, 'otrf__covenant_psremoting_grunt__host.security.jsonl'),
      '--output',
      join(dir, 'days.csv'),
    ]);
    expect(run.code, run.stderr).toBe(EXIT.ok);
    const days = csvRows(join(dir, 'days.csv'));
    expect(days.map((d) => [d.Date, d.DstUser, d.SuccessfulLogons, d.FailedLogons])).toEqual([
      ['2015-08-23', 'Student', '0', '4'],
      ['2015-08-23', 'Guest', '0', '3'],
      ['2015-08-24', 'Administrator', '0', '2'],
      ['2015-09-02', 'Guest', '0', '1'],
      ['2019-12-05', 'pgustavo', '3', '0'],
    ]);
  });
});

describe('isoforest features', () => {
  it("writes the notebook's feature table for the demo data", async () => {
    const dir = tempDir();
    const run = await runCli([
      'features',
      '--input',
      fixture('demo', 'iforest-demo-data.csv'),
      '--output',
      join(dir, 'features.arrow'),
    ]);
    expect(run.code, run.stderr).toBe(EXIT.ok);
    const table = tableFromIPC(readFileSync(join(dir, 'features.arrow')));
    const golden = csvRows(fixture('golden', 'notebook-demo', 'feature_table.csv'));
    expect(table.numRows).toBe(golden.length);
    for (const column of ['FailedLogons_zscore', 'SuccessfulLogons_zscore', 'SrcIpSuccessfulAccess_std']) {
      const values = table.getChild(column)!;
      for (const row of golden) {
        const expected = row[column] === '' ? Number.NaN : Number(row[column]);
        expect(Number(values.get(Number(row.row_index)))).toBeCloseTo(expected, 12);
      }
    }
  });
});

describe('isoforest query --print-kql', () => {
  it('prints the one KQL definition, with the lookback asked for', async () => {
    const run = await runCli(['query', '--print-kql', '--days', '14']);
    expect(run.code, run.stderr).toBe(EXIT.ok);
    expect(run.stdout.trim()).toBe(buildUserDayKql({ lookbackDays: 14 }).trim());
    expect(run.stdout).toContain('14d');
  });

  it('with --shard K/N, prints the query a worker of a sharded hunt sends: only shard K-1 of N of the users', async () => {
    const run = await runCli(['query', '--print-kql', '--shard', '3/8']);
    expect(run.code, run.stderr).toBe(EXIT.ok);
    expect(run.stdout.trim()).toBe(buildUserDayKql({ userShard: { index: 2, count: 8 } }).trim());
    expect(run.stdout).toContain('| where hash_xxhash64(strcat(DstDomain, "\\\\", DstUser), 8) == 2\n| summarize');
    const bad = await runCli(['query', '--print-kql', '--shard', '9/8']);
    expect(bad).toMatchObject({ code: EXIT.usage, stderr: expect.stringContaining('--shard must be K/N') });
  });
});
