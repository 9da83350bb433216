// Path-dependent TreeSHAP of the mean path length: Lundberg et al. 2018, Algorithm 2, with the paper's primitives
// (extendPath, unwindPath, unwoundPathSum) as shap's tree_shap.h writes them. The plain-TypeScript twin is
// packages/reference/src/treeshap.ts; every floating-point operation is done in the same order, so the two agree to
// the bit. assembly/treeshapFast.ts is the fast variant; it falls back to this file for trees it cannot tabulate.
//
// The forest is explainedForest.ts's. Rows: column-major float32 blocks, `x[c * rows + r]`; results: column-major
// float64, `out[c * rows + r]`.

import {
  columnCount, nodeFeature, nodeLeft, nodeSamples, nodeThreshold, nodeValue, treeOffsets, treeScale, treeTotal,
} from './explainedForest';
import { LEAF } from './forest';
import { align8 } from './memory';

// Work regions, set by treeShapLayout().
let rowValues: usize = 0; // f32[columns]: the row being explained, by feature
let phi: usize = 0; // f64[columns]: its attributions, summed over trees in tree order
let pathFeature: usize = 0; // i32[pathSlots]
let pathZero: usize = 0; // f64[pathSlots]: zero fractions
let pathOne: usize = 0; // f64[pathSlots]: one fractions
let pathWeight: usize = 0; // f64[pathSlots]: permutation weights
let workEnd: usize = 0;

// Level d of the recursion starts d + 1 slots after its parent and holds d + 1 elements: shap's bound.
function pathSlots(maxDepth: i32): usize {
  return <usize>(((maxDepth + 2) * (maxDepth + 3)) >> 1);
}

/** Lays the work area out at `work` (row buffer, phi, path buffers); returns the first byte after it. */
export function treeShapLayout(work: usize, columns: i32, maxDepth: i32): usize {
  const slots = pathSlots(maxDepth);
  rowValues = work;
  phi = align8(rowValues + (<usize>columns << 2));
  pathZero = phi + (<usize>columns << 3);
  pathOne = pathZero + (slots << 3);
  pathWeight = pathOne + (slots << 3);
  pathFeature = pathWeight + (slots << 3);
  workEnd = align8(pathFeature + (slots << 2));
  return workEnd;
}

/** Bytes of work area treeShapRows needs for rows of `columns` features and trees at most `maxDepth` deep. */
export function treeShapWorkBytes(columns: i32, maxDepth: i32): usize {
  return treeShapLayout(0, columns, maxDepth);
}

// EXTEND: adds a feature with the given zero and one fractions to the path ending at start + depth.
@inline
function extendPath(start: i32, depth: i32, zeroFraction: f64, oneFraction: f64, feature: i32): void {
  const at = <usize>(start + depth);
  store<i32>(pathFeature + (at << 2), feature);
  store<f64>(pathZero + (at << 3), zeroFraction);
  store<f64>(pathOne + (at << 3), oneFraction);
  store<f64>(pathWeight + (at << 3), depth == 0 ? 1.0 : 0.0);
  const d1 = <f64>(depth + 1);
  for (let i = depth - 1; i >= 0; i--) {
    const wi = pathWeight + (<usize>(start + i) << 3);
    const w = load<f64>(wi);
    store<f64>(wi, load<f64>(wi, 8) + (oneFraction * w * <f64>(i + 1)) / d1, 8);
    store<f64>(wi, (zeroFraction * w * <f64>(depth - i)) / d1);
  }
}

// UNWIND: removes element pathIndex from the path, undoing its EXTEND (the path then has depth elements).
function unwindPath(start: i32, depth: i32, pathIndex: i32): void {
  const oneFraction = load<f64>(pathOne + (<usize>(start + pathIndex) << 3));
  const zeroFraction = load<f64>(pathZero + (<usize>(start + pathIndex) << 3));
  let nextOnePortion = load<f64>(pathWeight + (<usize>(start + depth) << 3));
  const d1 = <f64>(depth + 1);
  for (let i = depth - 1; i >= 0; i--) {
    const wi = pathWeight + (<usize>(start + i) << 3);
    if (oneFraction != 0) {
      const tmp = load<f64>(wi);
      const w = (nextOnePortion * d1) / (<f64>(i + 1) * oneFraction);
      store<f64>(wi, w);
      nextOnePortion = tmp - (w * zeroFraction * <f64>(depth - i)) / d1;
    } else {
      store<f64>(wi, (load<f64>(wi) * d1) / (zeroFraction * <f64>(depth - i)));
    }
  }
  for (let i = pathIndex; i < depth; i++) {
    const at = <usize>(start + i);
    store<i32>(pathFeature + (at << 2), load<i32>(pathFeature + (at << 2), 4));
    store<f64>(pathZero + (at << 3), load<f64>(pathZero + (at << 3), 8));
    store<f64>(pathOne + (at << 3), load<f64>(pathOne + (at << 3), 8));
  }
}

// The total permutation weight the path would have with element pathIndex unwound, without changing it.
@inline
function unwoundPathSum(start: i32, depth: i32, pathIndex: i32): f64 {
  const oneFraction = load<f64>(pathOne + (<usize>(start + pathIndex) << 3));
  const zeroFraction = load<f64>(pathZero + (<usize>(start + pathIndex) << 3));
  let nextOnePortion = load<f64>(pathWeight + (<usize>(start + depth) << 3));
  let total: f64 = 0;
  if (oneFraction != 0) {
    for (let i = depth - 1; i >= 0; i--) {
      const tmp = nextOnePortion / (<f64>(i + 1) * oneFraction);
      total += tmp;
      nextOnePortion = load<f64>(pathWeight + (<usize>(start + i) << 3)) - tmp * zeroFraction * <f64>(depth - i);
    }
  } else {
    for (let i = depth - 1; i >= 0; i--) {
      total += load<f64>(pathWeight + (<usize>(start + i) << 3)) / (zeroFraction * <f64>(depth - i));
    }
  }
  return total * <f64>(depth + 1);
}

// RECURSE at node: the parent's path occupies [parentStart, parentStart + depth); this level copies it to
// parentStart + depth + 1 and extends it with the split that led here.
function recurse(node: i32, parentStart: i32, depth: i32, zeroFraction: f64, oneFraction: f64, feature: i32): void {
  const start = parentStart + depth + 1;
  // A plain loop: paths are a few elements long, too short for memory.copy to pay off.
  for (let i = 0; i < depth; i++) {
    const to = <usize>(start + i);
    const from = <usize>(parentStart + i);
    store<i32>(pathFeature + (to << 2), load<i32>(pathFeature + (from << 2)));
    store<f64>(pathZero + (to << 3), load<f64>(pathZero + (from << 3)));
    store<f64>(pathOne + (to << 3), load<f64>(pathOne + (from << 3)));
    store<f64>(pathWeight + (to << 3), load<f64>(pathWeight + (from << 3)));
  }
  extendPath(start, depth, zeroFraction, oneFraction, feature);

  const split = load<i32>(nodeFeature + (<usize>node << 2));
  if (split == LEAF) {
    const leafValue = load<f64>(nodeValue + (<usize>node << 3)) * treeScale;
    // Element 0 is the dummy root element (feature -1); it carries no attribution.
    for (let i = 1; i <= depth; i++) {
      const w = unwoundPathSum(start, depth, i);
      const at = <usize>(start + i);
      const target = phi + (<usize>load<i32>(pathFeature + (at << 2)) << 3);
      const fractions = load<f64>(pathOne + (at << 3)) - load<f64>(pathZero + (at << 3));
      store<f64>(target, load<f64>(target) + w * fractions * leafValue);
    }
    return;
  }

  const left = load<i32>(nodeLeft + (<usize>node << 2));
  const x = load<f32>(rowValues + (<usize>split << 2));
  const hot = x <= load<f32>(nodeThreshold + (<usize>node << 2)) ? left : left + 1;
  const cold = hot == left ? left + 1 : left;
  const cover = <f64>load<i32>(nodeSamples + (<usize>node << 2));
  const hotZeroFraction = <f64>load<i32>(nodeSamples + (<usize>hot << 2)) / cover;
  const coldZeroFraction = <f64>load<i32>(nodeSamples + (<usize>cold << 2)) / cover;
  let incomingZeroFraction: f64 = 1;
  let incomingOneFraction: f64 = 1;

  // A feature already split on higher up is unwound and merged with this split, so that it appears once.
  let pathIndex = 0;
  while (pathIndex <= depth && load<i32>(pathFeature + (<usize>(start + pathIndex) << 2)) != split) pathIndex++;
  let uniqueDepth = depth;
  if (pathIndex <= depth) {
    incomingZeroFraction = load<f64>(pathZero + (<usize>(start + pathIndex) << 3));
    incomingOneFraction = load<f64>(pathOne + (<usize>(start + pathIndex) << 3));
    unwindPath(start, depth, pathIndex);
    uniqueDepth -= 1;
  }

  recurse(hot, start, uniqueDepth + 1, hotZeroFraction * incomingZeroFraction, incomingOneFraction, split);
  recurse(cold, start, uniqueDepth + 1, coldZeroFraction * incomingZeroFraction, 0, split);
}

/** Adds tree `t`'s attributions for the row in the work area's row buffer to its phi (Algorithm 2). */
export function treeShapTreeAlgorithm2(t: i32): void {
  recurse(load<i32>(treeOffsets + (<usize>t << 2)), 0, 0, 1, 1, LEAF);
}

// Loads row `r` of the column-major block `x` (`rows` rows) into the row buffer and clears phi.
function beginRow(x: usize, rows: i32, r: i32): void {
  for (let c = 0; c < columnCount; c++) {
    store<f32>(rowValues + (<usize>c << 2), load<f32>(x + ((<usize>c * <usize>rows + <usize>r) << 2)));
    store<f64>(phi + (<usize>c << 3), 0.0);
  }
}

// Writes phi as row `r` of the column-major float64 result block `out` (`rows` rows).
function endRow(out: usize, rows: i32, r: i32): void {
  for (let c = 0; c < columnCount; c++) {
    store<f64>(out + ((<usize>c * <usize>rows + <usize>r) << 3), load<f64>(phi + (<usize>c << 3)));
  }
}

/** Points Algorithm 2 at another row (f32 per feature) and its phi (f64 per feature), as the fast variant does. */
export function treeShapUseRow(row: usize, rowPhi: usize): void {
  rowValues = row;
  phi = rowPhi;
}

/**
 * Algorithm 2 for rows [0, rows) of the column-major float32 block `x`: writes each row's attributions (path-length
 * units; negative = shorter path = more anomalous) to the column-major float64 block `out`. `work` must hold
 * treeShapWorkBytes(columns, maxDepth) bytes, maxDepth at least the forest's deepest leaf's depth.
 */
export function treeShapRows(x: usize, rows: i32, out: usize, work: usize, maxDepth: i32): void {
  treeShapLayout(work, columnCount, maxDepth);
  for (let r = 0; r < rows; r++) {
    beginRow(x, rows, r);
    for (let t = 0; t < treeTotal; t++) treeShapTreeAlgorithm2(t);
    endRow(out, rows, r);
  }
}
