/**
 * The WebAssembly engine: grows forests and scores rows in the core, managing its linear memory. Inputs of any
 * size are streamed through fixed-size row blocks, so scoring ten million rows never holds them all in the core.
 */
import type { Engine, Float32Columns, TreeGrowth } from '../engine.js';
import type { FlatForest } from '../forest.js';
import type { CoreExports, WasmSource } from './exports.js';
import { checkColumns } from './checks.js';
import { Regions, WasmMemory } from './memory.js';
import { packedForest } from './packedForest.js';
import { treeShapInCore } from './treeshap.js';
import { loadCore } from '#load-wasm';

/** Bytes of float32 rows copied into the core per call: large enough that the per-call cost vanishes. */
const SCORE_BLOCK_BYTES = 1 << 20;
/** Rows per block are a multiple of this, so padding a block to the 8 rows the core walks together stays inside it. */
const ROW_QUANTUM = 256;
const MAX_BLOCK_ROWS = 16384;
/** Bytes per node of a tree's output area while growing: value, threshold (f64), feature, left, nodeSamples (i32). */
const GROWN_NODE_BYTES = 28;

/** Rows per scoring block for `columns` features: a multiple of 256, at most 16384, about 1 MiB of float32. */
export function scoreBlockRows(columns: number): number {
  const rows = Math.floor(SCORE_BLOCK_BYTES / (4 * columns) / ROW_QUANTUM) * ROW_QUANTUM;
  return Math.min(MAX_BLOCK_ROWS, Math.max(ROW_QUANTUM, rows));
}

function checkGrowth(x: Float32Columns, growth: TreeGrowth): void {
  checkColumns(x, 'growForest');
  const isInt = (v: number, lo: number, hi: number): boolean => Number.isInteger(v) && v >= lo && v <= hi;
  if (x.rows < 1) throw new RangeError('growForest: need at least one row');
  if (!isInt(growth.trees, 1, 2 ** 31 - 1)) throw new RangeError(`growForest: trees must be >= 1, got ${growth.trees}`);
  if (!isInt(growth.maxSamples, 1, x.rows)) {
    throw new RangeError(`growForest: maxSamples must be an integer in [1, ${x.rows}], got ${growth.maxSamples}`);
  }
  if (!isInt(growth.maxFeatures, 1, x.columns)) {
    throw new RangeError(`growForest: maxFeatures must be an integer in [1, ${x.columns}], got ${growth.maxFeatures}`);
  }
  if (!isInt(growth.seed, 0, 0xffffffff)) throw new RangeError(`growForest: seed must be a u32, got ${growth.seed}`);
  if (growth.trees * (2 * growth.maxSamples - 1) >= 2 ** 31) {
    throw new RangeError(
      `growForest: ${growth.trees} trees of up to ${2 * growth.maxSamples - 1} nodes exceed the 2^31 - 1 nodes a forest can index`,
    );
  }
}

/** Concatenates typed-array pieces into one array of the same kind. */
function concat<T extends Int32Array | Float64Array>(pieces: T[], total: number, make: (n: number) => T): T {
  const out = make(total);
  let at = 0;
  for (const piece of pieces) {
    out.set(piece, at);
    at += piece.length;
  }
  return out;
}

/** The engine over one instance of the WebAssembly core. Not shared between threads; calls run one at a time. */
export class WasmEngine implements Engine {
  readonly #core: CoreExports;
  readonly #memory: WasmMemory;
  readonly #heapBase: number;
  /** The forest whose packed form sits at the heap base, so repeated scoring does not copy it again. */
  #resident: { forest: WeakRef<FlatForest>; strideRows: number; end: number } | undefined;

  constructor(core: CoreExports) {
    this.#core = core;
    this.#memory = new WasmMemory(core.memory);
    this.#heapBase = core.heapBase();
  }

  /** The linear memory from the heap base on, for a call that lays out its own regions (forgets the resident forest). */
  claimMemory(): { core: CoreExports; memory: WasmMemory; regions: Regions } {
    this.#resident = undefined;
    return { core: this.#core, memory: this.#memory, regions: new Regions(this.#heapBase) };
  }

  /**
   * Grows `growth.trees` isolation trees on `x` exactly as docs/forest.md specifies (the same forest, node for node,
   * as `@isoforest/reference`'s growForest). `x` must be finite float32; the whole of it is copied into the core.
   */
  growForest(x: Float32Columns, growth: TreeGrowth): FlatForest {
    checkGrowth(x, growth);
    const { core, memory, regions } = this.claimMemory();
    const capacity = core.treeCapacity(growth.maxSamples);
    const xAt = regions.take(x.data.length * 4);
    const workAt = regions.take(core.growWorkBytes(x.rows, x.columns, growth.maxSamples));
    const outAt = regions.take(capacity * GROWN_NODE_BYTES);
    memory.ensure(regions.end);
    memory.f32.set(x.data, xAt / 4);
    core.beginGrowth(
      xAt,
      x.rows,
      x.columns,
      growth.maxSamples,
      growth.maxFeatures,
      growth.bootstrap ? 1 : 0,
      growth.seed >>> 0,
      workAt,
    );

    // Each tree is copied out as it is grown, so the core only ever holds one tree's output.
    const grown = {
      feature: [] as Int32Array[],
      threshold: [] as Float64Array[],
      left: [] as Int32Array[],
      nodeSamples: [] as Int32Array[],
      value: [] as Float64Array[],
    };
    // The output area's layout (assembly/train.ts, growTree), as element indices: value and threshold (f64), then
    // feature, left and nodeSamples (i32), `capacity` entries each.
    const valueAt = outAt / 8;
    const thresholdAt = valueAt + capacity;
    const featureAt = (thresholdAt + capacity) * 2;
    const leftAt = featureAt + capacity;
    const samplesAt = leftAt + capacity;
    // The core never grows its memory itself, so these views stay valid for the whole loop.
    const f64 = memory.f64;
    const i32 = memory.i32;
    const treeOffsets = new Int32Array(growth.trees + 1);
    let nodes = 0;
    for (let t = 0; t < growth.trees; t++) {
      treeOffsets[t] = nodes;
      const count = core.growTree(t, nodes, outAt);
      grown.value.push(f64.slice(valueAt, valueAt + count));
      grown.threshold.push(f64.slice(thresholdAt, thresholdAt + count));
      grown.feature.push(i32.slice(featureAt, featureAt + count));
      grown.left.push(i32.slice(leftAt, leftAt + count));
      grown.nodeSamples.push(i32.slice(samplesAt, samplesAt + count));
      nodes += count;
    }
    treeOffsets[growth.trees] = nodes;
    return {
      treeOffsets,
      feature: concat(grown.feature, nodes, (n) => new Int32Array(n)),
      threshold: concat(grown.threshold, nodes, (n) => new Float64Array(n)),
      left: concat(grown.left, nodes, (n) => new Int32Array(n)),
      nodeSamples: concat(grown.nodeSamples, nodes, (n) => new Int32Array(n)),
      value: concat(grown.value, nodes, (n) => new Float64Array(n)),
    };
  }

  /**
   * The mean path length over the trees of every row of `x` (tree levels; shorter = more anomalous), bit-identical
   * to `@isoforest/reference`'s meanPathLength. Rows are streamed through the core in blocks.
   */
  meanPathLength(forest: FlatForest, x: Float32Columns): Float64Array {
    checkColumns(x, 'meanPathLength');
    const strideRows = scoreBlockRows(x.columns);
    const packed = packedForest(forest, strideRows);
    if (packed.featuresUsed > x.columns) {
      throw new RangeError(
        `meanPathLength: the forest splits on feature ${packed.featuresUsed - 1}, x has ${x.columns} columns`,
      );
    }
    const forestAt = this.#heapBase;
    const forestEnd = this.#placeForest(forest, packed);
    const regions = new Regions(forestEnd);
    const xAt = regions.take(x.columns * strideRows * 4);
    const outAt = regions.take(strideRows * 8);
    this.#memory.ensure(regions.end);

    const out = new Float64Array(x.rows);
    const core = this.#core;
    for (let start = 0; start < x.rows; start += strideRows) {
      const rows = Math.min(strideRows, x.rows - start);
      const f32 = this.#memory.f32;
      for (let c = 0; c < x.columns; c++) {
        const from = c * x.rows + start;
        f32.set(x.data.subarray(from, from + rows), xAt / 4 + c * strideRows);
      }
      core.meanPathLengths(
        forestAt,
        forestAt + packed.valuesOffset,
        forestAt + packed.treesOffset,
        packed.trees,
        xAt,
        rows,
        outAt,
      );
      out.set(this.#memory.f64.subarray(outAt / 8, outAt / 8 + rows), start);
    }
    return out;
  }

  /** Copies the packed forest to the heap base unless it is already there; returns the first byte after it. */
  #placeForest(forest: FlatForest, packed: ReturnType<typeof packedForest>): number {
    const resident = this.#resident;
    if (resident !== undefined && resident.forest.deref() === forest && resident.strideRows === packed.strideRows) {
      return resident.end;
    }
    const end = this.#heapBase + packed.bytes.length;
    this.#memory.ensure(end);
    this.#memory.u8.set(packed.bytes, this.#heapBase);
    this.#resident = { forest: new WeakRef(forest), strideRows: packed.strideRows, end };
    return end;
  }

  /**
   * Exact path-dependent TreeSHAP of the mean path length, column-major like `x`: feature `c`'s contribution to row
   * `r` is `out[c * rows + r]`, in tree levels; negative = shorter path = more anomalous. Each row's values sum to
   * its mean path length minus the mean root value. Uses the fast exact variant, which agrees with
   * `@isoforest/reference`'s treeShap up to rounding (the tests hold it to 1e-9).
   */
  treeShap(forest: FlatForest, x: Float32Columns): Float64Array {
    return treeShapInCore(this.claimMemory(), forest, x);
  }
}

/**
 * Instantiates the WebAssembly core and returns an engine over it. `source` defaults to the `.wasm` shipped in
 * this package (read from disk in Node, fetched in browsers); pass a URL, the bytes or a compiled module to override.
 */
export async function loadEngine(source?: WasmSource): Promise<WasmEngine> {
  return new WasmEngine(await loadCore(source));
}
