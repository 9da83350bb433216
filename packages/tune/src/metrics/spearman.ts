import { pearson } from '@isoforest/common';
import { averageRanks, checkSameLength } from './ranks.js';

/**
 * Spearman's rank correlation of `a` and `b`: the Pearson correlation of their average ranks (so ties are handled
 * as scipy's `spearmanr` does). In [-1, 1]; 1 when both order the rows the same way. NaN when either vector is
 * constant (its ranks have no variance), as scipy returns.
 */
export function spearman(a: ArrayLike<number>, b: ArrayLike<number>): number {
  checkSameLength('spearman', a, b);
  return pearson(averageRanks(a), averageRanks(b));
}
