/** Euler-Mascheroni constant, as scikit-learn writes it in `_average_path_length`. */
const EULER_GAMMA = 0.5772156649015329;

/**
 * `c(n)`: the average path length, in edges, of an unsuccessful search in a binary search tree of `n` points
 * (scikit-learn's `_average_path_length`). It normalises path lengths into scores and completes a leaf that holds
 * `n` training rows. `0` for `n <= 1`, `1` for `n = 2`, otherwise `2 (ln(n - 1) + gamma) - 2 (n - 1) / n`.
 */
export function averagePathLength(n: number): number {
  if (n <= 1) return 0;
  if (n === 2) return 1;
  return 2 * (Math.log(n - 1) + EULER_GAMMA) - (2 * (n - 1)) / n;
}

/**
 * The score of every row of a forest whose trees hold one row each (`maxSamples = 1`): `c(1) = 0` cannot normalise a
 * path length, so scikit-learn sets the exponent to 1 and every row scores `-2^-1`, an inlier under the `"auto"`
 * offset (docs/forest.md, "Scores").
 */
export const SINGLE_ROW_SCORE = -0.5;

/**
 * scikit-learn's `score_samples` from a mean path length `m` (edges): `-2^(-m / c(maxSamples))`. In `[-1, 0)`:
 * close to -1 for short paths (anomalous), around -0.5 or above for ordinary rows. With `c(maxSamples) = 0` (one
 * row per tree) it is {@link SINGLE_ROW_SCORE} for every row, as in scikit-learn.
 *
 * @param normaliser `c(maxSamples)`, i.e. `averagePathLength(model.maxSamples)`, computed once per model.
 */
export function scoreFromPathLength(meanPathLength: number, normaliser: number): number {
  if (normaliser === 0) return SINGLE_ROW_SCORE;
  return -Math.pow(2, -meanPathLength / normaliser);
}

/**
 * The depth limit of a tree grown on `maxSamples` rows, in edges: `ceil(log2(max(maxSamples, 2)))`, as scikit-learn
 * sets `max_depth`. Computed on integers so it is exact at powers of two.
 */
export function maxTreeDepth(maxSamples: number): number {
  let depth = 0;
  while (2 ** depth < maxSamples) depth++;
  return Math.max(depth, 1);
}
