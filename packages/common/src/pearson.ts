/**
 * Pearson's correlation of two equally long columns, in [-1, 1], computed in two passes (means first) so that large
 * values do not lose precision. NaN when there are fewer than 2 values or either column is constant, as pandas'
 * `DataFrame.corr` and numpy's `corrcoef` give, since the correlation is undefined there.
 */
export function pearson(x: ArrayLike<number>, y: ArrayLike<number>): number {
  if (x.length !== y.length) throw new RangeError(`pearson: columns differ in length (${x.length} vs ${y.length})`);
  const n = x.length;
  if (n < 2) return Number.NaN;
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
  // Rounding can push |r| a hair past 1 for perfectly (anti)correlated columns.
  return Math.max(-1, Math.min(1, sxy / Math.sqrt(sxx * syy)));
}
