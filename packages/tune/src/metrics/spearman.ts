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

/** Pearson's correlation of two equally long vectors, in [-1, 1]; NaN when either is constant. */
export function pearson(x: ArrayLike<number>, y: ArrayLike<number>): number {
  const n = x.length;
  let meanX = 0;
  let meanY = 0;
  for (let i = 0; i < n; i++) {
    meanX += x[i];
    meanY += y[i];
  }
  meanX /= n;
  meanY /= n;
  let sxy = 0;
  let sxx = 0;
  let syy = 0;
  for (let i = 0; i < n; i++) {
    const dx = x[i] - meanX;
    const dy = y[i] - meanY;
    sxy += dx * dy;
    sxx += dx * dx;
    syy += dy * dy;
  }
  if (sxx === 0 || syy === 0) return Number.NaN;
  // Rounding can carry a perfect correlation a hair past 1.
  return Math.max(-1, Math.min(1, sxy / Math.sqrt(sxx * syy)));
}
