// The forest TreeSHAP explains, shared by Algorithm 2 (treeshapAlgorithm2.ts) and its fast variant
// (treeshapFast.ts), which falls back to Algorithm 2 tree by tree and so must read the very same arrays.
//
// Written by the host (packages/core/src/wasm/treeshap.ts), one entry per node, forest-wide indices:
//   feature i32 (-1 on a leaf), threshold32 f32 (the largest float32 not above the float64 threshold), left i32
//   (right = left + 1), nodeSamples i32 (the cover), value f64; treeOffsets i32[trees + 1].

// Byte addresses of the host-written arrays, set by beginTreeShap().
export let treeOffsets: usize = 0;
export let treeTotal: i32 = 0;
export let nodeFeature: usize = 0;
export let nodeThreshold: usize = 0;
export let nodeLeft: usize = 0;
export let nodeSamples: usize = 0;
export let nodeValue: usize = 0;
/** Features per row: the columns of the row blocks explained and of their attributions. */
export let columnCount: i32 = 0;
/** 1 / trees: the explained output is the mean of the trees. */
export let treeScale: f64 = 0;

/** Sets the forest every later TreeSHAP call explains (byte addresses of the host-written arrays). */
export function beginTreeShap(
  offsets: usize, trees: i32, feature: usize, threshold32: usize, left: usize, samples: usize, value: usize,
  columns: i32,
): void {
  treeOffsets = offsets;
  treeTotal = trees;
  nodeFeature = feature;
  nodeThreshold = threshold32;
  nodeLeft = left;
  nodeSamples = samples;
  nodeValue = value;
  columnCount = columns;
  treeScale = 1.0 / <f64>trees;
}
