/**
 * TreeSHAP in the WebAssembly core (`assembly/treeshap.ts`): lays the forest and its TreeSHAP tables out in linear
 * memory, streams the rows through in blocks and gathers the column-major attributions. The forest's image and its
 * tables are built once per forest and kept on the JavaScript side, so explaining a few rows at a time stays cheap.
 */
import type { Float32Columns } from '../engine.js';
import { treeCount, type FlatForest } from '../forest.js';
import { checkColumns, checkForestSpan } from './checks.js';
import { align16, type Regions, type WasmMemory } from './memory.js';
import { threshold32 } from './threshold32.js';

/** The core's TreeSHAP exports (byte addresses and counts in its linear memory). */
export interface TreeShapExports {
  beginTreeShap(
    offsets: number,
    trees: number,
    feature: number,
    threshold32: number,
    left: number,
    samples: number,
    value: number,
    columns: number,
  ): void;
  treeShapWorkBytes(columns: number, maxDepth: number): number;
  treeShapRows(x: number, rows: number, out: number, work: number, maxDepth: number): void;
  beginFastTreeShap(fastFlags: number): void;
  fastTreeShapPrepareWorkBytes(maxDepth: number): number;
  fastTreeShapPlan(work: number, maxDepth: number): number;
  fastTreeShapBitEntries(): number;
  fastTreeShapPrepare(records: number, table: number, features: number, work: number, maxDepth: number): void;
  useFastTreeShapTables(records: number, table: number, features: number): void;
  fastTreeShapWorkBytes(columns: number, maxDepth: number, maxTreeNodes: number): number;
  fastTreeShapRows(x: number, rows: number, out: number, work: number, maxDepth: number, maxTreeNodes: number): void;
}

const TREE_SHAP_EXPORTS: readonly (keyof TreeShapExports)[] = [
  'beginTreeShap',
  'treeShapWorkBytes',
  'treeShapRows',
  'beginFastTreeShap',
  'fastTreeShapPrepareWorkBytes',
  'fastTreeShapPlan',
  'fastTreeShapBitEntries',
  'fastTreeShapPrepare',
  'useFastTreeShapTables',
  'fastTreeShapWorkBytes',
  'fastTreeShapRows',
];

/**
 * Which exact algorithm explains the rows. `fast` (the default) tabulates each tree's row-independent weights once
 * (after FastTreeSHAP v2) and falls back to Algorithm 2 for trees whose tables would be too large; `algorithm2` is
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

/** Rows per block: each block's float32 rows and float64 attributions stay small next to the tables. */
const SHAP_BLOCK_ROWS = 1024;
/** Bytes per node of the fast variant's node records (assembly/treeshapFast.ts). */
const RECORD_BYTES = 16;
/**
 * Deepest tree explained: path buffers grow with the square of the depth. Isolation trees stop at
 * ceil(log2(maxSamples)) <= 32 levels, so only a malformed model comes near it.
 */
export const MAX_SHAP_TREE_DEPTH = 64;

/** The forest as the core explains it (assembly/explainedForest.ts): one buffer, each array 16-byte aligned in it. */
interface ForestImage {
  readonly bytes: Uint8Array;
  readonly at: { offsets: number; feature: number; threshold: number; left: number; samples: number; value: number };
  readonly trees: number;
  readonly nodes: number;
  /** Depth in edges of the deepest leaf: sizes Algorithm 2's path buffers. */
  readonly maxDepth: number;
  readonly maxTreeNodes: number;
  /** One more than the largest feature a split uses. */
  readonly featuresUsed: number;
  /** The fast variant's tables, once built. */
  tables?: FastTables;
}

/** The fast variant's per-forest tables, copied out of the core after they were built. */
interface FastTables {
  /** 1 per tabulated tree, 0 per tree explained with Algorithm 2. */
  readonly flags: Int32Array;
  /** Node records, then leaf tables (f64), then path-bit features (i32), at the offsets below. */
  readonly bytes: Uint8Array;
  readonly at: { records: number; table: number; features: number };
}

const images = new WeakMap<FlatForest, ForestImage>();

/** The core's TreeSHAP exports, or an Error naming the missing ones (a core built without assembly/treeshap.ts). */
function treeShapExports(core: object): TreeShapExports {
  const missing = TREE_SHAP_EXPORTS.filter((name) => typeof (core as Record<string, unknown>)[name] !== 'function');
  if (missing.length > 0)
    throw new Error(`the isoforest WebAssembly core lacks TreeSHAP: missing ${missing.join(', ')}`);
  return core as TreeShapExports;
}

/**
 * Builds the image of `forest`, checking what the core relies on to stay inside it (children after their parent
 * and inside the tree, covers of at least 1, at most MAX_SHAP_TREE_DEPTH levels); throws a RangeError naming the
 * tree (and node).
 */
function buildImage(forest: FlatForest): ForestImage {
  checkForestSpan(forest, 'treeShap');
  const { treeOffsets, feature, threshold, left, nodeSamples, value } = forest;
  const nodes = feature.length;
  const trees = treeCount(forest);
  const at = { offsets: 0, feature: 0, threshold: 0, left: 0, samples: 0, value: 0 };
  at.feature = align16(4 * (trees + 1));
  at.threshold = at.feature + align16(4 * nodes);
  at.left = at.threshold + align16(4 * nodes);
  at.samples = at.left + align16(4 * nodes);
  at.value = at.samples + align16(4 * nodes);
  const buffer = new ArrayBuffer(at.value + 8 * nodes);
  new Int32Array(buffer, at.offsets, trees + 1).set(treeOffsets);
  new Int32Array(buffer, at.feature, nodes).set(feature);
  const thresholds = new Float32Array(buffer, at.threshold, nodes);
  new Int32Array(buffer, at.left, nodes).set(left);
  new Int32Array(buffer, at.samples, nodes).set(nodeSamples);
  new Float64Array(buffer, at.value, nodes).set(value);

  const depth = new Int32Array(nodes);
  let maxDepth = 0;
  let maxTreeNodes = 0;
  let featuresUsed = 0;
  for (let t = 0; t < trees; t++) {
    const root = treeOffsets[t];
    const end = treeOffsets[t + 1];
    maxTreeNodes = Math.max(maxTreeNodes, end - root);
    depth[root] = 0;
    for (let node = root; node < end; node++) {
      if (!(nodeSamples[node] >= 1))
        throw new RangeError(`treeShap: forest tree ${t} node ${node - root}: cover below 1`);
      maxDepth = Math.max(maxDepth, depth[node]);
      if (feature[node] < 0) continue;
      const l = left[node];
      if (!(l > node && l + 1 < end))
        throw new RangeError(`treeShap: forest tree ${t} node ${node - root}: child out of range`);
      thresholds[node] = threshold32(threshold[node]);
      featuresUsed = Math.max(featuresUsed, feature[node] + 1);
      // Children come after their parent, so depth[node] is final here.
      if (depth[node] >= MAX_SHAP_TREE_DEPTH) {
        throw new RangeError(`treeShap: forest tree ${t} is deeper than ${MAX_SHAP_TREE_DEPTH} levels`);
      }
      depth[l] = depth[node] + 1;
      depth[l + 1] = depth[node] + 1;
    }
  }
  return { bytes: new Uint8Array(buffer), at, trees, nodes, maxDepth, maxTreeNodes, featuresUsed };
}

function forestImage(forest: FlatForest): ForestImage {
  let image = images.get(forest);
  if (image === undefined) {
    image = buildImage(forest);
    images.set(forest, image);
  }
  return image;
}

/**
 * Places the fast tables in memory (building them in the core on the first call for this forest) and returns
 * their addresses. Needs beginTreeShap and beginFastTreeShap already called, the latter with `flagsAt`.
 */
function placeTables(
  core: TreeShapExports,
  memory: WasmMemory,
  regions: Regions,
  image: ForestImage,
  flagsAt: number,
): { records: number; table: number; features: number } {
  const cached = image.tables;
  if (cached !== undefined) {
    const base = regions.take(cached.bytes.length);
    memory.ensure(regions.end);
    memory.i32.set(cached.flags, flagsAt / 4);
    memory.u8.set(cached.bytes, base);
    return { records: base + cached.at.records, table: base + cached.at.table, features: base + cached.at.features };
  }
  const prepareAt = regions.take(core.fastTreeShapPrepareWorkBytes(image.maxDepth));
  memory.ensure(regions.end);
  const tableEntries = core.fastTreeShapPlan(prepareAt, image.maxDepth);
  const bitEntries = core.fastTreeShapBitEntries();
  const at = { records: 0, table: align16(RECORD_BYTES * image.nodes), features: 0 };
  at.features = at.table + align16(8 * tableEntries);
  const base = regions.take(at.features + 4 * bitEntries);
  memory.ensure(regions.end);
  core.fastTreeShapPrepare(base + at.records, base + at.table, base + at.features, prepareAt, image.maxDepth);
  image.tables = {
    flags: memory.i32.slice(flagsAt / 4, flagsAt / 4 + image.trees),
    bytes: memory.u8.slice(base, base + at.features + 4 * bitEntries),
    at,
  };
  return { records: base + at.records, table: base + at.table, features: base + at.features };
}

/**
 * Exact path-dependent TreeSHAP of the mean path length in the core, column-major like the input: the contribution
 * of feature `c` to row `r` is `out[c * rows + r]`, in path-length units (tree levels); negative values shorten the
 * path, i.e. push toward "anomalous". Each row's values sum to its mean path length minus the mean root value.
 * Throws a RangeError for a malformed forest or one that splits on a column `x` lacks.
 */
export function treeShapInCore(
  claimed: ClaimedMemory,
  forest: FlatForest,
  x: Float32Columns,
  algorithm: TreeShapAlgorithm = 'fast',
): Float64Array {
  checkColumns(x, 'treeShap');
  const image = forestImage(forest);
  if (image.featuresUsed > x.columns) {
    throw new RangeError(
      `treeShap: the forest splits on feature ${image.featuresUsed - 1}, x has ${x.columns} columns`,
    );
  }
  const out = new Float64Array(x.rows * x.columns);
  if (x.rows === 0) return out;
  const { memory, regions } = claimed;
  const core = treeShapExports(claimed.core);

  const imageAt = regions.take(image.bytes.length);
  memory.ensure(regions.end);
  memory.u8.set(image.bytes, imageAt);
  const { at, trees, maxDepth, maxTreeNodes } = image;
  core.beginTreeShap(
    imageAt + at.offsets,
    trees,
    imageAt + at.feature,
    imageAt + at.threshold,
    imageAt + at.left,
    imageAt + at.samples,
    imageAt + at.value,
    x.columns,
  );

  let explainBlock: (xAt: number, rows: number, outAt: number) => void;
  if (algorithm === 'algorithm2') {
    const workAt = regions.take(core.treeShapWorkBytes(x.columns, maxDepth));
    explainBlock = (xAt, rows, outAt) => core.treeShapRows(xAt, rows, outAt, workAt, maxDepth);
  } else {
    const flagsAt = regions.take(4 * trees);
    core.beginFastTreeShap(flagsAt);
    const tables = placeTables(core, memory, regions, image, flagsAt);
    core.useFastTreeShapTables(tables.records, tables.table, tables.features);
    const workAt = regions.take(core.fastTreeShapWorkBytes(x.columns, maxDepth, maxTreeNodes));
    explainBlock = (xAt, rows, outAt) => core.fastTreeShapRows(xAt, rows, outAt, workAt, maxDepth, maxTreeNodes);
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
