/**
 * TreeSHAP in the WebAssembly core (`assembly/treeshap.ts`): lays the forest and its TreeSHAP tables out in linear
 * memory, streams the rows through in blocks and gathers the column-major attributions.
 */
import type { Float32Columns } from '../engine.js';
import type { FlatForest } from '../forest.js';
import type { Regions, WasmMemory } from './memory.js';
import { threshold32 } from './threshold32.js';

/** The core's TreeSHAP exports (byte addresses and counts in its linear memory). */
export interface TreeShapExports {
  beginTreeShap(
    offsets: number, trees: number, feature: number, threshold32: number, left: number, samples: number,
    value: number, columns: number,
  ): void;
  treeShapForestDepth(): number;
  treeShapWorkBytes(columns: number, maxDepth: number): number;
  treeShapRows(x: number, rows: number, out: number, work: number, maxDepth: number): void;
  beginFastTreeShap(
    offsets: number, trees: number, feature: number, threshold32: number, left: number, samples: number,
    value: number, fastFlags: number,
  ): void;
  fastTreeShapPrepareWorkBytes(maxDepth: number): number;
  fastTreeShapPlan(work: number, maxDepth: number): number;
  fastTreeShapBitEntries(): number;
  fastTreeShapPrepare(records: number, table: number, features: number, work: number, maxDepth: number): void;
  fastTreeShapWorkBytes(columns: number, maxDepth: number, maxTreeNodes: number): number;
  fastTreeShapRows(
    x: number, rows: number, out: number, work: number, maxDepth: number, columns: number, maxTreeNodes: number,
  ): void;
}

/**
 * Which exact algorithm explains the rows. `fast` (the default) tabulates each tree's row-independent weights once
 * (FastTreeSHAP v2 style) and falls back to Algorithm 2 for trees whose tables would be too large; `algorithm2` is
 * Lundberg et al.'s Algorithm 2 throughout (kept for tests and benchmarks). Both give the same values up to rounding.
 */
export type TreeShapAlgorithm = 'fast' | 'algorithm2';

/** The linear memory a call may lay out from its start, as `WasmEngine.claimMemory()` hands it over. */
export interface ClaimedMemory {
  /** The core's exports; checked to include {@link TreeShapExports}. */
  readonly core: object;
  readonly memory: WasmMemory;
  readonly regions: Regions;
}

const TREE_SHAP_EXPORTS: readonly (keyof TreeShapExports)[] = [
  'beginTreeShap', 'treeShapForestDepth', 'treeShapWorkBytes', 'treeShapRows', 'beginFastTreeShap',
  'fastTreeShapPrepareWorkBytes', 'fastTreeShapPlan', 'fastTreeShapBitEntries', 'fastTreeShapPrepare',
  'fastTreeShapWorkBytes', 'fastTreeShapRows',
];

/** The core's TreeSHAP exports, or an Error naming the missing ones (a core built without assembly/treeshap.ts). */
function treeShapExports(core: object): TreeShapExports {
  const missing = TREE_SHAP_EXPORTS.filter((name) => typeof (core as Record<string, unknown>)[name] !== 'function');
  if (missing.length > 0) throw new Error(`the isoforest WebAssembly core lacks TreeSHAP: missing ${missing.join(', ')}`);
  return core as TreeShapExports;
}

/** Rows per block: each block's float32 rows and float64 attributions stay small next to the tables. */
const SHAP_BLOCK_ROWS = 1024;
const RECORD_BYTES = 16;

/**
 * Checks what the core relies on to stay inside the forest's arrays: shapes, children after their parent and inside
 * the tree, split features inside `x`, positive covers. Throws a RangeError naming the tree and node.
 */
function checkForest(forest: FlatForest, x: Float32Columns): void {
  if (!Number.isInteger(x.rows) || x.rows < 0 || !Number.isInteger(x.columns) || x.columns < 1) {
    throw new RangeError(`treeShap: invalid shape ${x.rows} x ${x.columns}`);
  }
  if (x.data.length !== x.rows * x.columns) {
    throw new RangeError(`treeShap: data has ${x.data.length} values, expected rows * columns = ${x.rows * x.columns}`);
  }
  const { treeOffsets, feature, threshold, left, nodeSamples, value } = forest;
  const nodes = feature.length;
  const trees = treeOffsets.length - 1;
  if (trees < 1) throw new RangeError('treeShap: forest has no trees');
  if ([threshold, left, nodeSamples, value].some((a) => a.length !== nodes)) {
    throw new RangeError('treeShap: forest arrays differ in length');
  }
  if (treeOffsets[0] !== 0 || treeOffsets[trees] !== nodes) {
    throw new RangeError('treeShap: forest treeOffsets do not span its nodes');
  }
  for (let t = 0; t < trees; t++) {
    const root = treeOffsets[t];
    const end = treeOffsets[t + 1];
    if (!(root < end)) throw new RangeError(`treeShap: forest tree ${t} has no nodes`);
    for (let node = root; node < end; node++) {
      if (!(nodeSamples[node] >= 1)) throw new RangeError(`treeShap: forest tree ${t} node ${node - root}: cover below 1`);
      if (feature[node] < 0) continue;
      const l = left[node];
      if (!(l > node && l + 1 < end)) throw new RangeError(`treeShap: forest tree ${t} node ${node - root}: child out of range`);
      if (!(feature[node] < x.columns)) {
        throw new RangeError(`treeShap: forest tree ${t} node ${node - root} splits on feature ${feature[node]}, x has ${x.columns} columns`);
      }
    }
  }
}

/**
 * Exact path-dependent TreeSHAP of the mean path length in the core, column-major like the input: the contribution
 * of feature `c` to row `r` is `out[c * rows + r]`, in path-length units (tree levels); negative values shorten the
 * path, i.e. push toward "anomalous". Each row's values sum to its mean path length minus the mean root value.
 */
export function treeShapInCore(
  claimed: ClaimedMemory, forest: FlatForest, x: Float32Columns, algorithm: TreeShapAlgorithm = 'fast',
): Float64Array {
  checkForest(forest, x);
  const { memory, regions } = claimed;
  const core = treeShapExports(claimed.core);
  const out = new Float64Array(x.rows * x.columns);
  if (x.rows === 0) return out;
  const nodes = forest.feature.length;
  const trees = forest.treeOffsets.length - 1;
  let maxTreeNodes = 0;
  for (let t = 0; t < trees; t++) maxTreeNodes = Math.max(maxTreeNodes, forest.treeOffsets[t + 1] - forest.treeOffsets[t]);

  const offsetsAt = regions.take(4 * (trees + 1));
  const featureAt = regions.take(4 * nodes);
  const thresholdAt = regions.take(4 * nodes);
  const leftAt = regions.take(4 * nodes);
  const samplesAt = regions.take(4 * nodes);
  const valueAt = regions.take(8 * nodes);
  const fastFlagsAt = regions.take(4 * trees);
  memory.ensure(regions.end);
  memory.i32.set(forest.treeOffsets, offsetsAt / 4);
  memory.i32.set(forest.feature, featureAt / 4);
  const f32 = memory.f32;
  for (let n = 0; n < nodes; n++) f32[thresholdAt / 4 + n] = forest.feature[n] < 0 ? 0 : threshold32(forest.threshold[n]);
  memory.i32.set(forest.left, leftAt / 4);
  memory.i32.set(forest.nodeSamples, samplesAt / 4);
  memory.f64.set(forest.value, valueAt / 8);
  const forestArgs = [offsetsAt, trees, featureAt, thresholdAt, leftAt, samplesAt, valueAt] as const;
  core.beginTreeShap(...forestArgs, x.columns);
  const maxDepth = core.treeShapForestDepth();

  let explainBlock: (xAt: number, rows: number, outAt: number) => void;
  if (algorithm === 'algorithm2') {
    const workAt = regions.take(core.treeShapWorkBytes(x.columns, maxDepth));
    explainBlock = (xAt, rows, outAt) => core.treeShapRows(xAt, rows, outAt, workAt, maxDepth);
  } else {
    core.beginFastTreeShap(...forestArgs, fastFlagsAt);
    const prepareAt = regions.take(core.fastTreeShapPrepareWorkBytes(maxDepth));
    memory.ensure(regions.end);
    const tableEntries = core.fastTreeShapPlan(prepareAt, maxDepth);
    const bitEntries = core.fastTreeShapBitEntries();
    const recordsAt = regions.take(RECORD_BYTES * nodes);
    const tableAt = regions.take(8 * tableEntries);
    const featuresAt = regions.take(4 * bitEntries);
    memory.ensure(regions.end);
    core.fastTreeShapPrepare(recordsAt, tableAt, featuresAt, prepareAt, maxDepth);
    const workAt = regions.take(core.fastTreeShapWorkBytes(x.columns, maxDepth, maxTreeNodes));
    explainBlock = (xAt, rows, outAt) => core.fastTreeShapRows(xAt, rows, outAt, workAt, maxDepth, x.columns, maxTreeNodes);
  }

  const blockRows = Math.min(SHAP_BLOCK_ROWS, x.rows);
  const xAt = regions.take(4 * blockRows * x.columns);
  const outAt = regions.take(8 * blockRows * x.columns);
  memory.ensure(regions.end);
  for (let start = 0; start < x.rows; start += blockRows) {
    const rows = Math.min(blockRows, x.rows - start);
    // Blocks are column-major with `rows` as their stride, so a short last block is still contiguous.
    const rowsIn = memory.f32;
    for (let c = 0; c < x.columns; c++) {
      const from = c * x.rows + start;
      rowsIn.set(x.data.subarray(from, from + rows), xAt / 4 + c * rows);
    }
    explainBlock(xAt, rows, outAt);
    const shapOut = memory.f64;
    for (let c = 0; c < x.columns; c++) {
      const from = outAt / 8 + c * rows;
      out.set(shapOut.subarray(from, from + rows), c * x.rows + start);
    }
  }
  return out;
}
