// Growing one isolation tree over flat memory, exactly as docs/forest.md "Growing tree t" specifies; the
// plain-TypeScript twin is packages/reference/src/train.ts. No managed objects: every array is a region of the
// work area laid out by layoutWork().

import { LEAF, maxDepthFor } from './forest';
import { align8 } from './memory';
import { averagePathLength } from './pathLength';
import { nextBelow, nextDouble, seedTree } from './rng';

// Work area regions (byte addresses), set by layoutWork().
let marks: usize = 0; // u8[rows]: 1 while a row is in the tree's sample
let order: usize = 0; // i32[columns]: Fisher-Yates scratch
let features: usize = 0; // i32[columns]: the tree's features, ascending
let rowIds: usize = 0; // i32[maxSamples]: the tree's distinct rows
let nodeRows: usize = 0; // i32[maxSamples]: positions in the sample, partitioned so each node owns a range
let sampleColumns: usize = 0; // f32[columns * maxSamples]: the tree's rows of its k features, gathered column-major
let candidates: usize = 0; // i32[columns]: candidate features (as positions in `features`)
let candidateMin: usize = 0; // f32[columns]
let candidateMax: usize = 0; // f32[columns]
let stack: usize = 0; // i32[4 * (maxDepth + 2)]: pending nodes (node, start, end, depth)
let workEnd: usize = 0;

function layoutWork(work: usize, rows: i32, columns: i32, maxSamples: i32): void {
  marks = work;
  order = align8(marks + <usize>rows);
  features = order + (<usize>columns << 2);
  rowIds = align8(features + (<usize>columns << 2));
  nodeRows = rowIds + (<usize>maxSamples << 2);
  sampleColumns = align8(nodeRows + (<usize>maxSamples << 2));
  candidates = align8(sampleColumns + ((<usize>columns * <usize>maxSamples) << 2));
  candidateMin = candidates + (<usize>columns << 2);
  candidateMax = candidateMin + (<usize>columns << 2);
  stack = align8(candidateMax + (<usize>columns << 2));
  workEnd = stack + ((<usize>(maxDepthFor(maxSamples) + 2) * 4) << 2);
}

/** Bytes of work area growTree needs for these sizes. */
export function growWorkBytes(rows: i32, columns: i32, maxSamples: i32): usize {
  layoutWork(0, rows, columns, maxSamples);
  return workEnd;
}

/** The most nodes a tree grown on maxSamples rows can have: every leaf holds at least one row. */
export function treeCapacity(maxSamples: i32): i32 {
  return 2 * maxSamples - 1;
}

// Growth parameters, set once per forest by beginGrowth().
let xData: usize = 0;
let nRows: i32 = 0;
let nColumns: i32 = 0;
let nMaxSamples: i32 = 0;
let nMaxFeatures: i32 = 0;
let withReplacement: bool = false;
let forestSeed: u32 = 0;
let maxDepth: i32 = 0;

/**
 * Prepares to grow trees on column-major float32 `x` (`rows` x `columns` at `xPtr`) with a work area of
 * growWorkBytes() bytes at `work`. Sizes are validated by the caller.
 */
export function beginGrowth(
  xPtr: usize, rows: i32, columns: i32, maxSamples: i32, maxFeatures: i32, bootstrap: bool, seed: u32, work: usize,
): void {
  xData = xPtr;
  nRows = rows;
  nColumns = columns;
  nMaxSamples = maxSamples;
  nMaxFeatures = maxFeatures;
  withReplacement = bootstrap;
  forestSeed = seed;
  maxDepth = maxDepthFor(maxSamples);
  layoutWork(work, rows, columns, maxSamples);
  memory.fill(marks, 0, <usize>rows);
}

// Step 2: the tree's features, ascending, into `features`; returns their count.
function chooseFeatures(): i32 {
  const columns = nColumns;
  const k = nMaxFeatures;
  if (k == columns) {
    for (let c = 0; c < columns; c++) store<i32>(features + (<usize>c << 2), c);
    return k;
  }
  for (let c = 0; c < columns; c++) store<i32>(order + (<usize>c << 2), c);
  for (let i = 0; i < k; i++) {
    const j = i + <i32>nextBelow(<u32>(columns - i));
    const a = load<i32>(order + (<usize>i << 2));
    store<i32>(order + (<usize>i << 2), load<i32>(order + (<usize>j << 2)));
    store<i32>(order + (<usize>j << 2), a);
  }
  // Insertion sort of the first k: k is at most the number of columns.
  for (let i = 0; i < k; i++) {
    const v = load<i32>(order + (<usize>i << 2));
    let p = i;
    while (p > 0 && load<i32>(features + (<usize>(p - 1) << 2)) > v) {
      store<i32>(features + (<usize>p << 2), load<i32>(features + (<usize>(p - 1) << 2)));
      p--;
    }
    store<i32>(features + (<usize>p << 2), v);
  }
  return k;
}

function takeRow(row: i32, count: i32): i32 {
  if (load<u8>(marks + <usize>row) != 0) return count;
  store<u8>(marks + <usize>row, 1);
  store<i32>(rowIds + (<usize>count << 2), row);
  return count + 1;
}

// Step 3: the tree's distinct rows into `rowIds`; returns their count. Unlike the reference they are not sorted:
// the tree depends only on which rows reach each node, never on their order.
function chooseRows(): i32 {
  const rows = nRows;
  const m = nMaxSamples;
  let count = 0;
  if (withReplacement) {
    for (let draw = 0; draw < m; draw++) count = takeRow(<i32>nextBelow(<u32>rows), count);
  } else if (m == rows) {
    for (let r = 0; r < rows; r++) store<i32>(rowIds + (<usize>r << 2), r);
    return rows;
  } else {
    // Floyd's algorithm.
    for (let j = rows - m; j < rows; j++) {
      const r = <i32>nextBelow(<u32>(j + 1));
      count = takeRow(load<u8>(marks + <usize>r) != 0 ? j : r, count);
    }
  }
  for (let i = 0; i < count; i++) store<u8>(marks + <usize>load<i32>(rowIds + (<usize>i << 2)), 0);
  return count;
}

// Output arrays of the tree being grown (see growTree).
let outValue: usize = 0;
let outThreshold: usize = 0;
let outFeature: usize = 0;
let outLeft: usize = 0;
let outSamples: usize = 0;

function initNode(node: i32, samples: i32): void {
  store<i32>(outFeature + (<usize>node << 2), LEAF);
  store<f64>(outThreshold + (<usize>node << 3), 0.0);
  store<i32>(outLeft + (<usize>node << 2), LEAF);
  store<i32>(outSamples + (<usize>node << 2), samples);
  store<f64>(outValue + (<usize>node << 3), 0.0);
}

// The split value of a feature spanning [lo, hi] (lo < hi) for a draw u in [0, 1): lo + (hi - lo) u, or lo when rounding
// lands on hi (scikit-learn's fallback), so both children get rows. A zero lo never takes the fallback, and -0 + p is
// +0 + p, so the sign of a zero minimum, which depends on the order rows are scanned, never reaches the threshold.
@inline
function splitThreshold(lo: f64, hi: f64, u: f64): f64 {
  const threshold = lo + (hi - lo) * u;
  return threshold >= hi ? lo : threshold;
}

// A leaf's value: its depth plus c(rows), the depth a full tree would still need below it.
function setLeafValue(node: i32, depth: i32, size: i32): void {
  store<f64>(outValue + (<usize>node << 3), <f64>depth + averagePathLength(<f64>size));
}

function push(sp: i32, node: i32, start: i32, end: i32, depth: i32): i32 {
  const at = stack + (<usize>sp << 4);
  store<i32>(at, node);
  store<i32>(at, start, 4);
  store<i32>(at, end, 8);
  store<i32>(at, depth, 12);
  return sp + 1;
}

/**
 * Grows tree `tree` (after beginGrowth) into the output area at `out`, laid out for `capacity` =
 * treeCapacity(maxSamples) nodes as value f64[capacity], threshold f64[capacity], feature i32[capacity],
 * left i32[capacity], nodeSamples i32[capacity]. `left` is written forest-wide: `nodeBase` is the index of the
 * tree's root in the forest. Returns the tree's node count.
 */
export function growTree(tree: i32, nodeBase: i32, out: usize): i32 {
  const capacity = <usize>treeCapacity(nMaxSamples);
  outValue = out;
  outThreshold = outValue + (capacity << 3);
  outFeature = outThreshold + (capacity << 3);
  outLeft = outFeature + (capacity << 2);
  outSamples = outLeft + (capacity << 2);

  seedTree(forestSeed, <u32>tree);
  const k = chooseFeatures();
  const m = chooseRows();

  // Gather the tree's rows of its features into a dense block, so every node scans contiguous memory.
  const rows = <usize>nRows;
  for (let c = 0; c < k; c++) {
    const column = xData + ((<usize>load<i32>(features + (<usize>c << 2)) * rows) << 2);
    const dst = sampleColumns + ((<usize>c * <usize>m) << 2);
    for (let i = 0; i < m; i++) {
      store<f32>(dst + (<usize>i << 2), load<f32>(column + (<usize>load<i32>(rowIds + (<usize>i << 2)) << 2)));
    }
  }
  for (let i = 0; i < m; i++) store<i32>(nodeRows + (<usize>i << 2), i);

  initNode(0, m);
  let count = 1;
  let sp = push(0, 0, 0, m, 0);
  while (sp > 0) {
    sp--;
    const at = stack + (<usize>sp << 4);
    const node = load<i32>(at);
    const start = load<i32>(at, 4);
    const end = load<i32>(at, 8);
    const depth = load<i32>(at, 12);
    const size = end - start;
    if (depth >= maxDepth || size <= 1) {
      setLeafValue(node, depth, size);
      continue;
    }

    let found = 0;
    for (let c = 0; c < k; c++) {
      const column = sampleColumns + ((<usize>c * <usize>m) << 2);
      let lo = load<f32>(column + (<usize>load<i32>(nodeRows + (<usize>start << 2)) << 2));
      let hi = lo;
      for (let i = start + 1; i < end; i++) {
        const v = load<f32>(column + (<usize>load<i32>(nodeRows + (<usize>i << 2)) << 2));
        if (v < lo) lo = v;
        if (v > hi) hi = v;
      }
      if (hi > lo) {
        store<i32>(candidates + (<usize>found << 2), c);
        store<f32>(candidateMin + (<usize>found << 2), lo);
        store<f32>(candidateMax + (<usize>found << 2), hi);
        found++;
      }
    }
    if (found == 0) {
      setLeafValue(node, depth, size);
      continue;
    }

    const pick = <i32>nextBelow(<u32>found);
    const c = load<i32>(candidates + (<usize>pick << 2));
    const lo = <f64>load<f32>(candidateMin + (<usize>pick << 2));
    const hi = <f64>load<f32>(candidateMax + (<usize>pick << 2));
    const threshold = splitThreshold(lo, hi, nextDouble());

    // Partition nodeRows[start, end): rows with x <= threshold first.
    const column = sampleColumns + ((<usize>c * <usize>m) << 2);
    let mid = start;
    for (let i = start; i < end; i++) {
      const row = load<i32>(nodeRows + (<usize>i << 2));
      if (<f64>load<f32>(column + (<usize>row << 2)) <= threshold) {
        store<i32>(nodeRows + (<usize>i << 2), load<i32>(nodeRows + (<usize>mid << 2)));
        store<i32>(nodeRows + (<usize>mid << 2), row);
        mid++;
      }
    }

    const leftChild = count;
    count += 2;
    store<i32>(outFeature + (<usize>node << 2), load<i32>(features + (<usize>c << 2)));
    store<f64>(outThreshold + (<usize>node << 3), threshold);
    store<i32>(outLeft + (<usize>node << 2), nodeBase + leftChild);
    initNode(leftChild, mid - start);
    initNode(leftChild + 1, end - mid);
    sp = push(sp, leftChild + 1, mid, end, depth + 1);
    sp = push(sp, leftChild, start, mid, depth + 1);
  }

  // Children come after their parent: one backward pass sees both children before the parent.
  for (let node = count - 1; node >= 0; node--) {
    const leftAt = load<i32>(outLeft + (<usize>node << 2));
    if (leftAt == LEAF) continue;
    const l = <usize>(leftAt - nodeBase);
    const nl = load<i32>(outSamples + (l << 2));
    const nr = load<i32>(outSamples + ((l + 1) << 2));
    const vl = load<f64>(outValue + (l << 3));
    const vr = load<f64>(outValue + ((l + 1) << 3));
    store<f64>(outValue + (<usize>node << 3), (<f64>nl * vl + <f64>nr * vr) / <f64>(nl + nr));
  }
  return count;
}
