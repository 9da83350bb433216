/** Scoring a flat forest (docs/forest.md, "Scores"): the oracle for `assembly/score.ts` and its benchmark baseline. */
import { LEAF, treeCount, type Columns, type FlatForest } from './forest.js';

/**
 * The mean path length of every row of `x`: `(h_0(x) + ... + h_{T-1}(x)) / T`, summed in tree order in float64,
 * where `h_t(x)` is the value of the leaf the row reaches in tree `t` (`x <= threshold` goes left). Units: tree
 * levels; shorter means easier to isolate, i.e. more anomalous.
 */
export function meanPathLength(forest: FlatForest, x: Columns): Float64Array {
  const trees = treeCount(forest);
  const out = new Float64Array(x.rows);
  for (let r = 0; r < x.rows; r++) {
    let sum = 0;
    for (let t = 0; t < trees; t++) {
      let node = forest.treeOffsets[t];
      while (forest.feature[node] !== LEAF) {
        const v = x.data[forest.feature[node] * x.rows + r];
        node = v <= forest.threshold[node] ? forest.left[node] : forest.left[node] + 1;
      }
      sum += forest.value[node];
    }
    out[r] = sum / trees;
  }
  return out;
}

/**
 * scikit-learn's `score_samples`: `-2^(-meanPathLength / c(maxSamples))`, in `[-1, 0)`. The opposite of the
 * paper's anomaly score: lower (closer to -1) is more anomalous. Same signature as the core's. When
 * `c(maxSamples) = 0` (one row per tree), scikit-learn's `_compute_score_samples` replaces the quotient by 1, so every
 * row scores `-0.5`.
 *
 * @param normaliser `c(maxSamples)`, i.e. `averagePathLength(maxSamples)`, computed once per forest.
 */
export function scoreFromPathLength(meanPathLength: number, normaliser: number): number {
  const exponent = normaliser === 0 ? 1 : meanPathLength / normaliser;
  return -Math.pow(2, -exponent);
}
