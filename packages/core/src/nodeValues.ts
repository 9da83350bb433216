import { treeCount, type FlatForest } from './forest.js';
import { averagePathLength } from './pathLength.js';

/**
 * The `value` array of a flat forest from its structure (docs/forest.md, "Flat layout"): a leaf's path length
 * `depth + c(nodeSamples)` in edges, and for an internal node the `nodeSamples`-weighted mean of its children,
 * `(n_l v_l + n_r v_r) / (n_l + n_r)`. Every model, fitted, imported or loaded, gets its values from here, so
 * saving and loading cannot change a score. Relies on the layout (children after their parent, `right = left + 1`).
 */
export function computeNodeValues(forest: Omit<FlatForest, 'value'>): Float64Array {
  const { treeOffsets, left, nodeSamples } = forest;
  const nodes = left.length;
  const value = new Float64Array(nodes);
  const depth = new Int32Array(nodes);
  for (let t = 0; t + 1 < treeOffsets.length; t++) {
    const start = treeOffsets[t];
    const end = treeOffsets[t + 1];
    depth[start] = 0;
    for (let i = start; i < end; i++) {
      const l = left[i];
      if (l >= 0) {
        depth[l] = depth[i] + 1;
        depth[l + 1] = depth[i] + 1;
      }
    }
    for (let i = end - 1; i >= start; i--) {
      const l = left[i];
      if (l < 0) {
        value[i] = depth[i] + averagePathLength(nodeSamples[i]);
      } else {
        const nl = nodeSamples[l];
        const nr = nodeSamples[l + 1];
        value[i] = (nl * value[l] + nr * value[l + 1]) / (nl + nr);
      }
    }
  }
  return value;
}

/**
 * The expected mean path length over the training distribution (edges): the mean over trees, in tree order, of
 * each root's value. TreeSHAP's base value: SHAP values of a row sum to its mean path length minus this.
 */
export function forestExpectedValue(forest: FlatForest): number {
  const trees = treeCount(forest);
  let sum = 0;
  for (let t = 0; t < trees; t++) sum += forest.value[forest.treeOffsets[t]];
  return sum / trees;
}
