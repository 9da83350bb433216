import { countLabels, requireBothClasses } from './labels.js';
import { averageRanks, checkSameLength } from './ranks.js';

/**
 * Area under the ROC curve of `scores` (larger = more anomalous) against 0/1 `labels` (1 = anomaly): the
 * probability that a random anomaly scores above a random normal row, ties counting one half. Computed as the
 * Mann-Whitney U statistic over average ranks, `(sum of the positives' ranks - P (P + 1) / 2) / (P N)`, which equals
 * scikit-learn's `roc_auc_score`. In [0, 1]; 0.5 is chance, 1 a perfect ranking. Throws TuneError unless both
 * classes are present.
 */
export function rocAuc(scores: ArrayLike<number>, labels: ArrayLike<number>): number {
  checkSameLength('rocAuc', scores, labels);
  const counts = countLabels(labels);
  requireBothClasses(counts, 'ROC AUC');
  const ranks = averageRanks(scores);
  let positiveRankSum = 0;
  for (let i = 0; i < ranks.length; i++) if (labels[i] === 1) positiveRankSum += ranks[i];
  const { positives, negatives } = counts;
  return (positiveRankSum - (positives * (positives + 1)) / 2) / (positives * negatives);
}
