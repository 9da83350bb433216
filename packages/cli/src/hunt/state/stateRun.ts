import type { Isoforest, IsolationForestModel } from '@isoforest/core';
import { topContributions, userDayView, type HuntOptions, type HuntResult } from '@isoforest/hunt';
import { MS_PER_DAY, parseUtcDate, readAll, utcDayStart, type UserDaySource } from '@isoforest/ingest';
import type { Style } from '../../terminal/style.js';
import { safeCell } from '../../terminal/safeText.js';
import { runStatefulHunt, type RefitPolicy, type StatefulHuntRun } from './statefulHunt.js';
import { loadState, lockState, saveState, type HuntState } from './stateFiles.js';

export interface StateRunOptions {
  readonly dir: string;
  readonly windowDays: number;
  readonly refit: RefitPolicy;
  readonly pinnedModel?: IsolationForestModel;
  readonly hunt: Omit<HuntOptions, 'model'>;
  readonly nowMs: number;
  /** Opens the source; `lookbackDays` is how far back it must reach to cover the days the state lacks. */
  readonly openSource: (lookbackDays: number) => Promise<UserDaySource>;
  /** Writes the run's outputs (report, scores, outliers); a failure here leaves the state as it was. */
  readonly writeOutputs: (result: HuntResult) => Promise<void>;
}

/**
 * How far back a source that can be asked for days (Sentinel) must reach: to the day after the newest held day,
 * but not beyond the window, and at least one day (yesterday, as the notebook's query ends).
 */
export function lookbackFor(state: HuntState, windowDays: number, nowMs: number): number {
  const held = Object.keys(state.days).sort();
  if (held.length === 0) return windowDays;
  const newest = parseUtcDate(held[held.length - 1]!)!;
  const daysSince = Math.round((utcDayStart(nowMs) - newest) / MS_PER_DAY) - 1;
  return Math.max(1, Math.min(windowDays, daysSince));
}

/**
 * One `hunt --state DIR` run, holding the folder's lock throughout: load the state, pull the source, hunt the
 * window, write the outputs, and only then switch the state.
 */
export async function runStateHunt(
  isoforest: Isoforest,
  options: StateRunOptions,
): Promise<{ run: StatefulHuntRun; sourceStats: UserDaySource['stats'] }> {
  const release = await lockState(options.dir);
  try {
    const state = await loadState(options.dir);
    const source = await options.openSource(lookbackFor(state, options.windowDays, options.nowMs));
    const userDays = await readAll(source);
    const run = await runStatefulHunt(isoforest, userDays, { ...options, state });
    if (run.result !== null) {
      await options.writeOutputs(run.result);
      await saveState(options.dir, run.nextState, run.record);
    }
    return { run, sourceStats: source.stats };
  } finally {
    await release();
  }
}

/** The run's lines for the terminal: what was new, and each user-day flagged for the first time with its reasons. */
export function stateRunText(run: StatefulHuntRun, style: Style): string {
  const days = (list: readonly string[]) =>
    list.length === 0
      ? 'none'
      : list.length <= 3
        ? list.join(', ')
        : `${list[0]} .. ${list[list.length - 1]} (${list.length})`;
  const lines = [
    `New days: ${days(run.newDays)}; already held: ${days(run.heldDays)}${run.refit ? '; forest refitted' : ''}`,
  ];
  if (run.result === null) return `${lines[0]}\nNothing new to hunt: the state is unchanged.\n`;
  const { result } = run;
  lines.push(
    style.bold(
      `${run.newAnomalies.length} user-day${run.newAnomalies.length === 1 ? '' : 's'} flagged for the first time`,
    ),
  );
  for (const row of run.newAnomalies) {
    const view = userDayView(result, row);
    lines.push(
      style.red(`  ${view.date}  ${safeCell(view.domain)}\\${safeCell(view.user)}  score ${view.score.toFixed(4)}`),
    );
    for (const c of topContributions(result, row))
      lines.push(`      ${c.shap.toFixed(3).padStart(7)}  ${safeCell(c.text)}`);
  }
  return `${lines.join('\n')}\n`;
}

/** The `state` part of `hunt --state --json`. */
export function stateRunJson(run: StatefulHuntRun) {
  const result = run.result;
  return {
    runId: run.runId,
    newDays: run.newDays,
    heldDays: run.heldDays,
    refit: run.refit,
    newAnomalies:
      result === null
        ? []
        : Array.from(run.newAnomalies, (row) => {
            const view = userDayView(result, row);
            return {
              Date: view.date,
              DstDomain: view.domain,
              DstUser: view.user,
              score: view.score,
              why: topContributions(result, row).map((c) => c.text),
            };
          }),
  };
}
