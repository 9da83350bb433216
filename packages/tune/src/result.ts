import type { TuneSetting } from './grid.js';
import type { MeanStd } from './metrics/summary.js';
import type { SeedStability } from './stability.js';

/** What ranks the settings: ROC AUC, average precision, top-k stability across seeds, or speed. */
export type TuneMetric = 'auc' | 'ap' | 'stability' | 'speed';

/** Every metric name, in the order `--metric` lists them. */
export const TUNE_METRICS: readonly TuneMetric[] = ['auc', 'ap', 'stability', 'speed'];

/** Quality against the ground-truth label, each a mean and population std over the seeds. */
export interface LabelledQuality {
  /** ROC AUC of `score` (larger = more anomalous), in [0, 1]; 0.5 is chance. */
  readonly rocAuc: MeanStd;
  /** Average precision of `score`, in (0, 1]; chance is the share of anomalies. */
  readonly averagePrecision: MeanStd;
  /** Share of the rows the model flags (`predict = -1`, the contamination cut) that are labelled 1; 0 if none flagged. */
  readonly precisionAtCut: MeanStd;
  /** Rows flagged at the cut, mean over seeds. */
  readonly flagged: number;
}

/** The measurements of one setting over all seeds. */
export interface SettingResult {
  readonly setting: TuneSetting;
  /** `maxSamples` and `maxFeatures` resolved to the counts the forest used. */
  readonly resolved: { readonly maxSamples: number; readonly maxFeatures: number };
  /** What the fits did otherwise than the setting asked (the models' `warnings` messages, each once); empty if nothing. */
  readonly warnings: readonly string[];
  /** Median over seeds of the wall time of `fit` (growing the forest and, for a numeric contamination, setting the offset), ms. */
  readonly fitMs: number;
  /** Median over seeds of the wall time of `score` over every row, ms. */
  readonly scoreMs: number;
  /** Median over seeds of the wall time of `explain` (exact TreeSHAP) over the first `explainRows` rows, ms; null when not measured. */
  readonly explainMs: number | null;
  /** Agreement of the rankings across seeds; null with a single seed. */
  readonly stability: SeedStability | null;
  /** Quality against the label; null without one. */
  readonly quality: LabelledQuality | null;
}

/** Everything a sweep measured, with the best setting. */
export interface TuneReport {
  /** Rows fitted and scored. */
  readonly rows: number;
  /** The feature columns, in model order. */
  readonly features: readonly string[];
  /** The label column, or null. */
  readonly label: string | null;
  /** Rows labelled 1, or null without a label. */
  readonly positives: number | null;
  /** The seeds (`randomState`) each setting was fitted with. */
  readonly seeds: readonly number[];
  /** The k of the top-k overlap. */
  readonly topK: number;
  /** Rows explained per run for the explain time (0 = not measured). */
  readonly explainRows: number;
  /** The metric `best` was chosen by. */
  readonly metric: TuneMetric;
  /** One result per setting, in grid order (trees slowest, contamination fastest). */
  readonly results: readonly SettingResult[];
  /** Index in `results` of the best setting by `metric`; ties go to the earlier setting. */
  readonly best: number;
}
