import { countLabels, requireBothClasses } from './labels.js';
import { ascendingOrder, checkSameLength } from './ranks.js';

/**
 * Average precision of `scores` (larger = more anomalous) against 0/1 `labels` (1 = anomaly), as scikit-learn's
 * `average_precision_score`: walking the distinct score thresholds from the highest down, `sum (R_n - R_{n-1}) P_n`
 * where `P_n` and `R_n` are the precision and recall of flagging every row scoring at least the n-th threshold
 * (rows with equal scores are flagged together) and `R_0 = 0`. In (0, 1]; a random ranking scores about the share
 * of anomalies. Throws TuneError unless both classes are present.
 */
export function averagePrecision(scores: ArrayLike<number>, labels: ArrayLike<number>): number {
  checkSameLength('averagePrecision', scores, labels);
  const counts = countLabels(labels);
  requireBothClasses(counts, 'average precision');
  const order = ascendingOrder(scores);
  let truePositives = 0;
  let flagged = 0;
  let previousRecall = 0;
  let sum = 0;
  let i = order.length - 1;
  while (i >= 0) {
    const threshold = scores[order[i]];
    // Flag every row at this threshold before taking a point of the curve.
    while (i >= 0 && scores[order[i]] === threshold) {
      truePositives += labels[order[i]];
      flagged++;
      i--;
    }
    const recall = truePositives / counts.positives;
    sum += (recall - previousRecall) * (truePositives / flagged);
    previousRecall = recall;
  }
  return sum;
}
