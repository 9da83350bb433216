/**
 * The flat forest: every tree of a model in a few typed arrays. The layout, and what each field means, is defined
 * once in docs/forest.md; this type is its TypeScript face. `@isoforest/reference` declares the same type for itself
 * (it imports nothing from the core); test/contracts.test.ts holds the two to one type.
 */
export interface FlatForest {
  /** Tree `t` owns nodes `[treeOffsets[t], treeOffsets[t + 1])`; its root is `treeOffsets[t]`. */
  readonly treeOffsets: Int32Array;
  /** Split column (an index into the model's feature list), or -1 on a leaf. */
  readonly feature: Int32Array;
  /** Split value: `x <= threshold` goes left. 0 on leaves. */
  readonly threshold: Float64Array;
  /** Forest-wide index of the left child; the right child is `left + 1`. -1 on leaves. */
  readonly left: Int32Array;
  /** Distinct training rows that reached the node (scikit-learn's `n_node_samples`, TreeSHAP's cover). */
  readonly nodeSamples: Int32Array;
  /** Leaf: `depth + c(nodeSamples)`. Internal node: the nodeSamples-weighted mean of its children's values. */
  readonly value: Float64Array;
}

/** The `feature` and `left` of a leaf. */
export const LEAF = -1;

/** The number of trees in a forest: one less than its `treeOffsets`. */
export function treeCount(forest: Pick<FlatForest, 'treeOffsets'>): number {
  return forest.treeOffsets.length - 1;
}
