import { checkSameLength } from './ranks.js';

/** How well the model's own cut (its `offset`, set from `contamination`) separates anomalies. */
export interface CutPrecision {
  /**
   * Share of the flagged rows (`predict = -1`) labelled 1, in [0, 1]. 0 when no row is flagged (scikit-learn's
   * `precision_score` with its default `zero_division`).
   */
  readonly precision: number;
  /** Rows flagged as outliers. */
  readonly flagged: number;
}

/** Precision of the outlier predictions `predict` (-1 = outlier, 1 = inlier) against 0/1 `labels` (1 = anomaly). */
export function precisionAtCut(predict: ArrayLike<number>, labels: ArrayLike<number>): CutPrecision {
  checkSameLength('precisionAtCut', predict, labels);
  let flagged = 0;
  let truePositives = 0;
  for (let i = 0; i < predict.length; i++) {
    if (predict[i] === -1) {
      flagged++;
      truePositives += labels[i];
    }
  }
  return { precision: flagged === 0 ? 0 : truePositives / flagged, flagged };
}
