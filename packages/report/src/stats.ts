import { pearson } from '@isoforest/common';

/** Small, exact statistics over columns of numbers (two-pass, so large counts do not lose precision). */

/** Arithmetic mean; NaN for an empty column. */
export function mean(x: ArrayLike<number>): number {
  let sum = 0;
  for (let i = 0; i < x.length; i++) sum += x[i];
  return sum / x.length;
}

/** The symmetric matrix of pairwise Pearson correlations of `columns` (diagonal 1, NaN for constant columns). */
export function correlationMatrix(columns: readonly ArrayLike<number>[]): number[][] {
  const k = columns.length;
  const r: number[][] = Array.from({ length: k }, () => new Array<number>(k).fill(NaN));
  for (let i = 0; i < k; i++) {
    for (let j = i; j < k; j++) {
      const v = pearson(columns[i], columns[j]);
      r[i][j] = v;
      r[j][i] = v;
    }
  }
  return r;
}

/** One off-diagonal entry of a correlation matrix. */
export interface CorrelationPair {
  readonly a: string;
  readonly b: string;
  /** Pearson correlation in [-1, 1]. */
  readonly r: number;
}

/** The `k` pairs of distinct columns with the largest |r|, largest first; undefined (NaN) pairs are left out. */
export function topCorrelations(
  names: readonly string[],
  matrix: readonly (readonly number[])[],
  k: number,
): CorrelationPair[] {
  const pairs: CorrelationPair[] = [];
  for (let i = 0; i < names.length; i++) {
    for (let j = i + 1; j < names.length; j++) {
      const r = matrix[i][j];
      if (!Number.isNaN(r)) pairs.push({ a: names[i], b: names[j], r });
    }
  }
  pairs.sort((p, q) => Math.abs(q.r) - Math.abs(p.r));
  return pairs.slice(0, k);
}

/**
 * Each column minus its mean, divided by its population standard deviation (ddof 0, as scikit-learn's
 * StandardScaler). A constant column becomes all zeros rather than NaN.
 */
export function standardize(columns: readonly ArrayLike<number>[]): Float64Array[] {
  return columns.map((x) => {
    const n = x.length;
    const m = mean(x);
    let ss = 0;
    for (let i = 0; i < n; i++) ss += (x[i] - m) ** 2;
    const sd = Math.sqrt(ss / n);
    const z = new Float64Array(n);
    if (sd > 0) for (let i = 0; i < n; i++) z[i] = (x[i] - m) / sd;
    return z;
  });
}
