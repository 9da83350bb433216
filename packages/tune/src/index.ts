/**
 * @isoforest/tune: hyperparameter sweeps for isolation forests. For each setting of a grid (trees, rows per tree,
 * features per tree, contamination) and each seed it times fit, score and explain, measures how stable the ranking
 * is across seeds and, given a 0/1 label, its ROC AUC, average precision and the precision of the cut.
 *
 * ```ts
 * const report = tune(await loadIsoforest(), table, { label: 'label', grid: { trees: [50, 100] } });
 * console.log(tuneReportMarkdown(report));
 * ```
 */
export { tune, DEFAULT_EXPLAIN_ROWS, DEFAULT_SEEDS, DEFAULT_TOP_K, type TuneOptions } from './tune.js';
export { DEFAULT_GRID, completeGrid, expandGrid, maxSamplesLabel, type TuneGrid, type TuneSetting } from './grid.js';
export { TUNE_METRICS, type LabelledQuality, type SettingResult, type TuneMetric, type TuneReport } from './result.js';
export { bestSetting } from './best.js';
export { seedStability, type SeedStability } from './stability.js';
export { readLabelColumn, type Labels } from './labelColumn.js';
export { TUNE_REPORT_FORMAT, TUNE_REPORT_VERSION, tuneReportJson, tuneReportMarkdown } from './format.js';
export { TuneError, type TuneErrorLocation } from './errors.js';
export { averageRanks } from './metrics/ranks.js';
export { rocAuc } from './metrics/rocAuc.js';
export { averagePrecision } from './metrics/averagePrecision.js';
export { spearman } from './metrics/spearman.js';
export { topKIndices, topKOverlap } from './metrics/topK.js';
export { precisionAtCut, type CutPrecision } from './metrics/precisionAtCut.js';
export { countLabels, type LabelCounts } from './metrics/labels.js';
export { meanStd, median, type MeanStd } from './metrics/summary.js';
