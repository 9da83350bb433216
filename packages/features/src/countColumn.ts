import { DataType, type Data, type RecordBatch, type Table } from 'apache-arrow';
import { FeatureError } from './errors.js';

/** What to do with a null count: reject it, or read it as 0 (the notebook's `fillna(0)` on the model features). */
export type NullCounts = 'reject' | 'zero';

/** The table column `name`, or a {@link FeatureError} naming it when it is absent. */
export function requireColumn(table: Table | RecordBatch, name: string) {
  const column = table.getChild(name);
  if (column === null) {
    throw new FeatureError(`missing column ${name} (the table has ${describeColumns(table)})`, { column: name });
  }
  return column;
}

function describeColumns(table: Table | RecordBatch): string {
  const names = table.schema.fields.map((field) => field.name);
  return names.length === 0 ? 'no columns' : `columns ${names.join(', ')}`;
}

/**
 * A numeric count column as float64, one value per row of the table, in row order over all record batches.
 * Accepts any Arrow integer or float32/float64 type (64-bit integers are read exactly up to 2^53). Throws a
 * {@link FeatureError} naming the column and the 0-based row for a null (unless `nulls` is `'zero'`), a negative
 * or non-finite value, and naming the column for a non-numeric type. `firstRow` is the row number of the table's
 * first row in a larger table streamed in batches, for the messages. A float64 column in one chunk without nulls is
 * returned as its own values, not a copy: read it, never write to it.
 */
export function readCountColumn(
  table: Table | RecordBatch,
  name: string,
  nulls: NullCounts = 'reject',
  firstRow = 0,
): Float64Array {
  const column = requireColumn(table, name);
  const only = column.data.length === 1 ? column.data[0] : undefined;
  if (only !== undefined && only.nullCount === 0 && only.values instanceof Float64Array) {
    // The user-day schema's counts: float64 in one chunk without nulls, checked where they are rather than copied
    // (a streamed hunt reads every count of every row in each pass).
    const values = only.values.subarray(0, only.length);
    checkCounts(values, 0, name, firstRow);
    return values;
  }
  const out = new Float64Array(table.numRows);
  let rowStart = 0;
  for (const chunk of column.data) {
    copyChunk(chunk, name, rowStart, out, nulls, firstRow);
    rowStart += chunk.length;
  }
  return out;
}

function copyChunk(
  chunk: Data,
  name: string,
  rowStart: number,
  out: Float64Array,
  nulls: NullCounts,
  firstRow: number,
): void {
  const { type, length } = chunk;
  // Builders leave spare capacity at the end of the values buffer: read only the chunk's own `length` values.
  if (DataType.isInt(type) && type.bitWidth === 64) {
    copyInt64((chunk.values as BigInt64Array | BigUint64Array).subarray(0, length), type.isSigned, rowStart, out);
  } else if (DataType.isInt(type) || (DataType.isFloat(type) && type.precision !== 0)) {
    out.set((chunk.values as Float64Array).subarray(0, length), rowStart);
  } else {
    throw new FeatureError(`column ${name} has type ${String(type)}; expected an integer or float count`, {
      column: name,
    });
  }
  if (chunk.nullCount > 0) applyNulls(chunk, name, rowStart, out, nulls, firstRow);
  checkCounts(out.subarray(rowStart, rowStart + length), rowStart, name, firstRow);
}

/** Throws a {@link FeatureError} naming the row of the first value that is not a finite non-negative number. */
function checkCounts(values: Float64Array, rowStart: number, name: string, firstRow: number): void {
  for (let i = 0; i < values.length; i++) {
    const value = values[i];
    // `value >= 0` is false for NaN too, so one comparison rejects negatives and NaN; Infinity is caught next.
    if (!(value >= 0) || value === Infinity) {
      const row = firstRow + rowStart + i;
      throw new FeatureError(`column ${name}, row ${row}: count ${value} is not a finite non-negative number`, {
        column: name,
        row,
      });
    }
  }
}

/**
 * Reads 64-bit integers through a 32-bit little-endian view (low word unsigned, high word signed or not) rather than one BigInt
 * per row: an order of magnitude faster, and exact for every count below 2^53.
 */
function copyInt64(values: BigInt64Array | BigUint64Array, signed: boolean, rowStart: number, out: Float64Array): void {
  const words = new Uint32Array(values.buffer, values.byteOffset, values.length * 2);
  for (let i = 0; i < values.length; i++) {
    const low = words[2 * i];
    const high = words[2 * i + 1];
    out[rowStart + i] = (signed ? high | 0 : high) * 4294967296 + low;
  }
}

function applyNulls(
  chunk: Data,
  name: string,
  rowStart: number,
  out: Float64Array,
  nulls: NullCounts,
  firstRow: number,
): void {
  const bitmap = chunk.nullBitmap;
  if (bitmap === undefined) return;
  for (let i = 0; i < chunk.length; i++) {
    const bit = chunk.offset + i;
    if ((bitmap[bit >> 3] & (1 << (bit & 7))) !== 0) continue;
    if (nulls === 'reject') {
      const row = firstRow + rowStart + i;
      throw new FeatureError(`column ${name}, row ${row}: count is null`, { column: name, row });
    }
    out[rowStart + i] = 0;
  }
}
