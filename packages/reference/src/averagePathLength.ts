/** Euler-Mascheroni constant, to the digits scikit-learn's `np.euler_gamma` carries. */
const EULER_GAMMA = 0.5772156649015329;

/**
 * `c(n)`, scikit-learn's `_average_path_length`: the average path length of an unsuccessful search in a binary
 * search tree of `n` points, i.e. the depth an isolation tree would still need below a leaf holding `n` rows.
 * `0` for `n <= 1`, `1` for `n = 2`, otherwise `2 (ln(n - 1) + gamma) - 2 (n - 1) / n`. Units: tree levels (edges).
 */
export function averagePathLength(n: number): number {
  if (n <= 1) return 0;
  if (n === 2) return 1;
  return 2.0 * (Math.log(n - 1.0) + EULER_GAMMA) - (2.0 * (n - 1.0)) / n;
}
