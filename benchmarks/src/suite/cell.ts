// One cell of the grid: a dataset size, a tree count and a maxSamples. Measures fit, score and explain for every
// implementation that does the task at that size, each task as one interleaved group, and the ratios of pairs
// measured in the same group.
import { pearson } from '@isoforest/common';
import {
  createParallelModel,
  type Explanation,
  type Isoforest,
  type IsolationForestModel,
  type ModelScores,
  type ParallelModel,
} from '@isoforest/core';
import * as reference from '@isoforest/reference';
import type { Dataset } from './data.js';
import type { Budget, Plan } from './grid.js';
import {
  checkIdentical,
  checkSameForest,
  FIT_NOTES,
  fitCalls,
  IMPL,
  referenceScores,
  shapDifference,
  type Fitted,
} from './implementations.js';
import { measureGroup, present, type Contender, type ContenderResult, type Group } from './measure.js';
import type { Summary } from './stats.js';

/**
 * Largest dataset each slower implementation scores unless `--reference-rows` / `--peer-rows` say otherwise. Their
 * cost per row does not depend on the number of rows, and a call at the next size up would eat the run's budget:
 * one call of an npm peer takes ~2.5-5 s at 100k rows and ~25-50 s at 1M rows, the reference ~7-15 s at 1M rows
 * (2020s server core), and a measurement needs a warm-up call plus one per round.
 */
export const SCORE_ROW_LIMITS: Plan['scoreRowLimits'] = { reference: 100_000, jsPeer: 10_000, mlPeer: 10_000 };
/** SHAP values of the WASM core and the reference must agree this closely (they sum in different orders). */
const SHAP_TOLERANCE = 1e-9;

/** What every cell of a run shares. */
export interface CellContext {
  readonly isoforest: Isoforest;
  readonly budget: Budget;
  /** Threads of the all-threads contenders (1: none). */
  readonly threads: number;
  readonly scoreRowLimits: Plan['scoreRowLimits'];
  /** Rows/s by task, implementation and forest shape, to say how long a skipped call would have taken. */
  readonly rates: Map<string, { rows: number; rate: number }>;
  /** Notes that hold for the whole run (a cell's own notes go in its `notes`). */
  readonly notes: Set<string>;
  readonly log: (line: string) => void;
}

/** One contender's figures in one cell: a row of the report's task tables. */
export interface ResultRow {
  readonly task: Task;
  readonly rows: number;
  readonly trees: number;
  readonly maxSamples: number;
  readonly impl: string;
  readonly key: string;
  readonly threads: number;
  readonly rowsPerCall: number;
  readonly samples: number;
  readonly iterationsPerRound: number;
  readonly rowsPerSecond: ContenderResult['rowsPerSecond'];
  readonly msPerCall: Summary;
  readonly cpuMsPerCall: Summary;
  /** Rows/s at the median CPU time; null for contenders on several threads (process CPU time counts them all). */
  readonly cpuRowsPerSecond: number | null;
}

/** The ratio of two contenders' rows/s measured in one group: a row of the report's ratio table. */
export interface RatioRow {
  readonly task: Task;
  readonly rows: number;
  readonly trees: number;
  readonly maxSamples: number;
  readonly numerator: string;
  readonly denominator: string;
  readonly wall: number;
  readonly roundMin: number;
  readonly roundMax: number;
  readonly cpu: number | null;
}

export type Task = 'fit' | 'score' | 'explain';

/** One cell's dataset size and forest shape, its result and ratio rows, and notes that hold for it alone. */
export interface Cell {
  readonly rows: number;
  readonly trees: number;
  readonly maxSamples: number;
  readonly results: ResultRow[];
  readonly ratios: RatioRow[];
  readonly notes: string[];
}

/** Measures fit, score and (unless `explain` is false) explain on `dataset` for one forest shape. */
export async function runCell(
  ctx: CellContext,
  dataset: Dataset,
  trees: number,
  maxSamples: number,
  { explain = true }: { explain?: boolean } = {},
): Promise<Cell> {
  const cell: Cell = { rows: dataset.rows, trees, maxSamples, results: [], ratios: [], notes: [] };
  const shape = `${trees}x${maxSamples}`;
  ctx.log(`- ${dataset.rows.toLocaleString('en-US')} rows, ${trees} trees, maxSamples ${maxSamples}`);

  const fitted = await fitGroup(ctx, cell, dataset, trees, maxSamples);
  const parallel = ctx.threads > 1 ? await createParallelModel(fitted.wasm, { threads: ctx.threads }) : undefined;
  try {
    await scoreGroup(ctx, cell, dataset, fitted, parallel, shape);
    if (explain) {
      ctx.notes.add(
        'explain: measured on the distinct rows of the data, so both sides explain the same rows (the WASM core explains a repeated row once; the reference does not)',
      );
      await explainGroups(ctx, cell, dataset.distinct(), fitted.wasm, parallel);
    }
  } finally {
    await parallel?.close();
  }
  return cell;
}

async function fitGroup(
  ctx: CellContext,
  cell: Cell,
  dataset: Dataset,
  trees: number,
  maxSamples: number,
): Promise<Fitted> {
  const calls = fitCalls(ctx.isoforest, dataset, trees, maxSamples);
  const one = <T>(key: keyof typeof IMPL, run: () => T): Contender<T> => ({
    impl: IMPL[key],
    threads: 1,
    rows: dataset.rows,
    run,
  });
  const contenders = {
    wasm: one('wasm', calls.wasm),
    reference: one('reference', calls.reference),
    jsPeer: one('jsPeer', calls.jsPeer),
    mlPeer: one('mlPeer', calls.mlPeer),
  };
  const { outputs, results } = await measureGroup(contenders, ctx.budget, (out) =>
    checkSameForest(out.wasm.forest, out.reference),
  );
  ctx.notes.add(
    'fit: the WASM core and the reference grew bit-identical forests in every cell (checked before timing)',
  );
  for (const key of Object.keys(IMPL) as (keyof typeof IMPL)[]) {
    const note = FIT_NOTES[key];
    if (note !== undefined) ctx.notes.add(`fit: ${IMPL[key]} ${note}`);
  }
  record(cell, 'fit', contenders, results);
  ratio(cell, 'fit', results, contenders, 'wasm', ['reference', 'jsPeer', 'mlPeer']);
  return outputs;
}

async function scoreGroup(
  ctx: CellContext,
  cell: Cell,
  dataset: Dataset,
  fitted: Fitted,
  parallel: ParallelModel | undefined,
  shape: string,
): Promise<void> {
  const n = dataset.rows;
  const model = fitted.wasm;
  /** A slower implementation, if the run's limits let it score `n` rows; else a note says why it is skipped. */
  const ifWithinLimit = <T>(key: 'reference' | 'jsPeer' | 'mlPeer', run: () => T): Contender<T> | undefined => {
    const limit = ctx.scoreRowLimits[key];
    if (n <= limit) return { impl: IMPL[key], threads: 1, rows: n, run };
    cell.notes.push(
      `score: ${IMPL[key]} skipped at ${n.toLocaleString('en-US')} rows (limit ${limit.toLocaleString('en-US')}, see --${key === 'reference' ? 'reference' : 'peer'}-rows)${predicted(ctx, 'score', key, shape, n)}`,
    );
    return undefined;
  };
  const wasm: Contender<ModelScores> = { impl: IMPL.wasm, threads: 1, rows: n, run: () => model.score(dataset.record) };
  const wasmAll: Contender<ModelScores> | undefined =
    parallel === undefined
      ? undefined
      : { impl: IMPL.wasm, threads: parallel.threads, rows: n, async: true, run: () => parallel.score(dataset.record) };
  const contenders = {
    wasm,
    wasmAll,
    reference: ifWithinLimit('reference', () => referenceScores(fitted.reference, dataset.float32, cell.maxSamples)),
    jsPeer: ifWithinLimit('jsPeer', () => fitted.jsPeer.predict(dataset.objects)),
    mlPeer: ifWithinLimit('mlPeer', () => fitted.mlPeer.predict(dataset.arrays)),
  };
  const { results } = await measureGroup(contenders, ctx.budget, (out) => {
    if (out.reference !== undefined)
      checkIdentical('score: WASM vs reference score_samples', out.reference, out.wasm.scoreSamples);
    if (out.wasmAll !== undefined)
      checkIdentical('score: all threads vs one thread', out.wasm.scoreSamples, out.wasmAll.scoreSamples);
    const anomaly = out.wasm.scoreSamples.map((s) => -s);
    for (const key of ['jsPeer', 'mlPeer'] as const) {
      const peer = out[key];
      if (peer === undefined) continue;
      if (peer.length !== n) throw new Error(`score: ${IMPL[key]} returned ${peer.length} scores for ${n} rows`);
      cell.notes.push(
        `score: ${IMPL[key]}'s anomaly scores correlate with ours at r = ${pearson(peer, anomaly).toFixed(3)} (different random trees)`,
      );
    }
  });
  if (contenders.reference !== undefined)
    ctx.notes.add(
      'score: the WASM core and the reference gave bit-identical score_samples wherever both ran (checked before timing)',
    );
  if (parallel !== undefined)
    ctx.notes.add('score and explain: all threads gave bit-identical results to one thread (checked before timing)');
  for (const [key] of present(contenders))
    ctx.rates.set(`score/${key}/${shape}`, { rows: n, rate: results[key].rowsPerSecond.median });
  record(cell, 'score', contenders, results);
  ratio(cell, 'score', results, contenders, 'wasm', ['reference', 'jsPeer', 'mlPeer']);
  ratio(cell, 'score', results, contenders, 'wasmAll', ['wasm']);
}

/** " (one call would take ~N s at the R rows/s measured at M rows)", when an earlier cell measured it. */
function predicted(ctx: CellContext, task: Task, key: string, shape: string, rows: number): string {
  const seen = ctx.rates.get(`${task}/${key}/${shape}`);
  if (seen === undefined) return '';
  return `: one call would take ~${Math.round(rows / seen.rate)} s at the ${Math.round(seen.rate).toLocaleString('en-US')} rows/s measured at ${seen.rows.toLocaleString('en-US')} rows`;
}

/**
 * Two groups: the WASM core against the reference on a slice sized for the reference (~100x slower), and one
 * thread against all threads on a slice large enough to split across workers. TreeSHAP's cost per row depends on
 * the forest, not on how many rows were scored, so the slices are the dataset's first rows.
 */
async function explainGroups(
  ctx: CellContext,
  cell: Cell,
  dataset: Dataset,
  model: IsolationForestModel,
  parallel: ParallelModel | undefined,
): Promise<void> {
  const referenceRows = await calibratedRows(
    (head) => reference.treeShap(model.forest, head.float32),
    dataset,
    16,
    ctx.budget.explainReferenceMs,
    16,
    2048,
  );
  const small = dataset.head(referenceRows);
  const vsReference = {
    wasm: { impl: IMPL.wasm, threads: 1, rows: referenceRows, run: () => model.explain(small.record) },
    reference: {
      impl: IMPL.reference,
      threads: 1,
      rows: referenceRows,
      run: () => reference.treeShap(model.forest, small.float32),
    },
  };
  const first = await measureGroup(vsReference, ctx.budget, (out) => {
    const diff = shapDifference(out.wasm.values, out.reference, referenceRows);
    if (!(diff <= SHAP_TOLERANCE)) throw new Error(`explain: WASM and reference SHAP values differ by ${diff}`);
    ctx.notes.add(
      `explain: WASM and reference SHAP values agree within ${SHAP_TOLERANCE} in every cell (checked before timing)`,
    );
  });
  record(cell, 'explain', vsReference, first.results);
  ratio(cell, 'explain', first.results, vsReference, 'wasm', ['reference']);

  if (parallel === undefined) return;
  const threadRows = await calibratedRows(
    (head) => model.explain(head.record),
    dataset,
    512,
    ctx.budget.explainThreadsMs,
    4096,
    65_536,
  );
  const large = dataset.head(threadRows);
  const threads = {
    wasm: { impl: IMPL.wasm, threads: 1, rows: threadRows, run: (): Explanation => model.explain(large.record) },
    wasmAll: {
      impl: IMPL.wasm,
      threads: parallel.threads,
      rows: threadRows,
      async: true,
      run: () => parallel.explain(large.record),
    },
  };
  const second = await measureGroup(threads, ctx.budget, (out) => {
    out.wasm.values.forEach((column, c) =>
      checkIdentical(`explain: all threads vs one thread, feature ${c}`, column, out.wasmAll.values[c]),
    );
  });
  record(cell, 'explain', threads, second.results);
  ratio(cell, 'explain', second.results, threads, 'wasmAll', ['wasm']);
}

/**
 * Rows for one call of about `targetMs`, from timing `explain` on the first `probeRows` rows (after a warm-up
 * call), clamped to [minRows, min(maxRows, dataset rows)] and rounded to a multiple of 16.
 */
async function calibratedRows(
  explain: (head: Dataset) => unknown,
  dataset: Dataset,
  probeRows: number,
  targetMs: number,
  minRows: number,
  maxRows: number,
): Promise<number> {
  const head = dataset.head(Math.min(probeRows, dataset.rows));
  await explain(head);
  const start = performance.now();
  await explain(head);
  const msPerRow = (performance.now() - start) / head.rows;
  const rows = Math.round(targetMs / msPerRow / 16) * 16;
  return Math.min(dataset.rows, maxRows, Math.max(minRows, rows));
}

/** Appends one result row per contender. */
function record(cell: Cell, task: Task, contenders: Group, results: Record<string, ContenderResult>): void {
  for (const [key, c] of present(contenders)) {
    const r = results[key];
    cell.results.push({
      task,
      rows: cell.rows,
      trees: cell.trees,
      maxSamples: cell.maxSamples,
      impl: c.impl,
      key,
      threads: c.threads,
      rowsPerCall: c.rows,
      samples: r.wallMs.n,
      iterationsPerRound: r.iterationsPerRound,
      rowsPerSecond: r.rowsPerSecond,
      msPerCall: r.wallMs,
      cpuMsPerCall: r.cpuMs,
      // Process CPU time counts every thread, so it measures throughput only for one-thread contenders.
      cpuRowsPerSecond: c.threads === 1 ? r.rowsPerSecond.cpuMedian : null,
    });
  }
}

/**
 * Ratios `numerator / d` of rows/s for each present `d` in `denominators`: of the pooled medians, the range over
 * rounds (each round's medians, measured back to back), and of the CPU-time medians when both run on one thread.
 */
function ratio(
  cell: Cell,
  task: Task,
  results: Readonly<Record<string, ContenderResult | undefined>>,
  contenders: Group,
  numerator: string,
  denominators: readonly string[],
): void {
  const a = results[numerator];
  const top = contenders[numerator];
  if (a === undefined || top === undefined) return;
  for (const d of denominators) {
    const b = results[d];
    const bottom = contenders[d];
    if (b === undefined || bottom === undefined) continue;
    const perRound = a.roundMedianMs.map((ms, i) => top.rows / ms / (bottom.rows / b.roundMedianMs[i]));
    cell.ratios.push({
      task,
      rows: cell.rows,
      trees: cell.trees,
      maxSamples: cell.maxSamples,
      numerator: label(top),
      denominator: label(bottom),
      wall: a.rowsPerSecond.median / b.rowsPerSecond.median,
      roundMin: Math.min(...perRound),
      roundMax: Math.max(...perRound),
      cpu: top.threads === 1 && bottom.threads === 1 ? a.rowsPerSecond.cpuMedian / b.rowsPerSecond.cpuMedian : null,
    });
  }
}

function label(contender: Contender): string {
  return contender.threads === 1 ? contender.impl : `${contender.impl} (${contender.threads} threads)`;
}
