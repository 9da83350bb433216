/**
 * The files of a hunt state folder (`hunt --state DIR`), and the rule that keeps it consistent: every file is
 * written to a temporary name and renamed when complete (`../../io/atomicOutput.ts`), day and model files are
 * never changed once written, and `state.json`, which names the files that count, is replaced last. A run killed at any point leaves the state as
 * it was; the files it wrote but did not name are ignored and written again by the next run.
 */
import { mkdir, open, readFile, rm } from 'node:fs/promises';
import { writeFileAtomically } from '../../io/atomicOutput.js';
import { join } from 'node:path';
import { IngestError } from '@isoforest/ingest';

/** What `state.json` says it is, and the version of its layout this isoforest reads and writes. */
export const STATE_FORMAT = 'isoforest-hunt-state';
export const STATE_VERSION = 1;
/** Runs remembered in `state.json` (the ledger keeps every flagged user-day regardless). */
const MAX_RUNS_KEPT = 100;

/** A flagged user-day as the ledger keeps it: when it was first flagged, by which run, with which score. */
export interface LedgerEntry {
  readonly Date: string;
  readonly DstDomain: string;
  readonly DstUser: string;
  readonly firstFlaggedAt: string;
  readonly runId: string;
  readonly score: number;
}

/** One run, as `state.json` remembers it. */
export interface RunRecord {
  readonly runId: string;
  readonly at: string;
  readonly newDays: readonly string[];
  readonly newAnomalies: number;
  readonly refit: boolean;
}

/** `state.json`. Paths are relative to the state folder. */
export interface HuntState {
  readonly format: typeof STATE_FORMAT;
  readonly version: typeof STATE_VERSION;
  /** Held UTC days (`YYYY-MM-DD`) and their user-day files (Arrow IPC). */
  readonly days: Readonly<Record<string, string>>;
  /** The forest the last refit grew; null before the first. */
  readonly model: { readonly file: string; readonly id: string; readonly fittedThrough: string } | null;
  /** The ledger: one JSON-lines file of newly flagged user-days per run that flagged any. */
  readonly ledger: readonly string[];
  readonly runs: readonly RunRecord[];
}

export const STATE_FILE = 'state.json';

export function emptyState(): HuntState {
  return { format: STATE_FORMAT, version: STATE_VERSION, days: {}, model: null, ledger: [], runs: [] };
}

/**
 * Reads the state of a folder: empty when the folder or its `state.json` does not exist yet. A file that is not a
 * hunt state, or one written by a newer isoforest, is an `IngestError` naming it.
 */
export async function loadState(dir: string): Promise<HuntState> {
  const file = join(dir, STATE_FILE);
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return emptyState();
    throw error;
  }
  let value: Partial<HuntState>;
  try {
    value = JSON.parse(text) as Partial<HuntState>;
  } catch {
    throw new IngestError(file, null, null, 'not a hunt state (invalid JSON)');
  }
  if (value?.format !== STATE_FORMAT)
    throw new IngestError(file, null, null, `not a hunt state (no "format": "${STATE_FORMAT}")`);
  if (value.version !== STATE_VERSION) {
    throw new IngestError(
      file,
      null,
      null,
      `hunt state version ${String(value.version)}; this isoforest reads version ${STATE_VERSION} (use the isoforest that wrote it, or a new state folder)`,
    );
  }
  const relative = (path: unknown) =>
    typeof path === 'string' && !path.startsWith('/') && !path.split(/[\\/]/).includes('..');
  const days = value.days ?? {};
  const valid =
    typeof days === 'object' &&
    Object.entries(days).every(([day, path]) => /^\d{4}-\d{2}-\d{2}$/.test(day) && relative(path)) &&
    Array.isArray(value.ledger) &&
    value.ledger.every(relative) &&
    Array.isArray(value.runs) &&
    (value.model === null || (typeof value.model === 'object' && relative(value.model?.file)));
  if (!valid)
    throw new IngestError(
      file,
      null,
      null,
      'damaged hunt state (a day, model or ledger entry is not a file inside the folder)',
    );
  return value as HuntState;
}

/** Replaces `state.json`: the one step that makes a run's files count. */
export async function saveState(dir: string, state: HuntState, run: RunRecord): Promise<void> {
  const next: HuntState = { ...state, runs: [...state.runs, run].slice(-MAX_RUNS_KEPT) };
  await writeFileAtomically(join(dir, STATE_FILE), `${JSON.stringify(next, null, 2)}\n`);
}

/** The ledger's flagged user-days, as `Date|DstDomain|DstUser` keys. */
export async function ledgerKeys(dir: string, state: HuntState): Promise<Set<string>> {
  const keys = new Set<string>();
  for (const file of state.ledger) {
    const text = await readFile(join(dir, file), 'utf8');
    text.split('\n').forEach((line, k) => {
      if (line.trim() === '') return;
      try {
        const entry = JSON.parse(line) as LedgerEntry;
        keys.add(userDayKey(entry.Date, entry.DstDomain, entry.DstUser));
      } catch {
        throw new IngestError(join(dir, file), k + 1, null, 'damaged ledger line (invalid JSON)');
      }
    });
  }
  return keys;
}

/** The key of a user-day in the ledger. NUL cannot occur in Windows account names, so it separates safely. */
export function userDayKey(date: string, domain: string, user: string): string {
  return `${date}\u0000${domain}\u0000${user}`;
}

/**
 * Takes the folder's lock (`lock`, holding the run's process id), so two runs cannot interleave their writes. A
 * lock whose process is gone (a killed run) is taken over. Returns the release.
 */
export async function lockState(dir: string): Promise<() => Promise<void>> {
  await mkdir(dir, { recursive: true });
  const file = join(dir, 'lock');
  for (let attempt = 0; attempt < 2; attempt++) {
    try {
      const handle = await open(file, 'wx');
      await handle.writeFile(String(process.pid));
      await handle.close();
      return () => rm(file, { force: true });
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
      const holder = Number((await readFile(file, 'utf8').catch(() => '')).trim());
      if (Number.isInteger(holder) && holder > 0 && isRunning(holder)) {
        throw new IngestError(file, null, null, `another hunt (process ${holder}) is using this state folder`);
      }
      await rm(file, { force: true });
    }
  }
  throw new IngestError(file, null, null, 'could not take the state folder lock');
}

function isRunning(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}
