import { averageRanks } from './metrics/ranks.js';
import { pearson } from '@isoforest/common';
import { topKIndices } from './metrics/topK.js';

/** How much a setting's ranking depends on the seed, averaged over every pair of seeds. */
export interface SeedStability {
  /** Mean over seed pairs of `|top_k(a) ∩ top_k(b)| / k`, in [0, 1]: 1 = the same rows on top whatever the seed. */
  readonly topKOverlap: number;
  /**
   * Mean over seed pairs of Spearman's rank correlation of the scores, in [-1, 1]: 1 = the same order of all rows.
   * NaN if some seed scores every row alike.
   */
  readonly spearman: number;
}

/**
 * Stability of the scores one setting gave under different seeds (one score vector per seed, larger = more
 * anomalous), over all `s (s - 1) / 2` pairs; null for fewer than two seeds. Ranks and top-k sets are computed
 * once per seed, so this costs `s` sorts, not `s^2`.
 */
export function seedStability(scoresBySeed: readonly ArrayLike<number>[], k: number): SeedStability | null {
  const seeds = scoresBySeed.length;
  if (seeds < 2) return null;
  const ranks = scoresBySeed.map((scores) => averageRanks(scores));
  const tops = scoresBySeed.map((scores) => new Set(topKIndices(scores, k)));
  let overlapSum = 0;
  let spearmanSum = 0;
  let pairs = 0;
  for (let a = 0; a < seeds; a++) {
    for (let b = a + 1; b < seeds; b++) {
      let shared = 0;
      for (const row of tops[b]) if (tops[a].has(row)) shared++;
      overlapSum += shared / k;
      spearmanSum += pearson(ranks[a], ranks[b]);
      pairs++;
    }
  }
  return { topKOverlap: overlapSum / pairs, spearman: spearmanSum / pairs };
}
