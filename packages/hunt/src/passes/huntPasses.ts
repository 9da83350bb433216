import { Table, type RecordBatch, type Vector } from 'apache-arrow';
import { linearQuantile } from '@isoforest/common';
import {
  AUTO_OFFSET,
  averagePathLength,
  createParallelModel,
  threadsWorthStarting,
  resolveFitOptions,
  scoreFromPathLength,
  type FitOptions,
  type Isoforest,
  type IsolationForestModel,
  type ModelScores,
  type ParallelModel,
} from '@isoforest/core';
import {
  FeatureError,
  MODEL_FEATURES,
  notebookTreeCount,
  UserStatisticsBuilder,
  type UserStatistics,
} from '@isoforest/features';
import { growForestOnSample, trainingRowsOf } from '@isoforest/reference';
import { DEFAULT_REPORT_ROWS } from '../huntReport.js';
import { rowsLikelyExplained, type HuntOptions, type HuntResult } from '../huntUserDays.js';
import { AUTO_EXPLAIN_ALL_ROWS, DEFAULT_TOP, NOTEBOOK_PARAMETERS } from '../notebookParameters.js';
import { scoreColumns } from '../resultColumns.js';
import { RowCollector } from './rowCollector.js';
import { topRanking } from './topRanking.js';

/**
 * Reads the user-days from the start, batch by batch. A streamed hunt calls it once per pass, and every call must
 * give the same rows in the same order (a file read again, or a local copy of a source that cannot be read twice).
 * The hunt is done with a batch, having copied what it keeps of it, before it asks for the second batch after it:
 * a reader may take batches into a few buffers used in turn (apache-arrow's file reader takes each into fresh
 * memory, and the kernel's zeroing of it cost ten times the read).
 */
export type UserDayPasses = () => AsyncIterable<RecordBatch | Table>;

/** The passes of a streamed hunt, in order, as `onPass` names them. */
export type HuntPass = 'statistics' | 'training rows' | 'scores' | 'outputs';

/** How to hunt in passes: {@link HuntOptions}, and what to keep and where the scores go. */
export interface HuntPassesOptions extends HuntOptions {
  /**
   * Best-ranked result rows the result keeps, besides every flagged row and the `top` ones: the report's rows.
   * Default {@link DEFAULT_REPORT_ROWS}.
   */
  readonly keep?: number;
  /**
   * Takes every scored user-day in input order (the input's columns, the features, then `score_samples`,
   * `decision_function`, `predict`, `score`), as record batches, while the last pass reads them: e.g. writes them
   * to `scores.csv`. The hunt finishes when the promise it returns resolves. Default: the batches are dropped.
   */
  readonly scoredBatches?: (batches: AsyncIterable<RecordBatch>) => Promise<unknown>;
  /** Called as each pass starts. */
  readonly onPass?: (pass: HuntPass) => void;
}

/**
 * {@link huntUserDays} over user-days too many to hold, read in passes; memory grows with the users, not the
 * user-days (see the README, "Hunts of any size"):
 *
 * 1. per-user statistics of the four counts (`UserStatisticsBuilder`), and the row count;
 * 2. (fitting only) the features of the rows the trees draw: which rows those are depends only on the row count and
 *    the seed (`trainingRowsOf`), and the forest grown on them alone is the one grown on every row
 *    (`growForestOnSample`), so the model is the in-memory hunt's;
 * 3. features and scores of every row, keeping each row's mean path length (8 bytes a row): the contamination
 *    offset is the exact percentile of all of them, as `fit` computes it, and the ranking is drawn from them;
 * 4. features and scores again, streamed to `scoredBatches`; the rows to explain are explained batch by batch, and
 *    the best-ranked rows (a bounded heap over the kept scores) are gathered with their SHAP values.
 *
 * The result is the in-memory hunt's to the bit, except that `featureTable`, `scores` and `shap` hold only the kept
 * rows, best first (`ranking` is `0, 1, ...`); the counts cover every row.
 */
export async function huntUserDayPasses(
  isoforest: Isoforest,
  read: UserDayPasses,
  options: HuntPassesOptions = {},
): Promise<HuntResult> {
  options.onPass?.('statistics');
  const builder = new UserStatisticsBuilder();
  for await (const batch of readAhead(read())) builder.add(batch);
  const statistics = builder.finish();
  const rows = statistics.rows;

  const fitted = options.model === undefined;
  let provisional = options.model;
  if (provisional === undefined) {
    options.onPass?.('training rows');
    provisional = await fitOnTrainingRows(isoforest, read, statistics, options);
  }
  // Workers only when the hunt is big enough to gain from them, as the in-memory hunt decides.
  const threads = threadsWorthStarting(options.threads ?? 1, {
    scoreRows: rows,
    explainRows: rowsLikelyExplained(rows, options.explain ?? 'auto', options.top ?? DEFAULT_TOP),
    trees: provisional.nEstimators,
  });
  const parallel = await createParallelModel(provisional, { threads, createWorker: options.createWorker });
  try {
    options.onPass?.('scores');
    const { meanPathLength, isResult, resultRows } = await scoreEveryRow(parallel, read, statistics);
    const normaliser = averagePathLength(provisional.maxSamples);
    const scoreSamples = (row: number) => scoreFromPathLength(meanPathLength[row], normaliser);
    const top = options.top ?? DEFAULT_TOP;
    const { model, outliers, kept, ranking } = rankRows(provisional, fitted, meanPathLength, normaliser, {
      isResult,
      resultRows,
      top,
      keep: options.keep ?? DEFAULT_REPORT_ROWS,
    });
    const scope = options.explain ?? 'auto';
    const explainAll = scope === 'all' || (scope === 'auto' && resultRows <= AUTO_EXPLAIN_ALL_ROWS);
    const rankOf = new Map<number, number>();
    ranking.forEach((row, rank) => rankOf.set(row, rank));
    // Of the rows not flagged, only those of a decision at most the top-th ranked one's can be among the top: the
    // map is asked about those alone (a lookup for every row cost seconds per ten million).
    const lastTop = Math.min(top, ranking.length) - 1;
    const topDecision = lastTop >= 0 ? scoreSamples(ranking[lastTop]) - model.offset : -Infinity;
    const toExplain = (row: number, decision: number) =>
      isResult(row) && (explainAll || decision < 0 || (decision <= topDecision && (rankOf.get(row) ?? top) < top));

    options.onPass?.('outputs');
    const outputs = new OutputPass(parallel, model, kept, rankOf, toExplain);
    const batches = outputs.run(read, statistics, scoreSamples);
    await (options.scoredBatches ?? drain)(batches);
    if (outputs.rowsSeen !== rows) throw inputChanged('outputs', outputs.rowsSeen, rows);

    return {
      model,
      fitted,
      threads,
      featureTable: outputs.collector.table(),
      scores: scoresOf(ranking, meanPathLength, normaliser, model.offset),
      ranking: Int32Array.from(ranking, (_, rank) => rank),
      shap: outputs.shap,
      counts: {
        rowsIn: rows,
        rowsScored: rows,
        rowsFiltered: rows - resultRows,
        outliers,
        explained: outputs.explained,
      },
    };
  } finally {
    await parallel.close();
  }
}

/** Pass 2: the forest `fit` grows on every row's features, from the features of only the rows its trees draw. */
async function fitOnTrainingRows(
  isoforest: Isoforest,
  read: UserDayPasses,
  statistics: UserStatistics,
  options: HuntOptions,
): Promise<IsolationForestModel> {
  const rows = statistics.rows;
  const fitOptions: FitOptions = {
    features: MODEL_FEATURES,
    nEstimators: options.trees ?? notebookTreeCount(rows),
    maxSamples: options.maxSamples ?? NOTEBOOK_PARAMETERS.maxSamples,
    maxFeatures: options.maxFeatures ?? NOTEBOOK_PARAMETERS.maxFeatures,
    contamination: options.contamination ?? NOTEBOOK_PARAMETERS.contamination,
    randomState: options.seed ?? NOTEBOOK_PARAMETERS.seed,
  };
  const { growth, params, warnings } = resolveFitOptions(fitOptions, MODEL_FEATURES, rows);
  const sampleRows = trainingRowsOf(rows, MODEL_FEATURES.length, growth);
  const m = sampleRows.length;
  // Column-major float32, as the core converts a table's columns for training.
  const data = new Float32Array(m * MODEL_FEATURES.length);
  let next = 0;
  let firstRow = 0;
  for await (const batch of readAhead(read())) {
    const end = firstRow + batch.numRows;
    let last = next;
    while (last < m && sampleRows[last] < end) last++;
    if (last > next) {
      const local = sampleRows.slice(next, last).map((row) => row - firstRow);
      // Only the drawn rows' features: their users looked up, not every row's.
      statistics
        .featureRows(batch, firstRow, local, MODEL_FEATURES)
        .forEach((column, c) => data.set(column, c * m + next));
      next = last;
    }
    firstRow = end;
  }
  if (firstRow !== rows || next !== m) throw inputChanged('training', firstRow, rows);
  // When the trees draw every row (small tables), the sample is the whole table: the WebAssembly core's `fit` grows
  // the same forest several times faster. Otherwise the plain-TypeScript grower, node for node the core's (its
  // identity tests), grows it from the drawn rows alone.
  // `fit` sets a contamination offset from every row, the one pass 3 computes again.
  if (m === rows) {
    return isoforest.fit(
      MODEL_FEATURES.map((_, c) => data.subarray(c * m, (c + 1) * m)),
      fitOptions,
    );
  }
  const forest = growForestOnSample({ data, rows: m, columns: MODEL_FEATURES.length }, sampleRows, rows, growth);
  return isoforest.fromParts({ forest, featureNames: MODEL_FEATURES, offset: AUTO_OFFSET, params }, warnings);
}

/** Pass 3: every row's mean path length, and which rows are results (`SuccessfulLogons > 0`, one bit a row). */
async function scoreEveryRow(parallel: ParallelModel, read: UserDayPasses, statistics: UserStatistics) {
  const rows = statistics.rows;
  const meanPathLength = new Float64Array(rows);
  const resultBits = new Uint8Array(Math.ceil(rows / 8));
  let resultRows = 0;
  let firstRow = 0;
  // The workers score one batch while this thread reads the next and computes its features.
  let scoring: Promise<void> | undefined;
  const featureNames = parallel.model.featureNames;
  for await (const batch of readAhead(read())) {
    if (firstRow + batch.numRows > rows) throw inputChanged('scoring', firstRow + batch.numRows, rows);
    // The model's columns only: the feature table's other columns are written in the last pass.
    const features = statistics.features(batch, firstRow);
    const input: Record<string, Float64Array | Vector> = {};
    for (const name of featureNames) {
      const column = features.column(name);
      if (column !== null) input[name] = column;
    }
    for (const local of features.resultRows()) {
      const row = firstRow + local;
      resultBits[row >> 3] |= 1 << (row & 7);
      resultRows++;
    }
    await scoring;
    const at = firstRow;
    scoring = parallel.score(input).then((scores) => meanPathLength.set(scores.meanPathLength, at));
    // Awaited at the next batch or at the end; this only keeps a read that fails meanwhile from leaving it unheard.
    scoring.catch(() => undefined);
    firstRow += batch.numRows;
  }
  await scoring;
  if (firstRow !== rows) throw inputChanged('scoring', firstRow, rows);
  const isResult = (row: number) => (resultBits[row >> 3] & (1 << (row & 7))) !== 0;
  return { meanPathLength, isResult, resultRows };
}

function inputChanged(pass: string, read: number, expected: number): FeatureError {
  return new FeatureError(
    `the ${pass} pass read ${read} rows where the first read ${expected}: the input changed while it was read`,
  );
}

/**
 * The model (with the contamination offset `fit` sets from every training row's `scoreSamples`: the percentile of
 * every row's, computed here), how many result rows it flags, and the `kept` best-ranked result rows. Every row's
 * `scoreSamples` is computed once, for all three, and let go on return (8 bytes a row).
 */
function rankRows(
  provisional: IsolationForestModel,
  fitted: boolean,
  meanPathLength: Float64Array,
  normaliser: number,
  options: { isResult: (row: number) => boolean; resultRows: number; top: number; keep: number },
) {
  const { isResult, resultRows, top, keep } = options;
  const rows = meanPathLength.length;
  const samples = meanPathLength.map((m) => scoreFromPathLength(m, normaliser));
  const { contamination } = provisional.params;
  const model =
    fitted && contamination !== 'auto' ? provisional.withOffset(linearQuantile(samples, contamination)) : provisional;
  let outliers = 0;
  for (let row = 0; row < rows; row++) if (isResult(row) && samples[row] - model.offset < 0) outliers++;
  const kept = Math.min(resultRows, Math.max(keep, top, outliers));
  const ranking = topRanking(rows, kept, isResult, (row) => -(samples[row] - model.offset));
  return { model, outliers, kept, ranking };
}

/** Pass 4: streams the scored batches, explains the rows in scope, and gathers the kept rows and their SHAP values. */
class OutputPass {
  readonly collector: RowCollector;
  readonly shap: Float64Array[];
  explained = 0;
  rowsSeen = 0;
  /** The kept rows in input order, with their ranks: the pass meets them in this order. */
  private readonly keptRows: Int32Array;

  constructor(
    private readonly parallel: ParallelModel,
    private readonly model: IsolationForestModel,
    kept: number,
    private readonly rankOf: ReadonlyMap<number, number>,
    /** Whether the row, of this `decision_function`, is explained. */
    private readonly toExplain: (row: number, decision: number) => boolean,
  ) {
    this.collector = new RowCollector(kept);
    this.shap = model.featureNames.map(() => new Float64Array(kept).fill(Number.NaN));
    this.keptRows = Int32Array.from(rankOf.keys()).sort();
  }

  /**
   * Yields each batch's scored rows while the workers explain that batch: the consumer (the CSV encoder of
   * scores.csv) and the reading of the next batch run on this thread meanwhile. The scored rows do not depend on
   * the SHAP values, which go to their ranks; one batch is explained at a time.
   */
  async *run(
    read: UserDayPasses,
    statistics: UserStatistics,
    scoreSamples: (row: number) => number,
  ): AsyncGenerator<RecordBatch> {
    let next = 0;
    let explaining: Promise<void> | undefined;
    for await (const batch of readAhead(read())) {
      const firstRow = this.rowsSeen;
      const n = batch.numRows;
      if (firstRow + n > statistics.rows) throw inputChanged('outputs', firstRow + n, statistics.rows);
      const features = statistics.featureBatch(batch, firstRow);
      const { table: scored, decision } = this.scored(features, firstRow, scoreSamples);
      const kept: [row: number, slot: number][] = [];
      for (; next < this.keptRows.length && this.keptRows[next] < firstRow + n; next++) {
        const row = this.keptRows[next];
        kept.push([row - firstRow, this.rankOf.get(row)!]);
      }
      this.collector.take(scored, kept);
      this.rowsSeen += n;
      await explaining;
      explaining = this.explain(features, firstRow, decision);
      // Awaited at the next batch or at the end; this only keeps a consumer that stops early from leaving it unheard.
      explaining.catch(() => undefined);
      yield* scored.batches;
    }
    await explaining;
  }

  /** The batch's features with its four score columns, computed as the model computes them, and its decisions. */
  private scored(features: Table, firstRow: number, scoreSamples: (row: number) => number) {
    const n = features.numRows;
    const samples = new Float64Array(n);
    const decision = new Float64Array(n);
    const predict = new Int8Array(n);
    const score = new Float64Array(n);
    for (let i = 0; i < n; i++) {
      samples[i] = scoreSamples(firstRow + i);
      decision[i] = samples[i] - this.model.offset;
      predict[i] = decision[i] < 0 ? -1 : 1;
      score[i] = -decision[i];
    }
    const table = features.assign(
      new Table(scoreColumns({ scoreSamples: samples, decisionFunction: decision, predict, score })),
    );
    return { table, decision };
  }

  /** SHAP values of the batch's rows in scope; those of kept rows are stored at their rank. */
  private async explain(features: Table, firstRow: number, decision: Float64Array): Promise<void> {
    const local: number[] = [];
    for (let i = 0; i < features.numRows; i++) if (this.toExplain(firstRow + i, decision[i])) local.push(i);
    if (local.length === 0) return;
    const columns: Record<string, Float64Array> = {};
    for (const name of this.model.featureNames) columns[name] = rowsOf(features.getChild(name)!, local);
    const { values } = await this.parallel.explain(columns);
    local.forEach((i, k) => {
      const rank = this.rankOf.get(firstRow + i);
      if (rank !== undefined) values.forEach((column, c) => (this.shap[c][rank] = column[k]));
    });
    this.explained += local.length;
  }
}

/**
 * The values of `column` at `rows`, as float64: from its typed array when it is one chunk of float64 without nulls
 * (every model feature of a feature batch; `Vector.get` per cell cost seconds per million rows), else cell by cell.
 */
function rowsOf(column: Vector, rows: readonly number[]): Float64Array {
  const out = new Float64Array(rows.length);
  const values = column.data.length === 1 && column.nullCount === 0 ? column.data[0]!.values : null;
  if (values instanceof Float64Array) for (let k = 0; k < rows.length; k++) out[k] = values[rows[k]!]!;
  else for (let k = 0; k < rows.length; k++) out[k] = Number(column.get(rows[k]!));
  return out;
}

/** The scores of `rows` from their mean path lengths, computed as `IsolationForestModel.score` computes them. */
function scoresOf(rows: Int32Array, meanPathLength: Float64Array, normaliser: number, offset: number): ModelScores {
  const n = rows.length;
  const scores = {
    meanPathLength: Float64Array.from(rows, (row) => meanPathLength[row]),
    scoreSamples: new Float64Array(n),
    decisionFunction: new Float64Array(n),
    predict: new Int8Array(n),
    score: new Float64Array(n),
  };
  for (let i = 0; i < n; i++) {
    scores.scoreSamples[i] = scoreFromPathLength(scores.meanPathLength[i], normaliser);
    scores.decisionFunction[i] = scores.scoreSamples[i] - offset;
    scores.predict[i] = scores.decisionFunction[i] < 0 ? -1 : 1;
    scores.score[i] = -scores.decisionFunction[i];
  }
  return scores;
}

async function drain(batches: AsyncIterable<RecordBatch>): Promise<void> {
  for await (const _ of batches);
}

/**
 * The items of `source`, each next one asked for as soon as the current one is handed out: a file's next record
 * batch is read (by Node's I/O threads) while this thread computes on the current one. One item is held ahead.
 */
async function* readAhead<T>(source: AsyncIterable<T>): AsyncGenerator<T> {
  const items = source[Symbol.asyncIterator]();
  let next = items.next();
  try {
    for (;;) {
      const item = await next;
      if (item.done === true) return;
      next = items.next();
      // Awaited at the next step; until then a failure must not count as unhandled.
      next.catch(() => undefined);
      yield item.value;
    }
  } finally {
    await items.return?.();
  }
}
