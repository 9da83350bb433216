// The fast exact variant of path-dependent TreeSHAP, after FastTreeSHAP v2 (Yang 2021): the row-independent part
// of Algorithm 2 is tabulated once per forest, so explaining a row costs one pass over each tree's nodes.
//
// Why it works. Along the path to a leaf l, Algorithm 2 merges the splits on one feature j into one element with
// zero fraction z_j (the product of the cover ratios of those splits) and one fraction o_j (1 if the row satisfies
// all of them, else 0). With U the k distinct features of the path and m = {j : o_j = 1} the row's "hot" set, the
// leaf adds to feature i in U
//     i not in m:  -G(m)                                  i in m:  (1 - z_i) / z_i * G(m \ {i})
// where G(m) = v_l / T * sum over S subset of m of |S|! (k - |S| - 1)! / k! * prod over j in U \ S of z_j depends on
// the row only through m. So every leaf gets a table over the 2^k subsets m; a row's m at every leaf comes from one
// forward pass over the tree (children come after their parent) carrying a bit mask of the hot features.
// The -G(m) terms are not paid leaf by leaf: a backward pass sums G(m) over each subtree and charges the sum once to
// each feature, at the node where the feature first appears on the path. A leaf then only adds, for each hot bit b,
// G(m) + (1 - z_b) / z_b * G(m \ {b}) (the G(m) undoes the charge). Four rows walk a tree together in SIMD lanes,
// and a leaf handles its bits for the four at once, without branches (a cold lane adds 0): looping over each row's
// hot bits instead was twice as slow, for the mispredicted loop exits.
// A tree whose tables would be too large (many distinct features along its paths) is explained with Algorithm 2.
//
// Node records, written by fastTreeShapPrepare(), 16 bytes per node, forest-wide order:
//   internal node: i32 feature's byte offset in a row block (feature * X_COLUMN_BYTES), f32 threshold32,
//                  i32 left child (index within its tree), u32 path bit (bit index of the feature on the path,
//                  | 0x80000000 when the feature is new on the path)
//   leaf:          i32 -1, i32 k (distinct features on its path), i32 first table entry, i32 first path-bit entry
// Leaf table: G(m) for m = 0 .. 2^k - 1, then (1 - z_b) / z_b for b = 0 .. k - 1 (f64). Tabulating the hot-bit sums
// per mask instead ((k + 2) 2^(k-1) entries) was slower: the tables outgrew the L1 cache.
// Path bits: per leaf, per bit, i32 the feature's byte offset in an attribution block (feature * PHI_COLUMN_BYTES).

import {
  columnCount, nodeFeature, nodeLeft, nodeSamples, nodeThreshold, nodeValue, treeOffsets, treeScale, treeTotal,
} from './explainedForest';
import { LEAF } from './forest';
import { align16 } from './memory';
import { treeShapLayout, treeShapTreeAlgorithm2, treeShapUseRow, treeShapWorkBytes } from './treeshapAlgorithm2';

const RECORD_BYTES: usize = 16;
const NEW_ON_PATH: u32 = 0x80000000;
/** Trees with more distinct features along one path use Algorithm 2: a leaf's table has 2^k + k entries. */
const MAX_FAST_FEATURES: i32 = 12;
/** A tree's tables may hold at most this many f64 entries per node of the tree, or it uses Algorithm 2. */
const MAX_ENTRIES_PER_NODE: i64 = 512;
/** All tables of a forest together hold at most this many f64 entries (64 MiB); later trees use Algorithm 2. */
const MAX_FOREST_ENTRIES: i64 = 1 << 23;
/** Rows per block (a multiple of 4). Record and path-bit feature offsets are baked for this stride. */
const BLOCK_ROWS: i32 = 64;
const X_COLUMN_BYTES: i32 = BLOCK_ROWS << 2;
const PHI_COLUMN_BYTES: i32 = BLOCK_ROWS << 3;

// The forest is explainedForest.ts's; these regions are the fast variant's own (byte addresses).
let treeFast: usize = 0; // i32[trees]: 1 when the tree is tabulated, 0 when it uses Algorithm 2, set by beginFastTreeShap()
let records: usize = 0; // RECORD_BYTES per node
let table: usize = 0; // f64 leaf table entries
let bitFeature: usize = 0; // i32 per leaf path bit

// The path while preparing: level d (tree depth d) holds the distinct features of the path to a node at depth d
// and their merged zero fractions, `levelStride` entries per level.
let levelFeature: usize = 0; // i32[(maxDepth + 1) * levelStride]
let levelZero: usize = 0; // f64[(maxDepth + 1) * levelStride]
let levelStride: i32 = 0;
let polynomials: usize = 0; // f64[2^MAX_FAST_FEATURES * (MAX_FAST_FEATURES + 1)]
let weights: usize = 0; // f64[MAX_FAST_FEATURES + 1]
let prepareEnd: usize = 0;

// Planning counters, per tree.
let tableEntries: i64 = 0;
let bitEntries: i64 = 0;
let widest: i32 = 0;
let tableCursor: i32 = 0;
let bitCursor: i32 = 0;

/**
 * Sets where the per-tree flags live (i32[trees], for the forest of the last beginTreeShap): fastTreeShapPlan
 * writes them, the rows read them.
 */
export function beginFastTreeShap(fastFlags: usize): void {
  treeFast = fastFlags;
}

function layoutPrepareWork(work: usize, maxDepth: i32): void {
  levelStride = maxDepth + 1;
  const levelEntries = <usize>(maxDepth + 1) * <usize>levelStride;
  levelZero = work;
  polynomials = levelZero + (levelEntries << 3);
  weights = polynomials + ((<usize>(1 << MAX_FAST_FEATURES) * <usize>(MAX_FAST_FEATURES + 1)) << 3);
  levelFeature = weights + (<usize>(MAX_FAST_FEATURES + 1) << 3);
  prepareEnd = align16(levelFeature + (levelEntries << 2));
}

/** Bytes of work area fastTreeShapPlan and fastTreeShapPrepare need for trees at most `maxDepth` deep. */
export function fastTreeShapPrepareWorkBytes(maxDepth: i32): usize {
  layoutPrepareWork(0, maxDepth);
  return prepareEnd;
}

// The position of `feature` among the k distinct features of level `level`, or k when it is new.
function pathBitOf(level: i32, k: i32, feature: i32): i32 {
  const base = levelFeature + (<usize>(level * levelStride) << 2);
  let b = 0;
  while (b < k && load<i32>(base + (<usize>b << 2)) != feature) b++;
  return b;
}

// Copies level `level` (k entries) to level + 1, merging the split on `feature` at bit b with zero fraction z.
function descend(level: i32, k: i32, b: i32, feature: i32, z: f64): void {
  const from = <usize>(level * levelStride);
  const to = from + <usize>levelStride;
  memory.copy(levelFeature + (to << 2), levelFeature + (from << 2), <usize>k << 2);
  memory.copy(levelZero + (to << 3), levelZero + (from << 3), <usize>k << 3);
  if (b < k) {
    const at = levelZero + ((to + <usize>b) << 3);
    store<f64>(at, load<f64>(at) * z);
  } else {
    store<i32>(levelFeature + ((to + <usize>b) << 2), feature);
    store<f64>(levelZero + ((to + <usize>b) << 3), z);
  }
}

function leafTableEntries(k: i32): i64 {
  return (<i64>1 << k) + <i64>k;
}

// Walks the subtree at `node` (tree depth `level`, k distinct features above it), counting what its tables need.
function planNode(node: i32, level: i32, k: i32): void {
  const feature = load<i32>(nodeFeature + (<usize>node << 2));
  if (feature == LEAF) {
    widest = max(widest, k);
    if (k <= MAX_FAST_FEATURES) tableEntries += leafTableEntries(k);
    bitEntries += <i64>k;
    return;
  }
  const left = load<i32>(nodeLeft + (<usize>node << 2));
  const b = pathBitOf(level, k, feature);
  const childK = b < k ? k : k + 1;
  descend(level, k, b, feature, 1.0);
  planNode(left, level + 1, childK);
  planNode(left + 1, level + 1, childK);
}

/**
 * Decides, tree by tree, whether the tables are used (flag 1) or Algorithm 2 (flag 0), writing the flags to the
 * array given to beginFastTreeShap; returns the number of f64 table entries the tabulated trees need (the i32
 * path-bit entries: fastTreeShapBitEntries). Covers must be at least 1. `work` holds
 * fastTreeShapPrepareWorkBytes(maxDepth) bytes.
 */
export function fastTreeShapPlan(work: usize, maxDepth: i32): f64 {
  layoutPrepareWork(work, maxDepth);
  let totalTable: i64 = 0;
  let totalBits: i64 = 0;
  for (let t = 0; t < treeTotal; t++) {
    const root = load<i32>(treeOffsets + (<usize>t << 2));
    const nodes = <i64>(load<i32>(treeOffsets + (<usize>(t + 1) << 2)) - root);
    tableEntries = 0;
    bitEntries = 0;
    widest = 0;
    planNode(root, 0, 0);
    const fast =
      widest <= MAX_FAST_FEATURES &&
      tableEntries <= nodes * MAX_ENTRIES_PER_NODE &&
      totalTable + tableEntries <= MAX_FOREST_ENTRIES;
    store<i32>(treeFast + (<usize>t << 2), fast ? 1 : 0);
    if (fast) {
      totalTable += tableEntries;
      totalBits += bitEntries;
    }
  }
  bitEntries = totalBits;
  return <f64>totalTable;
}

/** The number of i32 leaf path-bit entries the last plan needs. */
export function fastTreeShapBitEntries(): f64 {
  return <f64>bitEntries;
}

// Fills one leaf's table (see the file comment) from the merged zero fractions of the k features at `level`.
function fillTable(at: usize, level: i32, k: i32, leafValue: f64): void {
  const zs = levelZero + (<usize>(level * levelStride) << 3);
  // weights[s] = s! (k - s - 1)! / k!, the Shapley weight of a coalition of s of the k features; none for s = k.
  let w = 1.0 / <f64>k;
  for (let s = 0; s < k; s++) {
    store<f64>(weights + (<usize>s << 3), w);
    w *= <f64>(s + 1) / <f64>(k - s - 1);
  }
  store<f64>(weights + (<usize>k << 3), 0.0);
  const stride = <usize>(k + 1);
  // polynomials[m] = prod over j in m of (t + z_j): coefficient s sums prod over m \ S of z_j for |S| = s.
  store<f64>(polynomials, 1.0);
  const subsets = 1 << k;
  for (let m = 1; m < subsets; m++) {
    const high = 31 - clz(m);
    const zHigh = load<f64>(zs + (<usize>high << 3));
    const from = polynomials + ((<usize>(m ^ (1 << high)) * stride) << 3);
    const to = polynomials + ((<usize>m * stride) << 3);
    const degree = popcnt(m);
    for (let s = 0; s <= degree; s++) {
      const keep = s < degree ? load<f64>(from + (<usize>s << 3)) * zHigh : 0.0;
      const raise = s > 0 ? load<f64>(from + (<usize>(s - 1) << 3)) : 0.0;
      store<f64>(to + (<usize>s << 3), keep + raise);
    }
  }
  for (let m = 0; m < subsets; m++) {
    const poly = polynomials + ((<usize>m * stride) << 3);
    let inner = 0.0;
    for (let s = 0; s <= popcnt(m); s++) inner += load<f64>(weights + (<usize>s << 3)) * load<f64>(poly + (<usize>s << 3));
    let outside = 1.0;
    for (let j = 0; j < k; j++) if (((m >> j) & 1) == 0) outside *= load<f64>(zs + (<usize>j << 3));
    store<f64>(at + (<usize>m << 3), leafValue * outside * inner);
  }
  for (let b = 0; b < k; b++) {
    const z = load<f64>(zs + (<usize>b << 3));
    store<f64>(at + (<usize>(subsets + b) << 3), (1.0 - z) / z);
  }
}

// Writes the records and tables of the subtree at `node` (tree depth `level`, k distinct features above it).
function prepareNode(node: i32, root: i32, level: i32, k: i32): void {
  const record = records + (<usize>node) * RECORD_BYTES;
  const feature = load<i32>(nodeFeature + (<usize>node << 2));
  if (feature == LEAF) {
    store<i32>(record, LEAF);
    store<i32>(record, k, 4);
    store<i32>(record, tableCursor, 8);
    store<i32>(record, bitCursor, 12);
    const base = <usize>(level * levelStride);
    for (let b = 0; b < k; b++) {
      const pathFeature = load<i32>(levelFeature + ((base + <usize>b) << 2));
      store<i32>(bitFeature + (<usize>(bitCursor + b) << 2), pathFeature * PHI_COLUMN_BYTES);
    }
    fillTable(table + (<usize>tableCursor << 3), level, k, load<f64>(nodeValue + (<usize>node << 3)) * treeScale);
    tableCursor += <i32>leafTableEntries(k);
    bitCursor += k;
    return;
  }
  const left = load<i32>(nodeLeft + (<usize>node << 2));
  const b = pathBitOf(level, k, feature);
  const childK = b < k ? k : k + 1;
  store<i32>(record, feature * X_COLUMN_BYTES);
  store<f32>(record, load<f32>(nodeThreshold + (<usize>node << 2)), 4);
  store<i32>(record, left - root, 8);
  store<u32>(record, <u32>b | (b < k ? 0 : NEW_ON_PATH), 12);
  const cover = <f64>load<i32>(nodeSamples + (<usize>node << 2));
  for (let child = left; child <= left + 1; child++) {
    descend(level, k, b, feature, <f64>load<i32>(nodeSamples + (<usize>child << 2)) / cover);
    prepareNode(child, root, level + 1, childK);
  }
}

/**
 * Writes the node records (16 bytes per node) and the tables of every tree the plan flagged: `tableAt` holds the
 * plan's f64 entries, `featuresAt` fastTreeShapBitEntries() i32 entries.
 */
export function fastTreeShapPrepare(recordsAt: usize, tableAt: usize, featuresAt: usize, work: usize, maxDepth: i32): void {
  layoutPrepareWork(work, maxDepth);
  records = recordsAt;
  table = tableAt;
  bitFeature = featuresAt;
  tableCursor = 0;
  bitCursor = 0;
  for (let t = 0; t < treeTotal; t++) {
    if (load<i32>(treeFast + (<usize>t << 2)) == 0) continue;
    const root = load<i32>(treeOffsets + (<usize>t << 2));
    prepareNode(root, root, 0, 0);
  }
}

/** Points the rows at tables a previous fastTreeShapPrepare wrote, copied to these addresses since. */
export function useFastTreeShapTables(recordsAt: usize, tableAt: usize, featuresAt: usize): void {
  records = recordsAt;
  table = tableAt;
  bitFeature = featuresAt;
}

// Explaining rows. A block of rows is explained tree by tree, so a tree's records and tables stay in cache across
// the block, and four rows walk a tree together in SIMD lanes: their hot-set masks (i32x4), subtree sums (2 x f64x2)
// and leaf contributions travel together. Blocks are feature-major: the four rows' values of a feature are
// contiguous, as are their attributions.

// Adds one tabulated tree's attributions for four rows: `rows` points at the first row's value of feature 0 in the
// feature-major block, `phi` likewise at its attribution. Scratch per node: `masks` (i32x4: the hot set of the path
// to the node, as path bits) and `sums` (4 x f64: the sum of G(m) over the node's leaves).
function explainTree4(t: i32, rows: usize, phi: usize, masks: usize, sums: usize): void {
  const root = load<i32>(treeOffsets + (<usize>t << 2));
  const nodes = load<i32>(treeOffsets + (<usize>(t + 1) << 2)) - root;
  const base = records + <usize>root * RECORD_BYTES;
  v128.store(masks, i32x4.splat(0));
  for (let n = 0; n < nodes; n++) {
    const record = base + <usize>n * RECORD_BYTES;
    const column = load<i32>(record);
    const mask = v128.load(masks + (<usize>n << 4));
    if (column != LEAF) {
      const code = load<u32>(record, 12);
      const bit: u32 = 1 << (code & 31);
      // The feature's first split on the path makes it hot on the row's side; a later split can only cool it.
      const on = v128.or(mask, i32x4.splat(bit & <u32>(<i32>code >> 31)));
      const off = v128.andnot(mask, i32x4.splat(bit));
      const hot = f32x4.le(v128.load(rows + <usize>column), f32x4.splat(load<f32>(record, 4)));
      const children = masks + (<usize>load<i32>(record, 8) << 4);
      v128.store(children, v128.bitselect(on, off, hot));
      v128.store(children, v128.bitselect(off, on, hot), 16);
      continue;
    }
    // A leaf: its G(m) per lane becomes its subtree sum; then, bit by bit for all four lanes at once, each lane
    // whose bit b is hot adds G(m) + (1 - z_b) / z_b * G(m without b) to b's feature (cold lanes add 0).
    const k = load<i32>(record, 4);
    const entries = table + (<usize>load<i32>(record, 8) << 3);
    const ratios = entries + (<usize>(1 << k) << 3);
    const features = bitFeature + (<usize>load<i32>(record, 12) << 2);
    const at0 = <usize>i32x4.extract_lane(mask, 0) << 3;
    const at1 = <usize>i32x4.extract_lane(mask, 1) << 3;
    const at2 = <usize>i32x4.extract_lane(mask, 2) << 3;
    const at3 = <usize>i32x4.extract_lane(mask, 3) << 3;
    const g01 = v128.load64_lane(entries + at1, v128.load64_zero(entries + at0), 1);
    const g23 = v128.load64_lane(entries + at3, v128.load64_zero(entries + at2), 1);
    const sum = sums + (<usize>n << 5);
    v128.store(sum, g01);
    v128.store(sum, g23, 16);
    for (let b = 0; b < k; b++) {
      const bit = 1 << b;
      const flip = <usize>bit << 3;
      const hot = i32x4.ne(v128.and(mask, i32x4.splat(bit)), i32x4.splat(0));
      const without01 = v128.load64_lane(entries + (at1 ^ flip), v128.load64_zero(entries + (at0 ^ flip)), 1);
      const without23 = v128.load64_lane(entries + (at3 ^ flip), v128.load64_zero(entries + (at2 ^ flip)), 1);
      const ratio = f64x2.splat(load<f64>(ratios + (<usize>b << 3)));
      const add01 = v128.and(f64x2.add(g01, f64x2.mul(ratio, without01)), i64x2.extend_low_i32x4_s(hot));
      const add23 = v128.and(f64x2.add(g23, f64x2.mul(ratio, without23)), i64x2.extend_high_i32x4_s(hot));
      const target = phi + <usize>load<i32>(features + (<usize>b << 2));
      v128.store(target, f64x2.add(v128.load(target), add01));
      v128.store(target, f64x2.add(v128.load(target, 16), add23), 16);
    }
  }
  // Backward: subtree sums of G(m), charged as -sum to a feature where it first appears on the path.
  for (let n = nodes - 1; n >= 0; n--) {
    const record = base + <usize>n * RECORD_BYTES;
    const column = load<i32>(record);
    if (column == LEAF) continue;
    const children = sums + (<usize>load<i32>(record, 8) << 5);
    const sum01 = f64x2.add(v128.load(children), v128.load(children, 32));
    const sum23 = f64x2.add(v128.load(children, 16), v128.load(children, 48));
    const sum = sums + (<usize>n << 5);
    v128.store(sum, sum01);
    v128.store(sum, sum23, 16);
    if (<i32>load<u32>(record, 12) < 0) {
      // Attribution columns are twice as wide as row columns (f64 vs f32).
      const target = phi + (<usize>column << 1);
      v128.store(target, f64x2.sub(v128.load(target), sum01));
      v128.store(target, f64x2.sub(v128.load(target, 16), sum23), 16);
    }
  }
}

// Work regions of fastTreeShapRows after Algorithm 2's, set by layoutRowsWork().
let blockRows: usize = 0; // f32[columns * BLOCK_ROWS], feature-major
let blockPhi: usize = 0; // f64[columns * BLOCK_ROWS], feature-major
let nodeMasks: usize = 0; // i32x4 per node of the largest tree
let nodeSums: usize = 0; // 4 x f64 per node of the largest tree
let fallbackRow: usize = 0; // f32[columns]: one row for Algorithm 2
let fallbackPhi: usize = 0; // f64[columns]: its attributions for one tree
let rowsWorkEnd: usize = 0;

// Lays out the regions after Algorithm 2's work area, which ends at `start`.
function layoutRowsWork(start: usize, columns: i32, maxTreeNodes: i32): void {
  blockPhi = align16(start);
  nodeSums = blockPhi + <usize>columns * <usize>PHI_COLUMN_BYTES;
  nodeMasks = nodeSums + (<usize>maxTreeNodes << 5);
  blockRows = nodeMasks + (<usize>maxTreeNodes << 4);
  fallbackPhi = blockRows + <usize>columns * <usize>X_COLUMN_BYTES;
  fallbackRow = fallbackPhi + (<usize>columns << 3);
  rowsWorkEnd = align16(fallbackRow + (<usize>columns << 2));
}

/** Bytes of work area fastTreeShapRows needs, from a 16-byte aligned `work`. */
export function fastTreeShapWorkBytes(columns: i32, maxDepth: i32, maxTreeNodes: i32): usize {
  layoutRowsWork(treeShapWorkBytes(columns, maxDepth), columns, maxTreeNodes);
  return rowsWorkEnd;
}

// Algorithm 2 for one tree and row r of the block, added into the block's attributions.
function explainFallback(t: i32, r: i32, columns: i32): void {
  for (let c = 0; c < columns; c++) {
    store<f32>(fallbackRow + (<usize>c << 2), load<f32>(blockRows + <usize>(c * X_COLUMN_BYTES + (r << 2))));
    store<f64>(fallbackPhi + (<usize>c << 3), 0.0);
  }
  treeShapUseRow(fallbackRow, fallbackPhi);
  treeShapTreeAlgorithm2(t);
  for (let c = 0; c < columns; c++) {
    const target = blockPhi + <usize>(c * PHI_COLUMN_BYTES + (r << 3));
    store<f64>(target, load<f64>(target) + load<f64>(fallbackPhi + (<usize>c << 3)));
  }
}

/**
 * The fast variant for rows [0, rows) of the column-major float32 block `x`: writes each row's attributions
 * (path-length units; negative = shorter path = more anomalous) to the column-major float64 block `out`, exactly
 * as Algorithm 2 up to rounding. Needs beginTreeShap, beginFastTreeShap, the tables of fastTreeShapPrepare (or
 * useFastTreeShapTables), and fastTreeShapWorkBytes(columns, maxDepth, maxTreeNodes) bytes of 16-byte aligned work.
 */
export function fastTreeShapRows(x: usize, rows: i32, out: usize, work: usize, maxDepth: i32, maxTreeNodes: i32): void {
  const columns = columnCount;
  layoutRowsWork(treeShapLayout(work, columns, maxDepth), columns, maxTreeNodes);
  for (let start = 0; start < rows; start += BLOCK_ROWS) {
    const count = min(BLOCK_ROWS, rows - start);
    // The block's last group of four is padded with zeros; their attributions are computed and dropped.
    const padded = (count + 3) & ~3;
    for (let c = 0; c < columns; c++) {
      const column = blockRows + <usize>(c * X_COLUMN_BYTES);
      memory.copy(column, x + ((<usize>c * <usize>rows + <usize>start) << 2), <usize>count << 2);
      memory.fill(column + (<usize>count << 2), 0, <usize>(padded - count) << 2);
    }
    memory.fill(blockPhi, 0, <usize>columns * <usize>PHI_COLUMN_BYTES);
    for (let t = 0; t < treeTotal; t++) {
      if (load<i32>(treeFast + (<usize>t << 2)) != 0) {
        for (let r = 0; r < padded; r += 4) {
          explainTree4(t, blockRows + (<usize>r << 2), blockPhi + (<usize>r << 3), nodeMasks, nodeSums);
        }
      } else {
        for (let r = 0; r < count; r++) explainFallback(t, r, columns);
      }
    }
    for (let c = 0; c < columns; c++) {
      memory.copy(
        out + ((<usize>c * <usize>rows + <usize>start) << 3), blockPhi + <usize>(c * PHI_COLUMN_BYTES), <usize>count << 3,
      );
    }
  }
}
