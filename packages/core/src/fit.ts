import { linearQuantile } from '@isoforest/common';
import type { Engine, TreeGrowth } from './engine.js';
import { OptionsError } from './errors.js';
import type { FitWarning } from './fitWarning.js';
import { defaultFeatureNames, resolveInput, type ModelInput } from './input.js';
import { IsolationForestModel } from './model.js';
import type { ModelParams } from './modelParts.js';
import { averagePathLength, scoreFromPathLength } from './pathLength.js';

/**
 * Rows drawn for each tree, as scikit-learn's `max_samples` takes them. JavaScript has one number type, so where
 * scikit-learn tells the int `1` (one row) from the float `1.0` (all rows) by type, the explicit forms say which:
 * - `"auto"`: `min(256, rows)`;
 * - `{ count: n }`: `n` rows, an integer of at least 1 (scikit-learn's int); more than the training rows means all of
 *   them, with a {@link FitWarning} (scikit-learn warns the same way);
 * - `{ fraction: f }`: `floor(f * rows)` rows, `f` in `(0, 1]` (scikit-learn's float);
 * - a bare number, the shorthand: a fraction when in `(0, 1]` (so `1` means all rows), else an integer count.
 */
export type MaxSamples = 'auto' | number | { readonly count: number } | { readonly fraction: number };

/**
 * Training options, with scikit-learn's `IsolationForest` semantics and defaults. A number in `(0, 1]` given for
 * `maxSamples` or `maxFeatures` is a fraction, a larger integer is a count; `maxSamples` also takes the explicit
 * `{ count }` and `{ fraction }` forms of {@link MaxSamples}, so one row per tree (scikit-learn's int `1`) has a spelling.
 */
export interface FitOptions {
  /** Number of trees. Default 100. */
  readonly nEstimators?: number;
  /** Rows drawn for each tree (see {@link MaxSamples}). Default `"auto"` = `min(256, rows)`. */
  readonly maxSamples?: MaxSamples;
  /** Features each tree may split on: a fraction `f` in `(0, 1]` = `max(1, floor(f * features))` (default 1 = all), or a count. */
  readonly maxFeatures?: number;
  /** Draw each tree's rows with replacement. Default false. */
  readonly bootstrap?: boolean;
  /**
   * Expected fraction of outliers in the training data. `"auto"` (default): `offset = -0.5`, as in the paper. A
   * number `q` in `(0, 0.5]`: `offset` is the `100 q`-th percentile (linear interpolation, as numpy) of the training
   * rows' `scoreSamples`, so about a fraction `q` of them are predicted outliers.
   */
  readonly contamination?: 'auto' | number;
  /**
   * The u32 seed of the forest's random numbers (docs/forest.md). Default 0: unlike scikit-learn, whose default
   * `random_state=None` draws a fresh seed, fitting is deterministic unless you vary the seed yourself.
   */
  readonly randomState?: number;
  /**
   * The feature columns to train on, in the order the model will index them. Default: every Int, Uint or Float column
   * of a table, or every key of a record. Required when the input is an array of columns.
   */
  readonly features?: readonly string[];
}

/** Default number of trees (scikit-learn's `n_estimators`). */
export const DEFAULT_N_ESTIMATORS = 100;
/** The `"auto"` cap on rows per tree (scikit-learn's `min(256, n_samples)`). */
export const AUTO_MAX_SAMPLES = 256;
/** The offset `contamination: "auto"` gives: the paper's threshold on the anomaly score, 0.5. */
export const AUTO_OFFSET = -0.5;
/** The most nodes one forest can hold: node indices are int32 forest-wide. */
const MAX_FOREST_NODES = 2 ** 31 - 1;

const OPTION_NAMES: readonly (keyof FitOptions)[] = [
  'nEstimators',
  'maxSamples',
  'maxFeatures',
  'bootstrap',
  'contamination',
  'randomState',
  'features',
];

/** The options, checked and resolved against the training data's shape. */
export interface ResolvedFit {
  readonly growth: TreeGrowth;
  readonly contamination: 'auto' | number;
  /** What a model grown with these options records of them (`model.params`). */
  readonly params: ModelParams;
  /** What was resolved otherwise than asked (empty when nothing was). */
  readonly warnings: readonly FitWarning[];
}

/**
 * Checks every option (throwing {@link OptionsError} naming it) and resolves the counts for `rows` training rows
 * of the chosen `features`.
 */
export function resolveFitOptions(options: FitOptions, features: readonly string[], rows: number): ResolvedFit {
  const trees = resolveCount('nEstimators', options.nEstimators ?? DEFAULT_N_ESTIMATORS);
  const warnings: FitWarning[] = [];
  const maxSamples = resolveMaxSamples(options.maxSamples ?? 'auto', rows, warnings);
  // A tree on m rows has at most 2m - 1 nodes, and node indices are int32 forest-wide.
  if (trees * (2 * maxSamples - 1) > MAX_FOREST_NODES) {
    throw new OptionsError(
      'nEstimators',
      `${trees} trees of up to ${2 * maxSamples - 1} nodes exceed the 2^31 nodes a forest can index`,
    );
  }
  const growth: TreeGrowth = {
    trees,
    maxSamples,
    maxFeatures: resolveMaxFeatures(options.maxFeatures ?? 1, features.length),
    bootstrap: resolveBoolean('bootstrap', options.bootstrap ?? false),
    seed: resolveSeed(options.randomState ?? 0),
  };
  const contamination = resolveContamination(options.contamination ?? 'auto');
  const params: ModelParams = {
    source: 'fit',
    nEstimators: growth.trees,
    maxSamples: growth.maxSamples,
    maxFeatures: growth.maxFeatures,
    bootstrap: growth.bootstrap,
    contamination,
    randomState: growth.seed,
  };
  return { growth, contamination, params, warnings };
}

/** Grows a forest on `input` (see {@link FitOptions}) and sets its offset from `contamination`. */
export function fitModel(engine: Engine, input: ModelInput, options: FitOptions = {}): IsolationForestModel {
  checkOptionNames(options);
  const features = resolveFeatures(options, input);
  const training = resolveInput(input, features);
  const { growth, contamination, params, warnings } = resolveFitOptions(options, features, training.rows);
  // Training reads every row at once: the engine draws each tree's rows from all of them.
  const rows = training.readBlock(0, training.rows);
  const forest = engine.growForest(rows, growth);
  const provisional = new IsolationForestModel(
    engine,
    { forest, featureNames: features, offset: AUTO_OFFSET, params },
    warnings,
  );
  if (contamination === 'auto') return provisional;
  // The training rows are already float32 and checked: score them as they are rather than converting them again.
  const normaliser = averagePathLength(growth.maxSamples);
  const trainingScores = engine.meanPathLength(provisional.forest, rows).map((m) => scoreFromPathLength(m, normaliser));
  const offset = linearQuantile(trainingScores, contamination);
  return provisional.withOffset(offset);
}

function checkOptionNames(options: FitOptions): void {
  if (typeof options !== 'object' || options === null) throw new OptionsError('options', 'must be an object');
  for (const key of Object.keys(options)) {
    if (!(OPTION_NAMES as readonly string[]).includes(key)) {
      throw new OptionsError(key, `unknown option; the options are ${OPTION_NAMES.join(', ')}`);
    }
  }
}

function resolveFeatures(options: FitOptions, input: ModelInput): readonly string[] {
  const features = options.features ?? defaultFeatureNames(input);
  if (features === undefined) {
    throw new OptionsError('features', 'required when the input is an array of columns (name them in order)');
  }
  if (!Array.isArray(features) || features.length === 0) {
    throw new OptionsError('features', 'must be a non-empty array of column names');
  }
  const seen = new Set<string>();
  for (const name of features) {
    if (typeof name !== 'string' || name.length === 0)
      throw new OptionsError('features', `${String(name)} is not a column name`);
    if (seen.has(name)) throw new OptionsError('features', `"${name}" is listed twice`);
    seen.add(name);
  }
  return features;
}

function resolveCount(option: string, value: unknown): number {
  if (typeof value !== 'number' || !Number.isInteger(value) || value < 1 || value > 2 ** 31 - 1) {
    throw new OptionsError(option, `${String(value)} is not a positive integer`);
  }
  return value;
}

/**
 * scikit-learn's `max_samples` rules: a count above the rows is lowered to the rows with a warning (all rows for all
 * trees, no sampling); a count or fraction that gives no row at all is refused.
 */
function resolveMaxSamples(value: unknown, rows: number, warnings: FitWarning[]): number {
  if (value === 'auto') return Math.min(AUTO_MAX_SAMPLES, rows);
  const count = isRecord(value)
    ? resolveExplicitMaxSamples(value, rows)
    : resolveSize('maxSamples', value, rows, (f) => Math.floor(f * rows));
  if (count < 1) {
    throw new OptionsError(
      'maxSamples',
      `${showMaxSamples(value)} gives no row per tree out of ${rows}; a tree needs at least 1`,
    );
  }
  if (count > rows) {
    warnings.push({
      code: 'max-samples-capped',
      option: 'maxSamples',
      message: `max_samples (${count}) is greater than the total number of samples (${rows}). max_samples will be set to n_samples for estimation.`,
    });
    return rows;
  }
  return count;
}

function resolveExplicitMaxSamples(value: Readonly<Record<string, unknown>>, rows: number): number {
  const keys = Object.keys(value);
  if (keys.length === 1 && keys[0] === 'count') {
    const { count } = value;
    if (typeof count !== 'number' || !Number.isInteger(count) || count < 1 || count > 2 ** 31 - 1) {
      throw new OptionsError('maxSamples', `{ count: ${String(count)} } is not a positive integer count`);
    }
    return count;
  }
  if (keys.length === 1 && keys[0] === 'fraction') {
    const { fraction } = value;
    if (typeof fraction !== 'number' || !(fraction > 0 && fraction <= 1)) {
      throw new OptionsError('maxSamples', `{ fraction: ${String(fraction)} } is not a fraction in (0, 1]`);
    }
    return Math.floor(fraction * rows);
  }
  throw new OptionsError('maxSamples', 'must be "auto", a number, { count: n } or { fraction: f }');
}

function showMaxSamples(value: unknown): string {
  return isRecord(value) ? JSON.stringify(value) : String(value);
}

function isRecord(value: unknown): value is Readonly<Record<string, unknown>> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function resolveMaxFeatures(value: unknown, features: number): number {
  const count = resolveSize('maxFeatures', value, features, (f) => Math.max(1, Math.floor(f * features)));
  if (count > features) {
    throw new OptionsError(
      'maxFeatures',
      `${count} exceeds the ${features} features; use at most ${features} or a fraction`,
    );
  }
  return count;
}

/** A fraction in (0, 1] resolved by `fromFraction`, or an integer count above 1 taken as is. */
function resolveSize(option: string, value: unknown, total: number, fromFraction: (f: number) => number): number {
  if (typeof value !== 'number' || !Number.isFinite(value) || value <= 0) {
    throw new OptionsError(option, `${String(value)} is not a fraction in (0, 1] or a count`);
  }
  if (value <= 1) return fromFraction(value);
  if (!Number.isInteger(value)) {
    throw new OptionsError(option, `${value} is neither a fraction in (0, 1] nor an integer count (of ${total})`);
  }
  return value;
}

function resolveBoolean(option: string, value: unknown): boolean {
  if (typeof value !== 'boolean') throw new OptionsError(option, `${String(value)} is not true or false`);
  return value;
}

function resolveSeed(value: unknown): number {
  if (typeof value !== 'number' || !Number.isInteger(value) || value < 0 || value > 0xffffffff) {
    throw new OptionsError('randomState', `${String(value)} is not an integer in [0, 2^32 - 1]`);
  }
  return value;
}

function resolveContamination(value: unknown): 'auto' | number {
  if (value === 'auto') return value;
  if (typeof value !== 'number' || !(value > 0 && value <= 0.5)) {
    throw new OptionsError('contamination', `${String(value)} is not "auto" or a number in (0, 0.5]`);
  }
  return value;
}
