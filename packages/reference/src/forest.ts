/**
 * The flat forest of docs/forest.md: every tree of a forest in a few typed arrays. Declared here again, rather than
 * imported from `@isoforest/core`, so the oracle depends on nothing it checks; the core's contracts test holds this
 * declaration, `Columns` and `Growth` to the same types as the core's `FlatForest`, `Float32Columns` and `TreeGrowth`.
 */
export interface FlatForest {
  /** Tree `t` owns nodes `[treeOffsets[t], treeOffsets[t + 1])`; its root is `treeOffsets[t]`. */
  readonly treeOffsets: Int32Array;
  /** Split column (an index into the feature list), or -1 on a leaf. */
  readonly feature: Int32Array;
  /** Split value: `x <= threshold` goes left. 0 on leaves. */
  readonly threshold: Float64Array;
  /** Forest-wide index of the left child; the right child is `left + 1`. -1 on leaves. */
  readonly left: Int32Array;
  /** Distinct training rows that reached the node (scikit-learn's `n_node_samples`). */
  readonly nodeSamples: Int32Array;
  /** Leaf: `depth + c(nodeSamples)`. Internal node: the nodeSamples-weighted mean of its children's values. */
  readonly value: Float64Array;
}

/** Column-major float32 rows: column `c` of row `r` is `data[c * rows + r]`; values finite. */
export interface Columns {
  readonly data: Float32Array;
  readonly rows: number;
  readonly columns: number;
}

/** Resolved training parameters (docs/forest.md, "Growing tree t"). */
export interface Growth {
  /** Number of trees, at least 1. */
  readonly trees: number;
  /** Rows drawn per tree, an integer in `[1, rows]`. */
  readonly maxSamples: number;
  /** Features per tree, an integer in `[1, columns]`. */
  readonly maxFeatures: number;
  /** Draw rows with replacement (then grow on the distinct rows drawn). */
  readonly bootstrap: boolean;
  /** The forest's seed, a u32. */
  readonly seed: number;
}

/** Leaf marker in `feature` and `left`. */
export const LEAF = -1;

/** The number of trees in a forest. */
export function treeCount(forest: FlatForest): number {
  return forest.treeOffsets.length - 1;
}

/** `maxDepth = ceil(log2(max(maxSamples, 2)))`, computed on integers: the smallest `d` with `2^d >= maxSamples`. */
export function maxDepthFor(maxSamples: number): number {
  let depth = 0;
  while (2 ** depth < Math.max(maxSamples, 2)) depth++;
  return depth;
}
