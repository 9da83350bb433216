import type { Engine, Float32Columns } from './engine.js';
import { OptionsError } from './errors.js';
import type { FitWarning } from './fitWarning.js';
import { treeCount, type FlatForest } from './forest.js';
import { writeModelFile } from './format.js';
import { BLOCK_ROWS, resolveInput, type ModelInput, type ResolvedInput } from './input.js';
import { computeNodeValues, forestExpectedValue } from './nodeValues.js';
import { averagePathLength, scoreFromPathLength } from './pathLength.js';
import { cacheRowsFor, explainThroughCache, SHAP_CACHE_BYTES, ShapCache } from './shapCache.js';
import type { ModelParams, ModelParts } from './modelParts.js';

/** Every score of a set of rows, from one pass over the forest. Arrays are aligned with the input rows. */
export interface ModelScores {
  /** Mean path length over the trees, in edges: shorter = easier to isolate = more anomalous. */
  readonly meanPathLength: Float64Array;
  /** scikit-learn's `score_samples`, `-2^(-meanPathLength / c(maxSamples))`, in `[-1, 0)`: lower = more anomalous. */
  readonly scoreSamples: Float64Array;
  /** `scoreSamples - offset`: negative for outliers, positive for inliers. */
  readonly decisionFunction: Float64Array;
  /** -1 for an outlier (`decisionFunction < 0`), 1 for an inlier. */
  readonly predict: Int8Array;
  /** The notebook's score, `-decisionFunction`: larger = more anomalous, positive for outliers. */
  readonly score: Float64Array;
}

/** TreeSHAP explanation of the mean path length of each row. */
export interface Explanation {
  /**
   * One column per feature (in `featureNames` order), one value per row: the feature's exact path-dependent SHAP
   * contribution to the row's mean path length, in edges. NEGATIVE values shorten the path, i.e. push the row
   * toward "anomalous"; positive values push it toward "normal". For each row the values sum to
   * `meanPathLength - expectedValue`.
   */
  readonly values: Float64Array[];
  /** The base value the contributions start from: the model's expected mean path length, in edges. */
  readonly expectedValue: number;
  /**
   * `values / c(maxSamples)`: contributions in units of the normalising path length (the exponent of the score). With
   * one row per tree (`c(1) = 0`) they are 0 and `scaledExpectedValue` is 1, the exponent scikit-learn fixes.
   */
  readonly scaled: Float64Array[];
  /** `expectedValue / c(maxSamples)`. */
  readonly scaledExpectedValue: number;
}

/** Each model's engine, for {@link treeShapOf}: the workers' seam, kept off the class's public face. */
const engines = new WeakMap<IsolationForestModel, Engine>();

/**
 * A fitted isolation forest. Scores follow scikit-learn's `IsolationForest` exactly: for the same trees and rows,
 * `scoreSamples`, `decisionFunction` and `predict` are scikit-learn's to the last bit or so.
 *
 * Every method takes a {@link ModelInput} holding (at least) the columns named in `featureNames`; rows are rounded
 * to float32 as scikit-learn does and processed in blocks of {@link BLOCK_ROWS}, so inputs of any size score in
 * bounded memory. Methods are synchronous. Create models with `loadIsoforest()` (`fit`, `importSklearn`, `load`,
 * `fromParts`); the package exports this class as a type only, so every model comes through one of those, each of
 * which checks what it reads once.
 */
export class IsolationForestModel {
  /** The feature columns the model reads, in the order its forest indexes them. */
  readonly featureNames: readonly string[];
  /**
   * scikit-learn's `offset_`: the threshold on `scoreSamples` below which a row is an outlier, so that
   * `decisionFunction = scoreSamples - offset`. -0.5 when contamination is "auto"; otherwise the contamination
   * percentile of the training rows' `scoreSamples`.
   */
  readonly offset: number;
  /** Rows each tree was grown on (scikit-learn's `max_samples_`); `c(maxSamples)` normalises path lengths. */
  readonly maxSamples: number;
  /** Number of trees. */
  readonly nEstimators: number;
  /** How the model was made. */
  readonly params: ModelParams;
  /** The trees, in the flat layout of docs/forest.md. Treat as read-only. */
  readonly forest: FlatForest;
  /**
   * The expected mean path length, in edges: the mean over trees of each root's training-weighted value. The SHAP
   * base value: a row's SHAP values sum to its mean path length minus this.
   */
  readonly expectedValue: number;
  /**
   * What `fit` resolved otherwise than asked (scikit-learn's `UserWarning`s), e.g. a `maxSamples` above the training
   * rows lowered to the rows. Empty for imported and loaded models, and for fits that did as asked.
   */
  readonly warnings: readonly FitWarning[];

  readonly #engine: Engine;
  /** `c(maxSamples)`: the path length that maps to a score of -0.5. */
  readonly #normaliser: number;

  /**
   * Takes `parts` as they are and recomputes the node values (unless the forest is one a model already holds). The parts must already be checked (a native file by
   * readModelFile, a scikit-learn model by sklearnChecks.ts, a caller's forest by `fromParts`) or grown by the
   * engine: a malformed forest would reach the engine unchecked.
   */
  constructor(engine: Engine, parts: ModelParts, warnings: readonly FitWarning[] = []) {
    const { forest, featureNames, offset, params } = parts;
    this.#engine = engine;
    engines.set(this, engine);
    this.#normaliser = averagePathLength(params.maxSamples);
    this.featureNames = Object.freeze([...featureNames]);
    this.offset = offset;
    this.maxSamples = params.maxSamples;
    this.nEstimators = treeCount(forest);
    this.params = Object.freeze({ ...params });
    this.forest = withNodeValues(forest);
    this.expectedValue = forestExpectedValue(this.forest);
    this.warnings = Object.freeze([...warnings]);
  }

  /** Mean path length over the trees of each row, in edges (tree levels): shorter = more anomalous. */
  meanPathLength(input: ModelInput): Float64Array {
    const resolved = resolveInput(input, this.featureNames);
    const out = new Float64Array(resolved.rows);
    forEachBlock(resolved, (x, start) => out.set(this.#engine.meanPathLength(this.forest, x), start));
    return out;
  }

  /**
   * scikit-learn's `score_samples`: `-2^(-meanPathLength / c(maxSamples))`, in `[-1, 0)`, the opposite of the
   * paper's anomaly score. Close to -1 = anomalous; ordinary rows score around -0.5 or above.
   */
  scoreSamples(input: ModelInput): Float64Array {
    return this.meanPathLength(input).map((m) => scoreFromPathLength(m, this.#normaliser));
  }

  /** scikit-learn's `decision_function`: `scoreSamples - offset`. Negative = outlier, positive = inlier. */
  decisionFunction(input: ModelInput): Float64Array {
    return this.scoreSamples(input).map((s) => s - this.offset);
  }

  /** scikit-learn's `predict`: -1 for outliers (`decisionFunction < 0`), 1 for inliers. */
  predict(input: ModelInput): Int8Array {
    return this.score(input).predict;
  }

  /** All scores at once, from one pass over the forest (see {@link ModelScores} for each one's meaning and sign). */
  score(input: ModelInput): ModelScores {
    const meanPathLength = this.meanPathLength(input);
    const rows = meanPathLength.length;
    const scoreSamples = new Float64Array(rows);
    const decisionFunction = new Float64Array(rows);
    const predict = new Int8Array(rows);
    const score = new Float64Array(rows);
    for (let r = 0; r < rows; r++) {
      scoreSamples[r] = scoreFromPathLength(meanPathLength[r], this.#normaliser);
      decisionFunction[r] = scoreSamples[r] - this.offset;
      predict[r] = decisionFunction[r] < 0 ? -1 : 1;
      score[r] = -decisionFunction[r];
    }
    return { meanPathLength, scoreSamples, decisionFunction, predict, score };
  }

  /**
   * Exact path-dependent TreeSHAP of each row's mean path length (see {@link Explanation}): negative values push
   * toward anomalous. Local accuracy: for each row, the values sum to `meanPathLength - expectedValue`.
   */
  explain(input: ModelInput): Explanation {
    const resolved = resolveInput(input, this.featureNames);
    const values = this.featureNames.map(() => new Float64Array(resolved.rows));
    const cache = this.#callCache(resolved.rows);
    forEachBlock(resolved, (x, start) => explainThroughCache(cache, x, this.#treeShap, values, start));
    return explanationOf(values, this.expectedValue, this.#normaliser);
  }

  /**
   * Global feature importance over `input`: per feature (in `featureNames` order), the mean over rows of the
   * absolute SHAP value of the mean path length, in edges. Non-negative; larger = the feature moves scores more.
   * Streams block by block, so it needs no more memory than scoring and the bounded cache of distinct rows.
   */
  importance(input: ModelInput): Float64Array {
    const resolved = resolveInput(input, this.featureNames);
    const sums = new Float64Array(this.featureNames.length);
    const cache = this.#callCache(resolved.rows);
    forEachBlock(resolved, (x) => {
      const shap = Array.from({ length: x.columns }, () => new Float64Array(x.rows));
      explainThroughCache(cache, x, this.#treeShap, shap, 0);
      shap.forEach((column, c) => {
        let sum = 0;
        for (let r = 0; r < x.rows; r++) sum += Math.abs(column[r]);
        sums[c] += sum;
      });
    });
    return sums.map((sum) => sum / resolved.rows);
  }

  /**
   * A cache for one call over `rows` rows: each distinct row of the call is explained once (user-day features
   * repeat a lot), in memory bounded by SHAP_CACHE_BYTES.
   */
  #callCache(rows: number): ShapCache {
    const columns = this.featureNames.length;
    return new ShapCache(columns, Math.min(rows, cacheRowsFor(columns, SHAP_CACHE_BYTES)));
  }

  /** The engine's TreeSHAP of rows already checked and rounded, with no cache. */
  readonly #treeShap = (x: Float32Columns): Float64Array => this.#engine.treeShap(this.forest, x);

  /**
   * The same forest with another `offset` (scikit-learn's `offset_`), e.g. a contamination percentile computed over
   * more rows than `fit` saw. Throws OptionsError unless `offset` is a finite number.
   */
  withOffset(offset: number): IsolationForestModel {
    if (typeof offset !== 'number' || !Number.isFinite(offset)) {
      throw new OptionsError('offset', `must be a finite number, got ${String(offset)}`);
    }
    return new IsolationForestModel(
      this.#engine,
      { forest: this.forest, featureNames: this.featureNames, offset, params: this.params },
      this.warnings,
    );
  }

  /** The model as a native model file (an Arrow IPC file; see format.ts), for `loadIsoforest().load(bytes)`. */
  save(): Uint8Array {
    return writeModelFile({
      forest: this.forest,
      featureNames: this.featureNames,
      offset: this.offset,
      params: this.params,
    });
  }
}

/**
 * The engine's TreeSHAP of `model` on rows already checked and rounded to float32 (column-major in and out), with no
 * cache: what workers and the parallel model's cache run on the rows they lack. Only this module sees the engine.
 */
export function treeShapOf(model: IsolationForestModel, x: Float32Columns): Float64Array {
  return engines.get(model)!.treeShap(model.forest, x);
}

/**
 * The {@link Explanation} of SHAP `values` (in edges) of a model with this expected value and `normaliser`
 * (`c(maxSamples)`).
 */
export function explanationOf(values: Float64Array[], expectedValue: number, normaliser: number): Explanation {
  if (normaliser === 0) {
    // One row per tree: every path length is 0 and scikit-learn fixes the score's exponent at 1 (SINGLE_ROW_SCORE),
    // so nothing is attributed and the scaled base value alone gives the score.
    return { values, expectedValue, scaled: values.map((column) => column.map(() => 0)), scaledExpectedValue: 1 };
  }
  return {
    values,
    expectedValue,
    scaled: values.map((column) => column.map((v) => v / normaliser)),
    scaledExpectedValue: expectedValue / normaliser,
  };
}

/** Feeds `resolved` to `visit` in blocks of at most BLOCK_ROWS rows; `start` is the block's first row. */
/** Forests whose node values a model computed: another model of the same forest (`withOffset`) takes them as they are. */
const valued = new WeakSet<object>();

/**
 * `forest` with the node values of its structure: computed, or reused when a model computed them for this very
 * object, so that a model and its `withOffset` share one forest (and the engine's packed copies of it).
 */
function withNodeValues(forest: ModelParts['forest']): FlatForest {
  if (valued.has(forest)) return forest as FlatForest;
  const computed = { ...forest, value: computeNodeValues(forest) };
  valued.add(computed);
  return computed;
}

function forEachBlock(resolved: ResolvedInput, visit: (x: Float32Columns, start: number) => void): void {
  for (let start = 0; start < resolved.rows; start += BLOCK_ROWS) {
    visit(resolved.readBlock(start, Math.min(resolved.rows, start + BLOCK_ROWS)), start);
  }
}
