import type { Float32Columns } from './engine.js';

/** A block's distinct rows, and for every row of the block the distinct row it equals. */
export interface UniqueRows {
  /** The distinct rows, in order of first appearance, column-major like the block. */
  readonly unique: Float32Columns;
  /** `rowOf[r]` is the index in `unique` of row `r` of the block. */
  readonly rowOf: Int32Array;
}

/**
 * Finds the distinct rows of a block by their float32 bit patterns (the engine sees nothing else, so rows with equal
 * bits get equal scores and explanations; -0 and 0 count as distinct, and NaN never reaches here). Explaining the
 * distinct rows and copying the results back is exact; user-day features repeat a lot.
 */
export function uniqueRows(block: Float32Columns): UniqueRows {
  const { rows, columns } = block;
  const bits = float32Bits(block.data);
  const slots = new Int32Array(tableSize(rows)).fill(-1);
  const mask = slots.length - 1;
  const firstRow: number[] = [];
  const rowOf = new Int32Array(rows);
  for (let r = 0; r < rows; r++) {
    let slot = rowHash(bits, r, rows, columns) & mask;
    for (;;) {
      const seen = slots[slot];
      if (seen === -1) {
        slots[slot] = firstRow.length;
        rowOf[r] = firstRow.length;
        firstRow.push(r);
        break;
      }
      if (sameRow(bits, firstRow[seen], rows, bits, r, rows, columns)) {
        rowOf[r] = seen;
        break;
      }
      slot = (slot + 1) & mask;
    }
  }
  if (firstRow.length === rows) return { unique: block, rowOf };
  return { unique: gatherRows(block, firstRow), rowOf };
}

/** Rows `picked` of `block` (in that order) as a new column-major block. */
export function gatherRows(block: Float32Columns, picked: ArrayLike<number>): Float32Columns {
  const { rows, columns } = block;
  const count = picked.length;
  const data = new Float32Array(count * columns);
  for (let c = 0; c < columns; c++) {
    for (let k = 0; k < count; k++) data[c * count + k] = block.data[c * rows + picked[k]];
  }
  return { data, rows: count, columns };
}

/** The bit patterns of `data`, without a copy. */
export function float32Bits(data: Float32Array): Uint32Array {
  return new Uint32Array(data.buffer, data.byteOffset, data.length);
}

/** A power of two at least twice `rows`, so probes stay short. */
export function tableSize(rows: number): number {
  let size = 16;
  while (size < rows * 2) size *= 2;
  return size;
}

/**
 * The hash of one row's bits: value `c` of the row is `bits[at + c * stride]` (column-major blocks use the block's
 * row count as stride, row-major tables use 1), so both layouts hash a row alike.
 */
export function rowHash(bits: Uint32Array, at: number, stride: number, columns: number): number {
  let hash = 0x811c9dc5;
  for (let c = 0; c < columns; c++) {
    hash = Math.imul(hash ^ bits[at + c * stride], 0x01000193);
    hash ^= hash >>> 15;
  }
  return hash >>> 0;
}

/** Whether two rows, each addressed as in {@link rowHash}, have the same bits. */
export function sameRow(
  a: Uint32Array,
  atA: number,
  strideA: number,
  b: Uint32Array,
  atB: number,
  strideB: number,
  columns: number,
): boolean {
  for (let c = 0; c < columns; c++) if (a[atA + c * strideA] !== b[atB + c * strideB]) return false;
  return true;
}
