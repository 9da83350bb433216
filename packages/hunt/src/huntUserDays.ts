import type { Table } from 'apache-arrow';
import {
  createParallelModel,
  threadsWorthStarting,
  type Isoforest,
  type IsolationForestModel,
  type MaxSamples,
  type ModelScores,
  type ParallelModel,
  type ParallelOptions,
} from '@isoforest/core';
import { buildFeatureTable, MODEL_FEATURES, notebookTreeCount, rowsWithSuccessfulLogons } from '@isoforest/features';
import { AUTO_EXPLAIN_ALL_ROWS, DEFAULT_TOP, NOTEBOOK_PARAMETERS } from './notebookParameters.js';

/** Which result rows get SHAP values. */
export type ExplainScope = 'auto' | 'flagged' | 'all';

/** How to hunt; every option left out takes the notebook's value (see `NOTEBOOK_PARAMETERS`). */
export interface HuntOptions {
  /** Score with this model instead of fitting one on the data (it must use the six model features). */
  readonly model?: IsolationForestModel;
  /**
   * Columns of the feature table a fitted forest uses (any numeric ones: the user-day counts, the z-scores and the
   * per-user means); default the notebook's six, `MODEL_FEATURES`.
   */
  readonly features?: readonly string[];
  /** Trees of a fitted forest; default the notebook's rule (`6*4 + 2*rows` below 500 rows, else 100). */
  readonly trees?: number;
  /** Rows per tree of a fitted forest (the core's `MaxSamples`: `"auto"`, a fraction or a count); default `"auto"`. */
  readonly maxSamples?: MaxSamples;
  /** Features per tree of a fitted forest (a fraction or a count); default 1, all of them. */
  readonly maxFeatures?: number;
  /** Expected share of outliers, which sets the flagging cut; default 0.01, the notebook's. */
  readonly contamination?: 'auto' | number;
  /** `randomState` of a fitted forest; default 42, the notebook's. */
  readonly seed?: number;
  /**
   * `flagged`: the flagged rows and the `top` best-ranked ones; `all`: every result row; `auto` (default): every
   * result row up to 10,000 of them, else as `flagged`.
   */
  readonly explain?: ExplainScope;
  /** How many top-ranked rows to explain besides the flagged ones. Default 10. */
  readonly top?: number;
  /**
   * Threads that score and explain (each with its own WebAssembly instance; worker threads in Node, Web Workers in
   * browsers), at most: fewer are started when the hunt is too small to gain from them (`threadsWorthStarting`).
   * Default 1: in-process. Results are identical for any count.
   */
  readonly threads?: number;
  /** Browsers only: how to start a thread's Web Worker (see the core's `ParallelOptions.createWorker`). */
  readonly createWorker?: ParallelOptions['createWorker'];
}

/** Rows in and out of each step of a hunt. */
export interface HuntCounts {
  /** User-days given to the hunt. */
  readonly rowsIn: number;
  /** User-days scored (all of them: the filter applies to results, as in the notebook). */
  readonly rowsScored: number;
  /** Scored user-days dropped from the results by `SuccessfulLogons > 0`. */
  readonly rowsFiltered: number;
  /** Result rows flagged as outliers (`predict = -1`). */
  readonly outliers: number;
  /** Result rows with SHAP values. */
  readonly explained: number;
}

/**
 * A hunt's outcome, column-oriented so that millions of rows cost typed arrays, not objects. Row numbers index
 * `featureTable` (the input user-days in input order, with the feature columns appended). From `huntUserDayPasses`,
 * `featureTable`, `scores` and `shap` hold only the best-ranked rows, best first, and `ranking` is `0, 1, ...`;
 * `counts` always cover every row.
 */
export interface HuntResult {
  /** The forest that scored the rows: fitted here, or the one given. */
  readonly model: IsolationForestModel;
  /** Whether the model was fitted on these user-days (false when one was given). */
  readonly fitted: boolean;
  /** The input user-days, in input order, with the feature columns of `@isoforest/features` appended. */
  readonly featureTable: Table;
  /** Per row of `featureTable`: `score` (`-decision_function`, larger is more anomalous), `predict`, ... */
  readonly scores: ModelScores;
  /** The result rows (`SuccessfulLogons > 0`), most anomalous first (by `score`, ties in input order). */
  readonly ranking: Int32Array;
  /**
   * SHAP values of the mean path length, one column per model feature, per row of `featureTable`; NaN where a row
   * was not explained. Negative values shorten the path: they push the row toward "anomalous".
   */
  readonly shap: readonly Float64Array[];
  readonly counts: HuntCounts;
  /** Threads that scored and explained: `options.threads` or fewer, for a hunt too small to gain from them. */
  readonly threads: number;
}

/**
 * The notebook's hunt over a user-day table: per-user z-score features, an isolation forest with the notebook's
 * parameters (or the given model), scores for every user-day, the `SuccessfulLogons > 0` filter on the results,
 * the ranking by score, and exact TreeSHAP explanations of the rows that matter.
 */
export async function huntUserDays(
  isoforest: Isoforest,
  userDays: Table,
  options: HuntOptions = {},
): Promise<HuntResult> {
  const featureTable = buildFeatureTable(userDays);
  const rows = featureTable.numRows;
  const model =
    options.model ??
    isoforest.fit(featureTable, {
      features: options.features ?? MODEL_FEATURES,
      nEstimators: options.trees ?? notebookTreeCount(rows),
      maxSamples: options.maxSamples ?? NOTEBOOK_PARAMETERS.maxSamples,
      maxFeatures: options.maxFeatures ?? NOTEBOOK_PARAMETERS.maxFeatures,
      contamination: options.contamination ?? NOTEBOOK_PARAMETERS.contamination,
      randomState: options.seed ?? NOTEBOOK_PARAMETERS.seed,
    });
  const threads = threadsWorthStarting(options.threads ?? 1, {
    scoreRows: rows,
    explainRows: rowsLikelyExplained(rows, options.explain ?? 'auto', options.top ?? DEFAULT_TOP),
    trees: model.nEstimators,
  });
  const { scores, ranking, toExplain, shap } = await withParallelModel(
    model,
    { threads, createWorker: options.createWorker },
    async (parallel) => {
      const scores = await parallel.score(featureTable);
      const ranking = rankByScore(rowsWithSuccessfulLogons(featureTable), scores.score);
      const toExplain = rowsToExplain(ranking, scores.predict, options.explain ?? 'auto', options.top ?? DEFAULT_TOP);
      return { scores, ranking, toExplain, shap: await explainRows(parallel, featureTable, toExplain) };
    },
  );
  let outliers = 0;
  for (const row of ranking) if (scores.predict[row] === -1) outliers++;
  return {
    model,
    fitted: options.model === undefined,
    featureTable,
    scores,
    ranking,
    shap,
    threads,
    counts: {
      rowsIn: userDays.numRows,
      rowsScored: rows,
      rowsFiltered: rows - ranking.length,
      outliers,
      explained: toExplain.length,
    },
  };
}

/**
 * At most how many rows `rowsToExplain` will pick, known before scoring: every row, or the top rows and the
 * flagged ones (a few percent at the notebook's contamination). Decides whether worker threads pay.
 */
export function rowsLikelyExplained(rows: number, scope: ExplainScope, top: number): number {
  if (scope === 'all' || (scope === 'auto' && rows <= AUTO_EXPLAIN_ALL_ROWS)) return rows;
  return Math.min(rows, top + Math.ceil(rows * 0.05));
}

/** Runs `work` on a parallel model of `model`, and always closes it. */
async function withParallelModel<T>(
  model: IsolationForestModel,
  options: ParallelOptions,
  work: (parallel: ParallelModel) => Promise<T>,
): Promise<T> {
  const parallel = await createParallelModel(model, options);
  try {
    return await work(parallel);
  } finally {
    await parallel.close();
  }
}

/** `rows` sorted by descending score; equal scores keep their input order. */
function rankByScore(rows: Int32Array, score: Float64Array): Int32Array {
  return rows.slice().sort((a, b) => score[b] - score[a] || a - b);
}

/** The ranked rows that get SHAP values, in ranking order. */
function rowsToExplain(ranking: Int32Array, predict: Int8Array, scope: ExplainScope, top: number): Int32Array {
  if (scope === 'all' || (scope === 'auto' && ranking.length <= AUTO_EXPLAIN_ALL_ROWS)) return ranking;
  return ranking.filter((row, rank) => rank < top || predict[row] === -1);
}

/** SHAP columns over every row of `featureTable`, NaN except on `rows`; gathers only those rows to explain. */
async function explainRows(parallel: ParallelModel, featureTable: Table, rows: Int32Array): Promise<Float64Array[]> {
  const { model } = parallel;
  // Every row: explain the table as it is, with no gather or scatter.
  if (rows.length === featureTable.numRows) return (await parallel.explain(featureTable)).values;
  const shap = model.featureNames.map(() => new Float64Array(featureTable.numRows).fill(Number.NaN));
  if (rows.length === 0) return shap;
  const columns: Record<string, Float64Array> = {};
  for (const name of model.featureNames) {
    const vector = featureTable.getChild(name)!;
    const gathered = new Float64Array(rows.length);
    rows.forEach((row, k) => {
      gathered[k] = Number(vector.get(row));
    });
    columns[name] = gathered;
  }
  const { values } = await parallel.explain(columns);
  values.forEach((column, c) => rows.forEach((row, k) => (shap[c][row] = column[k])));
  return shap;
}
