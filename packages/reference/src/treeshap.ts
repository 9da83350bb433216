/**
 * Path-dependent TreeSHAP of the mean path length (Lundberg et al. 2018, "Consistent individualized feature
 * attribution for tree ensembles", Algorithm 2), in plain TypeScript: the oracle the WebAssembly core is tested
 * against. The primitives are named after the paper and follow shap's `tree_shap.h` line for line.
 *
 * The explained output is the mean over trees of the leaf value `depth + c(nodeSamples)`; a node's cover is its
 * `nodeSamples`. For every row, `sum(shap) + treeShapExpectedValue(forest)` is the row's mean path length.
 */
import { LEAF, treeCount, type Columns, type FlatForest } from './forest.js';

/**
 * One path of unique features (the paper's `m`), stored as parallel arrays so a recursion level is a slice:
 * level `l` owns elements `[start, start + depth + 1)`.
 */
interface PathBuffer {
  readonly feature: Int32Array;
  readonly zeroFraction: Float64Array;
  readonly oneFraction: Float64Array;
  readonly pweight: Float64Array;
}

function newPathBuffer(maxDepth: number): PathBuffer {
  // Level d starts d + 1 slots after its parent and holds d + 1 elements: shap's bound for levels 0..maxDepth.
  const size = ((maxDepth + 2) * (maxDepth + 3)) / 2;
  return {
    feature: new Int32Array(size),
    zeroFraction: new Float64Array(size),
    oneFraction: new Float64Array(size),
    pweight: new Float64Array(size),
  };
}

/** EXTEND: adds a feature with the given zero and one fractions to the path ending at `start + depth`. */
function extendPath(
  path: PathBuffer,
  start: number,
  depth: number,
  zeroFraction: number,
  oneFraction: number,
  feature: number,
): void {
  const w = path.pweight;
  path.feature[start + depth] = feature;
  path.zeroFraction[start + depth] = zeroFraction;
  path.oneFraction[start + depth] = oneFraction;
  w[start + depth] = depth === 0 ? 1 : 0;
  for (let i = depth - 1; i >= 0; i--) {
    w[start + i + 1] += (oneFraction * w[start + i] * (i + 1)) / (depth + 1);
    w[start + i] = (zeroFraction * w[start + i] * (depth - i)) / (depth + 1);
  }
}

/** UNWIND: removes element `pathIndex` from the path, undoing its EXTEND (the path then has `depth` elements). */
function unwindPath(path: PathBuffer, start: number, depth: number, pathIndex: number): void {
  const w = path.pweight;
  const oneFraction = path.oneFraction[start + pathIndex];
  const zeroFraction = path.zeroFraction[start + pathIndex];
  let nextOnePortion = w[start + depth];
  for (let i = depth - 1; i >= 0; i--) {
    if (oneFraction !== 0) {
      const tmp = w[start + i];
      w[start + i] = (nextOnePortion * (depth + 1)) / ((i + 1) * oneFraction);
      nextOnePortion = tmp - (w[start + i] * zeroFraction * (depth - i)) / (depth + 1);
    } else {
      w[start + i] = (w[start + i] * (depth + 1)) / (zeroFraction * (depth - i));
    }
  }
  for (let i = pathIndex; i < depth; i++) {
    path.feature[start + i] = path.feature[start + i + 1];
    path.zeroFraction[start + i] = path.zeroFraction[start + i + 1];
    path.oneFraction[start + i] = path.oneFraction[start + i + 1];
  }
}

/** The total permutation weight the path would have with element `pathIndex` unwound, without changing it. */
function unwoundPathSum(path: PathBuffer, start: number, depth: number, pathIndex: number): number {
  const w = path.pweight;
  const oneFraction = path.oneFraction[start + pathIndex];
  const zeroFraction = path.zeroFraction[start + pathIndex];
  let nextOnePortion = w[start + depth];
  let total = 0;
  if (oneFraction !== 0) {
    for (let i = depth - 1; i >= 0; i--) {
      const tmp = nextOnePortion / ((i + 1) * oneFraction);
      total += tmp;
      nextOnePortion = w[start + i] - tmp * zeroFraction * (depth - i);
    }
  } else {
    for (let i = depth - 1; i >= 0; i--) {
      total += w[start + i] / (zeroFraction * (depth - i));
    }
  }
  return total * (depth + 1);
}

/** Everything one tree's recursion reads, fixed for the whole row. */
interface RowContext {
  readonly forest: FlatForest;
  readonly x: Columns;
  readonly row: number;
  /** Per-feature output of this row (length `x.columns`), accumulated over trees. */
  readonly phi: Float64Array;
  /** 1 / trees: the forest's output is the mean of its trees. */
  readonly scale: number;
  readonly path: PathBuffer;
}

/**
 * RECURSE of Algorithm 2 at `node`: the parent's path occupies `[parentStart, parentStart + depth)`; this level
 * copies it to `parentStart + depth + 1` (shap's layout) and extends it with the split that led here.
 */
function recurse(
  ctx: RowContext,
  node: number,
  parentStart: number,
  depth: number,
  zeroFraction: number,
  oneFraction: number,
  feature: number,
): void {
  const { forest, path } = ctx;
  const start = parentStart + depth + 1;
  for (let i = 0; i < depth; i++) {
    path.feature[start + i] = path.feature[parentStart + i];
    path.zeroFraction[start + i] = path.zeroFraction[parentStart + i];
    path.oneFraction[start + i] = path.oneFraction[parentStart + i];
    path.pweight[start + i] = path.pweight[parentStart + i];
  }
  extendPath(path, start, depth, zeroFraction, oneFraction, feature);

  const split = forest.feature[node];
  if (split === LEAF) {
    const leafValue = forest.value[node] * ctx.scale;
    // Element 0 is the dummy root element (feature -1); it carries no attribution.
    for (let i = 1; i <= depth; i++) {
      const w = unwoundPathSum(path, start, depth, i);
      const phiFeature = path.feature[start + i];
      ctx.phi[phiFeature] += w * (path.oneFraction[start + i] - path.zeroFraction[start + i]) * leafValue;
    }
    return;
  }

  const left = forest.left[node];
  const xValue = ctx.x.data[split * ctx.x.rows + ctx.row];
  const hot = xValue <= forest.threshold[node] ? left : left + 1;
  const cold = hot === left ? left + 1 : left;
  const cover = forest.nodeSamples[node];
  const hotZeroFraction = forest.nodeSamples[hot] / cover;
  const coldZeroFraction = forest.nodeSamples[cold] / cover;
  let incomingZeroFraction = 1;
  let incomingOneFraction = 1;

  // A feature already split on higher up is unwound and merged with this split, so that it appears once.
  let pathIndex = 0;
  while (pathIndex <= depth && path.feature[start + pathIndex] !== split) pathIndex++;
  let uniqueDepth = depth;
  if (pathIndex <= depth) {
    incomingZeroFraction = path.zeroFraction[start + pathIndex];
    incomingOneFraction = path.oneFraction[start + pathIndex];
    unwindPath(path, start, depth, pathIndex);
    uniqueDepth -= 1;
  }

  recurse(ctx, hot, start, uniqueDepth + 1, hotZeroFraction * incomingZeroFraction, incomingOneFraction, split);
  recurse(ctx, cold, start, uniqueDepth + 1, coldZeroFraction * incomingZeroFraction, 0, split);
}

/** The depth (in edges) of the deepest node of every tree; TreeSHAP's path buffers are sized by it. */
export function treeDepths(forest: FlatForest): Int32Array {
  const trees = treeCount(forest);
  const depths = new Int32Array(trees);
  const nodeDepth = new Int32Array(forest.feature.length);
  for (let t = 0; t < trees; t++) {
    let deepest = 0;
    // Children come after their parent, so a node's depth is final when the loop reaches it.
    for (let n = forest.treeOffsets[t]; n < forest.treeOffsets[t + 1]; n++) {
      if (nodeDepth[n] > deepest) deepest = nodeDepth[n];
      if (forest.feature[n] !== LEAF) {
        nodeDepth[forest.left[n]] = nodeDepth[n] + 1;
        nodeDepth[forest.left[n] + 1] = nodeDepth[n] + 1;
      }
    }
    depths[t] = deepest;
  }
  return depths;
}

/**
 * TreeSHAP's base value: the mean over trees of the root's value, i.e. the mean path length expected for a row
 * drawn like the training sample (path-length units, the same as `meanPathLength`).
 */
export function treeShapExpectedValue(forest: FlatForest): number {
  const trees = treeCount(forest);
  let sum = 0;
  for (let t = 0; t < trees; t++) sum += forest.value[forest.treeOffsets[t]];
  return sum / trees;
}

/**
 * Exact path-dependent TreeSHAP values of the mean path length, column-major like the input: the contribution of
 * feature `c` to row `r` is `out[c * rows + r]`, in path-length units. A negative value shortens the path, i.e.
 * pushes the row toward "anomalous". For every row, `sum over c + treeShapExpectedValue(forest)` equals the row's
 * mean path length (up to rounding).
 */
export function treeShap(forest: FlatForest, x: Columns): Float64Array {
  const trees = treeCount(forest);
  const out = new Float64Array(x.rows * x.columns);
  const depths = treeDepths(forest);
  let maxDepth = 0;
  for (let t = 0; t < trees; t++) maxDepth = Math.max(maxDepth, depths[t]);
  const path = newPathBuffer(maxDepth);
  const phi = new Float64Array(x.columns);
  for (let row = 0; row < x.rows; row++) {
    phi.fill(0);
    const ctx: RowContext = { forest, x, row, phi, scale: 1 / trees, path };
    for (let t = 0; t < trees; t++) recurse(ctx, forest.treeOffsets[t], 0, 0, 1, 1, LEAF);
    for (let c = 0; c < x.columns; c++) out[c * x.rows + row] = phi[c];
  }
  return out;
}
