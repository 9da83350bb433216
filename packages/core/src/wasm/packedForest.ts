/**
 * A FlatForest in the layout the core's scoring loop reads (see `assembly/score.ts`): 16-byte nodes holding the
 * split column's byte offset in a row block, threshold32 and the left child's byte offset; leaves step to themselves
 * so every walk of a tree takes the tree's depth in steps, with no branch. Packed once per forest and block stride.
 */
import { treeCount, type FlatForest } from '../forest.js';
import { checkForestSpan } from './checks.js';
import { threshold32 } from './threshold32.js';

/** The engine method that scores with a packed forest, named in its errors. */
const CALLER = 'meanPathLength';
const NODE_BYTES = 16;
const VALUE_BYTES = 8;
const TREE_BYTES = 8;

export interface PackedForest {
  /** Nodes, then values, then trees, ready to copy into linear memory at a 16-byte aligned address. */
  readonly bytes: Uint8Array;
  readonly valuesOffset: number;
  readonly treesOffset: number;
  readonly trees: number;
  /** Rows between two columns of the row block the column offsets were computed for. */
  readonly strideRows: number;
  /** One more than the largest feature index used by a split. */
  readonly featuresUsed: number;
}

const cache = new WeakMap<FlatForest, PackedForest>();

/** The packed form of `forest` for blocks of `strideRows` rows, computed once per forest and stride. */
export function packedForest(forest: FlatForest, strideRows: number): PackedForest {
  const cached = cache.get(forest);
  if (cached !== undefined && cached.strideRows === strideRows) return cached;
  const packed = packForest(forest, strideRows);
  cache.set(forest, packed);
  return packed;
}

/**
 * Packs `forest`, checking the structure the scoring loop relies on (children after their parent and inside the
 * tree), so a malformed forest is a RangeError here rather than an out-of-bounds read in the core.
 */
export function packForest(forest: FlatForest, strideRows: number): PackedForest {
  checkForestSpan(forest, CALLER);
  const { treeOffsets, feature, threshold, left, value } = forest;
  const nodes = feature.length;
  const trees = treeCount(forest);
  if (nodes * NODE_BYTES >= 2 ** 31) {
    throw new RangeError(`${CALLER}: forest has ${nodes} nodes, more than the core can address`);
  }

  const valuesOffset = nodes * NODE_BYTES;
  const treesOffset = valuesOffset + nodes * VALUE_BYTES;
  const buffer = new ArrayBuffer(treesOffset + trees * TREE_BYTES);
  const nodeI32 = new Int32Array(buffer, 0, nodes * 4);
  const nodeF32 = new Float32Array(buffer, 0, nodes * 4);
  new Float64Array(buffer, valuesOffset, nodes).set(value);
  const treeI32 = new Int32Array(buffer, treesOffset, trees * 2);
  const columnBytes = strideRows * 4;
  const depth = new Int32Array(nodes);
  let featuresUsed = 0;

  for (let t = 0; t < trees; t++) {
    const root = treeOffsets[t];
    const end = treeOffsets[t + 1];
    let treeDepth = 0;
    for (let node = root; node < end; node++) {
      const f = feature[node];
      const at = node * 4;
      if (f < 0) {
        nodeI32[at] = 0;
        nodeF32[at + 1] = Infinity;
        nodeI32[at + 2] = node * NODE_BYTES;
        continue;
      }
      const l = left[node];
      if (!(l > node && l + 1 < end)) {
        throw new RangeError(`${CALLER}: forest tree ${t} node ${node - root}: child out of range`);
      }
      if (!Number.isFinite(threshold[node])) {
        throw new RangeError(
          `${CALLER}: forest tree ${t} node ${node - root}: threshold ${threshold[node]} is not finite`,
        );
      }
      featuresUsed = Math.max(featuresUsed, f + 1);
      nodeI32[at] = f * columnBytes;
      nodeF32[at + 1] = threshold32(threshold[node]);
      nodeI32[at + 2] = l * NODE_BYTES;
      // Children come after their parent, so depth[node] is final here; max() keeps the longest path if a
      // malformed forest shares a child.
      const childDepth = depth[node] + 1;
      depth[l] = Math.max(depth[l], childDepth);
      depth[l + 1] = Math.max(depth[l + 1], childDepth);
      treeDepth = Math.max(treeDepth, childDepth);
    }
    treeI32[2 * t] = root * NODE_BYTES;
    treeI32[2 * t + 1] = treeDepth;
  }
  if (featuresUsed * columnBytes > 2 ** 31) {
    throw new RangeError(`${CALLER}: feature ${featuresUsed - 1} lies beyond the 2 GiB a row block can span`);
  }
  return { bytes: new Uint8Array(buffer), valuesOffset, treesOffset, trees, strideRows, featuresUsed };
}
