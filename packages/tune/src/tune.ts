import { DataType, type Table } from 'apache-arrow';
import type { FitOptions, Isoforest } from '@isoforest/core';
import { bestSetting } from './best.js';
import { TuneError } from './errors.js';
import { completeGrid, expandGrid, maxSamplesLabel, type TuneGrid, type TuneSetting } from './grid.js';
import { readLabelColumn, type Labels } from './labelColumn.js';
import { requireBothClasses } from './metrics/labels.js';
import { averagePrecision } from './metrics/averagePrecision.js';
import { precisionAtCut } from './metrics/precisionAtCut.js';
import { rocAuc } from './metrics/rocAuc.js';
import { meanStd, median } from './metrics/summary.js';
import { TUNE_METRICS, type LabelledQuality, type SettingResult, type TuneMetric, type TuneReport } from './result.js';
import { seedStability } from './stability.js';

/** Seeds each setting is fitted with unless told otherwise. */
export const DEFAULT_SEEDS: readonly number[] = [0, 1, 2, 3, 4];
/** The k of the top-k overlap unless told otherwise: about the rows an analyst reads. */
export const DEFAULT_TOP_K = 20;
/** Rows explained per run to time TreeSHAP unless told otherwise (enough for a stable time, small enough to sweep). */
export const DEFAULT_EXPLAIN_ROWS = 500;

/** A sweep's options. */
export interface TuneOptions {
  /** Feature columns, in model order. Default: every Int, Uint or Float column except the label. */
  readonly features?: readonly string[];
  /** The 0/1 ground-truth column (1 = anomaly). Without it only speed and stability are measured. */
  readonly label?: string;
  /** The values to sweep; lists left out come from `DEFAULT_GRID`. */
  readonly grid?: Partial<TuneGrid>;
  /** The `randomState` of each run of a setting; at least two for stability. Default {@link DEFAULT_SEEDS}. */
  readonly seeds?: readonly number[];
  /** The k of the top-k overlap, from 1 to the rows (default {@link DEFAULT_TOP_K}, capped at the rows). */
  readonly topK?: number;
  /** What picks the best setting. Default `auc` with a label, else `stability` (or `speed` with one seed). */
  readonly metric?: TuneMetric;
  /** Rows (the first ones) explained per run to time TreeSHAP; 0 skips it. Default {@link DEFAULT_EXPLAIN_ROWS}. */
  readonly explainRows?: number;
  /** Called after each setting, with how many of the `total` settings are done and the setting's result. */
  readonly onSetting?: (done: number, total: number, result: SettingResult) => void;
}

/**
 * Sweeps a grid of isolation-forest settings over `table`: for every setting and every seed it fits a forest on
 * all rows, scores all rows and explains the first `explainRows`, timing each step; across seeds it measures how
 * stable the ranking is; with a label it measures ROC AUC, average precision and the precision of the cut. It
 * then picks the best setting by the chosen metric.
 *
 * The options are checked, and every setting is tried once on a one-tree forest, before the sweep starts, so a bad
 * value fails in a second rather than after minutes. Throws TuneError for bad tuning options or labels, and the
 * core's OptionsError / InputError for a bad fit option or feature column. Runs synchronously.
 */
export function tune(isoforest: Isoforest, table: Table, options: TuneOptions = {}): TuneReport {
  const labels = options.label === undefined ? undefined : readLabelColumn(table, options.label);
  if (labels !== undefined) requireBothClasses(labels, 'tuning against a label', options.label);
  const features = resolveFeatures(table, options);
  const seeds = resolveSeeds(options.seeds ?? DEFAULT_SEEDS);
  const rows = table.numRows;
  const topK = resolveCount('topK', options.topK ?? Math.min(DEFAULT_TOP_K, rows), 1, rows);
  const explainRows = Math.min(
    resolveCount('explainRows', options.explainRows ?? DEFAULT_EXPLAIN_ROWS, 0, Number.MAX_SAFE_INTEGER),
    rows,
  );
  const metric = options.metric ?? (labels !== undefined ? 'auc' : seeds.length > 1 ? 'stability' : 'speed');
  const settings = expandGrid(completeGrid(options.grid));
  checkMetric(metric, labels, seeds);
  tryEverySetting(isoforest, table, features, settings, seeds[0]);

  const explained = explainRows > 0 ? table.slice(0, explainRows) : undefined;
  const results: SettingResult[] = [];
  for (const setting of settings) {
    const result = measureSetting(isoforest, table, features, setting, { seeds, topK, labels, explained });
    results.push(result);
    options.onSetting?.(results.length, settings.length, result);
  }
  return {
    rows,
    features,
    label: options.label ?? null,
    positives: labels?.positives ?? null,
    seeds,
    topK,
    explainRows,
    metric,
    results,
    best: bestSetting(results, metric),
  };
}

interface Measurement {
  readonly seeds: readonly number[];
  readonly topK: number;
  readonly labels: Labels | undefined;
  readonly explained: Table | undefined;
}

function measureSetting(
  isoforest: Isoforest,
  table: Table,
  features: readonly string[],
  setting: TuneSetting,
  { seeds, topK, labels, explained }: Measurement,
): SettingResult {
  const fitMs: number[] = [];
  const scoreMs: number[] = [];
  const explainMs: number[] = [];
  const scoresBySeed: Float64Array[] = [];
  const auc: number[] = [];
  const ap: number[] = [];
  const cutPrecision: number[] = [];
  let flagged = 0;
  let resolved = { maxSamples: 0, maxFeatures: 0 };
  const warnings = new Set<string>();
  for (const seed of seeds) {
    let start = performance.now();
    const model = isoforest.fit(table, fitOptions(setting, features, seed));
    fitMs.push(performance.now() - start);
    start = performance.now();
    const scores = model.score(table);
    scoreMs.push(performance.now() - start);
    if (explained !== undefined) {
      start = performance.now();
      model.explain(explained);
      explainMs.push(performance.now() - start);
    }
    resolved = { maxSamples: model.params.maxSamples, maxFeatures: model.params.maxFeatures };
    for (const warning of model.warnings) warnings.add(warning.message);
    scoresBySeed.push(scores.score);
    if (labels !== undefined) {
      auc.push(rocAuc(scores.score, labels.values));
      ap.push(averagePrecision(scores.score, labels.values));
      const cut = precisionAtCut(scores.predict, labels.values);
      cutPrecision.push(cut.precision);
      flagged += cut.flagged;
    }
  }
  const quality: LabelledQuality | null =
    labels === undefined
      ? null
      : {
          rocAuc: meanStd(auc),
          averagePrecision: meanStd(ap),
          precisionAtCut: meanStd(cutPrecision),
          flagged: flagged / seeds.length,
        };
  return {
    setting,
    resolved,
    warnings: [...warnings],
    fitMs: median(fitMs),
    scoreMs: median(scoreMs),
    explainMs: explainMs.length > 0 ? median(explainMs) : null,
    stability: seedStability(scoresBySeed, topK),
    quality,
  };
}

function fitOptions(setting: TuneSetting, features: readonly string[], seed: number): FitOptions {
  return {
    features,
    nEstimators: setting.trees,
    maxSamples: setting.maxSamples,
    maxFeatures: setting.maxFeatures,
    contamination: setting.contamination,
    randomState: seed,
  };
}

/**
 * Lets the core check every value of the grid (its rules are the one source of truth) on forests too small to
 * cost anything: each tree count on two-row trees, each other combination on a single tree.
 */
function tryEverySetting(
  isoforest: Isoforest,
  table: Table,
  features: readonly string[],
  settings: readonly TuneSetting[],
  seed: number,
): void {
  for (const trees of new Set(settings.map((s) => s.trees))) {
    isoforest.fit(table, { features, nEstimators: trees, maxSamples: 2, randomState: seed });
  }
  const seen = new Set<string>();
  for (const setting of settings) {
    const key = `${maxSamplesLabel(setting.maxSamples)} ${setting.maxFeatures} ${setting.contamination}`;
    if (seen.has(key)) continue;
    seen.add(key);
    isoforest.fit(table, fitOptions({ ...setting, trees: 1 }, features, seed));
  }
}

function resolveFeatures(table: Table, options: TuneOptions): readonly string[] {
  if (options.features !== undefined) {
    if (options.label !== undefined && options.features.includes(options.label)) {
      throw new TuneError(`the label column ${options.label} cannot also be a feature`, {
        option: 'features',
        column: options.label,
      });
    }
    return options.features;
  }
  const features = table.schema.fields
    .filter((field) => field.name !== options.label && (DataType.isInt(field.type) || DataType.isFloat(field.type)))
    .map((field) => field.name);
  if (features.length === 0) {
    throw new TuneError('the table has no numeric column besides the label to use as a feature', {
      option: 'features',
    });
  }
  return features;
}

function resolveSeeds(seeds: readonly number[]): readonly number[] {
  if (!Array.isArray(seeds) || seeds.length === 0)
    throw new TuneError('seeds must list at least one seed', { option: 'seeds' });
  for (const seed of seeds) {
    if (!Number.isInteger(seed) || seed < 0 || seed > 0xffff_ffff) {
      throw new TuneError(`seed ${String(seed)} is not an integer from 0 to 4294967295`, { option: 'seeds' });
    }
  }
  return [...seeds];
}

function resolveCount(option: string, value: number, min: number, max: number): number {
  if (!Number.isInteger(value) || value < min || value > max) {
    throw new TuneError(`${option} ${String(value)} is not a whole number from ${min} to ${max}`, { option });
  }
  return value;
}

function checkMetric(metric: TuneMetric, labels: Labels | undefined, seeds: readonly number[]): void {
  if (!TUNE_METRICS.includes(metric))
    throw new TuneError(`unknown metric ${String(metric)}; use one of ${TUNE_METRICS.join(', ')}`, {
      option: 'metric',
    });
  if ((metric === 'auc' || metric === 'ap') && labels === undefined) {
    throw new TuneError(`metric ${metric} needs a label column`, { option: 'metric' });
  }
  if (metric === 'stability' && seeds.length < 2) {
    throw new TuneError('metric stability needs at least two seeds', { option: 'metric' });
  }
}
