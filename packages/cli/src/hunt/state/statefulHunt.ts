/**
 * A recurring hunt over a state folder: each run stores the days it has not seen, hunts the trailing window of
 * held days, and reports only the user-days it flags for the first time. See `stateFiles.ts` for the layout and
 * how a failed run leaves the state as it was.
 */
import { createHash, randomUUID } from 'node:crypto';
import { mkdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { Table } from 'apache-arrow';
import type { Isoforest, IsolationForestModel } from '@isoforest/core';
import { huntUserDays, type HuntOptions, type HuntResult } from '@isoforest/hunt';
import { formatIsoDate, MS_PER_DAY, parseUtcDate, readAll, readUserDayArrow, writeArrowIpc } from '@isoforest/ingest';
import { writeAtomically, writeFileAtomically } from '../../io/atomicOutput.js';
import { takeRows } from '../../io/takeRows.js';
import { ledgerKeys, userDayKey, type HuntState, type LedgerEntry, type RunRecord } from './stateFiles.js';

/** When the forest is grown again: every run with new days, once a week of data, or only when there is none. */
export type RefitPolicy = 'daily' | 'weekly' | 'never';
export const REFIT_POLICIES: readonly RefitPolicy[] = ['daily', 'weekly', 'never'];

export interface StatefulHuntOptions {
  readonly dir: string;
  readonly state: HuntState;
  /** Days of the trailing window the features and the forest see (the notebook's 21). */
  readonly windowDays: number;
  readonly refit: RefitPolicy;
  /** A model given on the command line: used as is, never refitted or stored. */
  readonly pinnedModel?: IsolationForestModel;
  readonly hunt: Omit<HuntOptions, 'model'>;
  readonly nowMs: number;
}

/** What a run did, for the summary, the files, and the state switch. */
export interface StatefulHuntRun {
  readonly runId: string;
  /** Days the source had that the state did not: stored and scored. */
  readonly newDays: readonly string[];
  /** Days the source had that the state already held: ignored (a re-run changes nothing). */
  readonly heldDays: readonly string[];
  /** The hunt of the window; null when the source brought no new day. */
  readonly result: HuntResult | null;
  /** Result rows (of `result.featureTable`) flagged for the first time, ranked. */
  readonly newAnomalies: Int32Array;
  readonly refit: boolean;
  /** The next state, to be saved once the run's outputs are written. */
  readonly nextState: HuntState;
  readonly record: RunRecord;
}

/** `YYYY-MM-DD` of a Date cell (DateDay read as ms, or a Date). */
function isoDay(value: unknown): string {
  return formatIsoDate(value instanceof Date ? value.getTime() : Number(value));
}

/** Row numbers per UTC day. */
function rowsByDay(table: Table): Map<string, number[]> {
  const dates = table.getChild('Date')!;
  const days = new Map<string, number[]>();
  for (let row = 0; row < table.numRows; row++) {
    const day = isoDay(dates.get(row));
    let rows = days.get(day);
    if (rows === undefined) days.set(day, (rows = []));
    rows.push(row);
  }
  return days;
}

/** The model id: the first 16 hex digits of the SHA-256 of its native bytes. */
function modelId(bytes: Uint8Array): string {
  return createHash('sha256').update(bytes).digest('hex').slice(0, 16);
}

function needsRefit(state: HuntState, policy: RefitPolicy, newestDay: string): boolean {
  if (state.model === null || policy === 'daily') return true;
  if (policy === 'never') return false;
  return parseUtcDate(newestDay)! - parseUtcDate(state.model.fittedThrough)! >= 7 * MS_PER_DAY;
}

/**
 * Runs one recurring hunt over `userDays` (what the source gave this time). Writes the new days' files, the model
 * of a refit and the run's ledger file into the state folder, but not `state.json`: the caller writes the hunt's
 * outputs, then saves `nextState` with `record`, so that a failure anywhere before leaves the state as it was.
 */
export async function runStatefulHunt(
  isoforest: Isoforest,
  userDays: Table,
  options: StatefulHuntOptions,
): Promise<StatefulHuntRun> {
  const { dir, state } = options;
  const runId = randomUUID();
  const at = new Date(options.nowMs).toISOString();
  const byDay = rowsByDay(userDays);
  const newDays = [...byDay.keys()].filter((day) => !(day in state.days)).sort();
  const heldDays = [...byDay.keys()].filter((day) => day in state.days).sort();
  const unchanged = (): StatefulHuntRun => ({
    runId,
    newDays,
    heldDays,
    result: null,
    newAnomalies: new Int32Array(0),
    refit: false,
    nextState: state,
    record: { runId, at, newDays, newAnomalies: 0, refit: false },
  });
  if (newDays.length === 0) return unchanged();

  for (const folder of ['days', 'models', 'ledger']) await mkdir(join(dir, folder), { recursive: true });
  const days: Record<string, string> = { ...state.days };
  for (const day of newDays) {
    const file = `days/${day}.arrow`;
    const table = takeRows(userDays, Int32Array.from(byDay.get(day)!));
    await writeAtomically(join(dir, file), (temp) => writeArrowIpc(temp, table.batches));
    days[day] = file;
  }

  const held = Object.keys(days).sort();
  const newest = held[held.length - 1]!;
  const firstInWindow = formatIsoDate(parseUtcDate(newest)! - (options.windowDays - 1) * MS_PER_DAY);
  const windowTables: Table[] = [];
  for (const day of held.filter((d) => d >= firstInWindow))
    windowTables.push(await readAll(readUserDayArrow(join(dir, days[day]!))));
  const window = new Table(windowTables.flatMap((t) => t.batches));

  let model = options.pinnedModel;
  let refit = false;
  let nextModel = state.model;
  if (model === undefined && !needsRefit(state, options.refit, newest)) {
    model = isoforest.load(await readFile(join(dir, state.model!.file)));
  }
  const result = await huntUserDays(isoforest, window, { ...options.hunt, model });
  if (model === undefined) {
    refit = true;
    const bytes = result.model.save();
    const id = modelId(bytes);
    const file = `models/${id}.iforest`;
    await writeFileAtomically(join(dir, file), bytes);
    nextModel = { file, id, fittedThrough: newest };
  }

  const seen = await ledgerKeys(dir, state);
  const isNewDay = new Set(newDays);
  const table = result.featureTable;
  const key = (row: number) =>
    userDayKey(
      isoDay(table.getChild('Date')!.get(row)),
      String(table.getChild('DstDomain')!.get(row)),
      String(table.getChild('DstUser')!.get(row)),
    );
  const newAnomalies = result.ranking.filter(
    (row) =>
      result.scores.predict[row] === -1 &&
      isNewDay.has(isoDay(table.getChild('Date')!.get(row))) &&
      !seen.has(key(row)),
  );
  const ledger = [...state.ledger];
  if (newAnomalies.length > 0) {
    const entries: LedgerEntry[] = Array.from(newAnomalies, (row) => ({
      Date: isoDay(table.getChild('Date')!.get(row)),
      DstDomain: String(table.getChild('DstDomain')!.get(row)),
      DstUser: String(table.getChild('DstUser')!.get(row)),
      firstFlaggedAt: at,
      runId,
      score: result.scores.score[row],
    }));
    const file = `ledger/${at.slice(0, 10)}-${runId}.jsonl`;
    await writeFileAtomically(join(dir, file), entries.map((e) => `${JSON.stringify(e)}\n`).join(''));
    ledger.push(file);
  }
  return {
    runId,
    newDays,
    heldDays,
    result,
    newAnomalies,
    refit,
    nextState: { ...state, days, model: nextModel, ledger },
    record: { runId, at, newDays, newAnomalies: newAnomalies.length, refit },
  };
}
