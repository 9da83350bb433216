import type { FlatForest } from './forest.js';

/**
 * Column-major float32 feature data as it sits in WebAssembly memory: column `c` of row `r` is
 * `data[c * rows + r]`. Values are already rounded to float32 (scikit-learn's cast) and finite.
 */
export interface Float32Columns {
  readonly data: Float32Array;
  readonly rows: number;
  readonly columns: number;
}

/** Resolved training parameters (see docs/forest.md, "Growing tree t"). */
export interface TreeGrowth {
  readonly trees: number;
  readonly maxSamples: number;
  readonly maxFeatures: number;
  readonly bootstrap: boolean;
  readonly seed: number;
}

/**
 * The low-level WebAssembly engine: the only code that touches WASM memory. Everything above it passes typed
 * arrays. One instance owns one WebAssembly instance; it is not shared between threads.
 */
export interface Engine {
  /** Grows a forest on `x` exactly as docs/forest.md specifies. */
  growForest(x: Float32Columns, growth: TreeGrowth): FlatForest;
  /** Mean path length over the trees for every row of `x` (docs/forest.md, "Scores"). */
  meanPathLength(forest: FlatForest, x: Float32Columns): Float64Array;
  /**
   * Path-dependent TreeSHAP of the mean path length, column-major like the input: the contribution of feature `c`
   * to row `r` is `out[c * rows + r]`. Negative values shorten the path, i.e. push toward "anomalous".
   */
  treeShap(forest: FlatForest, x: Float32Columns): Float64Array;
}
