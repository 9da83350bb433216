import { PCA } from 'ml-pca';
import { mean, standardize } from './stats.js';

/** The first principal components of standardised columns. */
export interface PcaProjection {
  /** Fraction of the total variance each returned component explains, in [0, 1], largest first. */
  readonly explainedVariance: readonly number[];
  /** Coordinates of the requested rows on the components: `coordinates[c][i]` is row `rows[i]` on component c. */
  readonly coordinates: readonly Float64Array[];
}

/**
 * PCA of `columns` after standardising each (z-scores, constant columns -> 0), fitted on every row; projects only
 * `rows` (so a chart can show a sample of millions of rows while the components come from all of them).
 * Returns `components` components (fewer only if there are fewer columns). The covariance matrix is built here in
 * one pass over the data and handed to ml-pca for the eigen-decomposition, so memory stays O(columns^2).
 */
export function pcaProjection(
  columns: readonly ArrayLike<number>[],
  rows: readonly number[],
  components: number,
): PcaProjection {
  const d = columns.length;
  const n = d === 0 ? 0 : columns[0].length;
  if (d === 0 || n < 2) {
    throw new RangeError(`PCA needs at least 2 rows and 1 column (got ${n} rows, ${d} columns)`);
  }
  const z = standardize(columns);
  const means = z.map((c) => mean(c));
  const cov: number[][] = Array.from({ length: d }, () => new Array<number>(d).fill(0));
  for (let a = 0; a < d; a++) {
    for (let b = a; b < d; b++) {
      let s = 0;
      const za = z[a];
      const zb = z[b];
      for (let i = 0; i < n; i++) s += (za[i] - means[a]) * (zb[i] - means[b]);
      cov[a][b] = cov[b][a] = s / (n - 1);
    }
  }
  const pca = new PCA(cov, { isCovarianceMatrix: true });
  const k = Math.min(components, d);
  // Eigenvalues of a covariance matrix are >= 0; tiny negatives are rounding.
  const eigen = pca.getEigenvalues().map((v) => Math.max(0, v));
  const total = eigen.reduce((s, v) => s + v, 0);
  const explainedVariance = eigen.slice(0, k).map((v) => (total > 0 ? v / total : 0));
  const vectors = pca.getEigenvectors();
  const coordinates = Array.from({ length: k }, (_, c) => {
    const out = new Float64Array(rows.length);
    for (let i = 0; i < rows.length; i++) {
      let s = 0;
      for (let a = 0; a < d; a++) s += (z[a][rows[i]] - means[a]) * vectors.get(a, c);
      out[i] = s;
    }
    return out;
  });
  return { explainedVariance, coordinates };
}
