/**
 * The SHAP values of distinct rows, remembered so that a row is explained once however often it comes: a row's
 * TreeSHAP values are a pure function of its float32 bits, so copying them to every row with the same bits is exact,
 * bit for bit. User-day features repeat a lot (z-scores clipped at 0 and small counts): a third of the demo data's
 * rows and 45% of a synthetic tenant's are repeats within one call, half of a 1M user-day tenant's across batches.
 *
 * Explaining a block goes in two steps, so that the missing rows can be explained anywhere (in this thread or on
 * workers): {@link ShapCache.plan} finds the block's rows the cache lacks, then {@link ShapCache.finish} takes their
 * TreeSHAP, stores it and writes every row's values. Blocks must finish in the order they were planned: a block may
 * reuse rows an earlier block added.
 */
import type { Float32Columns } from './engine.js';
import { float32Bits, gatherRows, rowHash, sameRow, tableSize, uniqueRows } from './uniqueRows.js';

/** The default bound on a cache's memory (see {@link cacheRowsFor}). */
export const SHAP_CACHE_BYTES = 64 * 1024 * 1024;

/**
 * How many rows of `columns` features a cache of `bytes` holds: each costs its float32 key, its float64 values and
 * up to four 4-byte slots of the hash table (a power of two at least twice the rows). 64 MiB hold 762,600 rows of
 * six features.
 */
export function cacheRowsFor(columns: number, bytes: number): number {
  return Math.floor(bytes / (columns * 12 + 16));
}

/**
 * TreeSHAP of block `x` into `out[c][start + r]` on this thread, running `treeShap` (the engine's, column-major in and
 * out) only on the rows `cache` lacks.
 */
export function explainThroughCache(
  cache: ShapCache,
  x: Float32Columns,
  treeShap: (rows: Float32Columns) => Float64Array,
  out: readonly Float64Array[],
  start: number,
): void {
  const plan = cache.plan(x);
  cache.finish(plan, plan.missing.rows === 0 ? new Float64Array(0) : treeShap(plan.missing), out, start);
}

/** A planned block: which of its rows come from the cache and which must be explained. */
export interface ShapPlan {
  /** The block's distinct rows the cache lacks, column-major: their TreeSHAP goes to {@link ShapCache.finish}. */
  readonly missing: Float32Columns;
  /** Rows of the block. */
  readonly rows: number;
  /** `distinctOf[r]`: the distinct row (of the block) that row `r` equals. */
  readonly distinctOf: Int32Array;
  /** Per distinct row: a cache id (>= 0), or `-1 - k` for row `k` of `missing`. */
  readonly source: Int32Array;
  /** Per row of `missing`: the cache id it was given, or -1 if the cache was full. */
  readonly cacheIdOf: Int32Array;
}

/**
 * Distinct float32 rows and their TreeSHAP values, at most `capacity` rows. When full it keeps what it holds and
 * adds nothing: the rows that repeat most are the ones seen first (measured on the synthetic tenants, keeping them
 * beats starting over), and nothing is ever evicted, so a planned block's cache ids stay valid until it finishes.
 * Memory grows with the rows held, up to `capacity * (12 * columns + 16)` bytes (and the old stores while it grows).
 */
export class ShapCache {
  readonly columns: number;
  readonly capacity: number;
  #rows = 0;
  /** Row-major bits of the cached rows. */
  #keys: Uint32Array;
  /** Row-major SHAP values of the cached rows (those of rows still being explained are not written yet). */
  #values: Float64Array;
  /** Open addressing: a cache id, or -1 for an empty slot. */
  #slots: Int32Array;

  constructor(columns: number, capacity: number) {
    this.columns = columns;
    this.capacity = Math.max(0, Math.floor(capacity));
    this.#keys = new Uint32Array(0);
    this.#values = new Float64Array(0);
    this.#slots = new Int32Array(16).fill(-1);
  }

  /** Rows held. */
  get rows(): number {
    return this.#rows;
  }

  /** Forgets every row, e.g. after a block planned against it could not finish. */
  clear(): void {
    this.#rows = 0;
    this.#keys = new Uint32Array(0);
    this.#values = new Float64Array(0);
    this.#slots = new Int32Array(16).fill(-1);
  }

  /** Finds the rows of `block` the cache lacks, and reserves room for them while it has any. */
  plan(block: Float32Columns): ShapPlan {
    const { unique, rowOf } = uniqueRows(block);
    const columns = this.columns;
    const bits = float32Bits(unique.data);
    const stride = unique.rows;
    // Room for every distinct row of the block at once, so the table grows at most once a block.
    this.#reserve(Math.min(this.capacity, this.#rows + unique.rows));
    const source = new Int32Array(unique.rows);
    const missingRows = new Int32Array(unique.rows);
    const cacheIdOf = new Int32Array(unique.rows);
    let missing = 0;
    for (let u = 0; u < unique.rows; u++) {
      const slot = this.#probe(bits, u, stride, rowHash(bits, u, stride, columns));
      const id = this.#slots[slot];
      if (id >= 0) {
        source[u] = id;
        continue;
      }
      source[u] = -1 - missing;
      missingRows[missing] = u;
      if (this.#rows < this.capacity) {
        const added = this.#rows++;
        this.#slots[slot] = added;
        for (let c = 0; c < columns; c++) this.#keys[added * columns + c] = bits[u + c * stride];
        cacheIdOf[missing] = added;
      } else {
        cacheIdOf[missing] = -1;
      }
      missing++;
    }
    return {
      missing: missing === unique.rows ? unique : gatherRows(unique, missingRows.subarray(0, missing)),
      rows: block.rows,
      distinctOf: rowOf,
      source,
      cacheIdOf: cacheIdOf.subarray(0, missing),
    };
  }

  /**
   * Stores `shap`, the TreeSHAP of `plan.missing` (column-major, as the engine returns it), and writes the values of
   * every row of the planned block into `out[c][start + r]`. Call in planning order.
   */
  finish(plan: ShapPlan, shap: Float64Array, out: readonly Float64Array[], start: number): void {
    const columns = this.columns;
    const missingRows = plan.missing.rows;
    const values = this.#values;
    for (let k = 0; k < missingRows; k++) {
      const id = plan.cacheIdOf[k];
      if (id >= 0) for (let c = 0; c < columns; c++) values[id * columns + c] = shap[c * missingRows + k];
    }
    const { rows, distinctOf, source } = plan;
    if (missingRows === rows) {
      // Every row distinct and new: the values are the engine's, in row order.
      out.forEach((column, c) => column.set(shap.subarray(c * rows, (c + 1) * rows), start));
      return;
    }
    for (let c = 0; c < columns; c++) {
      const column = out[c];
      const missingAt = c * missingRows - 1;
      for (let r = 0; r < rows; r++) {
        const from = source[distinctOf[r]];
        column[start + r] = from >= 0 ? values[from * columns + c] : shap[missingAt - from];
      }
    }
  }

  /** The slot holding the row, or the empty slot where it belongs. */
  #probe(bits: Uint32Array, at: number, stride: number, hash: number): number {
    const slots = this.#slots;
    const mask = slots.length - 1;
    const columns = this.columns;
    for (let slot = hash & mask; ; slot = (slot + 1) & mask) {
      const id = slots[slot];
      if (id === -1 || sameRow(this.#keys, id * columns, 1, bits, at, stride, columns)) return slot;
    }
  }

  /** Makes room for `rows` rows (keys, values and a table at most half full), keeping every row and its id. */
  #reserve(rows: number): void {
    const columns = this.columns;
    if (rows * columns <= this.#keys.length) return;
    // At least doubling, so that many small blocks do not copy the store each time.
    const room = Math.min(this.capacity, Math.max(rows, 2 * (this.#keys.length / columns), 1024));
    const keys = new Uint32Array(room * columns);
    keys.set(this.#keys.subarray(0, this.#rows * columns));
    const values = new Float64Array(room * columns);
    values.set(this.#values.subarray(0, this.#rows * columns));
    this.#keys = keys;
    this.#values = values;
    this.#slots = new Int32Array(tableSize(room)).fill(-1);
    const mask = this.#slots.length - 1;
    for (let id = 0; id < this.#rows; id++) {
      let slot = rowHash(keys, id * columns, 1, columns) & mask;
      while (this.#slots[slot] !== -1) slot = (slot + 1) & mask;
      this.#slots[slot] = id;
    }
  }
}
