import { DataType, Precision, util, type Data, type RecordBatch, type Table, type Vector } from 'apache-arrow';
import type { Float32Columns } from './engine.js';
import { InputError } from './errors.js';

/**
 * Feature data the model accepts:
 * - an Apache Arrow `Table` (or one `RecordBatch`): the model's features are picked by name; Int, Uint and Float
 *   columns, chunked or not;
 * - a record of named columns (`{ failed_logons: Float64Array, ... }`, plain number arrays work too);
 * - an array of columns in the model's feature order.
 * Columns of a record or an array may also be Arrow vectors. Every value must be finite (after rounding to float32)
 * and non-null. Arrow objects are recognised by their shape, not with `instanceof`, so tables built with another copy
 * (or another version) of apache-arrow than the core's work too.
 */
export type ModelInput =
  Table | RecordBatch | Readonly<Record<string, ArrayLike<number> | Vector>> | readonly (ArrayLike<number> | Vector)[];

/**
 * Rows per block when scoring or explaining: the input is converted, scored and released one block at a time, so
 * WebAssembly memory stays bounded (a block of 8 features is 2 MiB of float32) however many rows come in.
 */
export const BLOCK_ROWS = 65_536;

/** One input column, able to copy any range of its rows into a float32 buffer, checking every value. */
interface ColumnReader {
  readonly name: string;
  readonly length: number;
  /** Rounds rows `[start, end)` to float32 into `out[at ...]`; throws InputError on null or non-finite values. */
  copyRows(start: number, end: number, out: Float32Array, at: number): void;
}

/**
 * An input matched to a feature list and checked for shape (all columns present, numeric, of one length, at least
 * one row). Values are checked and rounded block by block, in {@link ResolvedInput.readBlock}.
 */
export interface ResolvedInput {
  /** The features, in model order; column `c` of every block is `featureNames[c]`. */
  readonly featureNames: readonly string[];
  /** Number of rows in the input. */
  readonly rows: number;
  /** Rows `[start, end)` as column-major float32 (scikit-learn's `X.astype(np.float32)`). */
  readBlock(start: number, end: number): Float32Columns;
}

/** Matches `input` to `featureNames`; throws InputError naming the column if one is missing, non-numeric or short. */
export function resolveInput(input: ModelInput, featureNames: readonly string[]): ResolvedInput {
  const readers = columnReaders(input, featureNames);
  const rows = readers.length === 0 ? 0 : readers[0].length;
  for (const reader of readers) {
    if (reader.length !== rows) {
      throw new InputError(
        `column "${reader.name}" has ${reader.length} rows but column "${readers[0].name}" has ${rows}`,
        { column: reader.name },
      );
    }
  }
  if (rows === 0) throw new InputError('input has no rows');
  return {
    featureNames,
    rows,
    readBlock(start: number, end: number): Float32Columns {
      const blockRows = end - start;
      const data = new Float32Array(blockRows * readers.length);
      readers.forEach((reader, c) => reader.copyRows(start, end, data, c * blockRows));
      return { data, rows: blockRows, columns: readers.length };
    },
  };
}

/**
 * The feature names to train on when the caller names none: every Int, Uint or Float column of a table, in table
 * order, or every key of a record. An array of columns has no names, so it has no default.
 */
export function defaultFeatureNames(input: ModelInput): string[] | undefined {
  if (isArrowColumns(input)) {
    return input.schema.fields.filter((field) => isNumericType(field.type)).map((field) => field.name);
  }
  if (Array.isArray(input)) return undefined;
  return Object.keys(input);
}

/** The part of a `Table` or `RecordBatch` the core reads: both have a schema and named child vectors. */
type ArrowColumns = Pick<Table | RecordBatch, 'schema' | 'getChild'>;

/** Whether `input` is an Arrow `Table` or `RecordBatch`, of any copy of apache-arrow. */
function isArrowColumns(input: unknown): input is ArrowColumns {
  const candidate = input as Partial<ArrowColumns> | null;
  return (
    typeof candidate === 'object' &&
    candidate !== null &&
    typeof candidate.getChild === 'function' &&
    Array.isArray(candidate.schema?.fields)
  );
}

/** Whether `column` is an Arrow `Vector` (chunks of `Data` with a data type), of any copy of apache-arrow. */
function isArrowVector(column: unknown): column is Vector {
  const candidate = column as Partial<Vector> | null;
  return (
    typeof candidate === 'object' &&
    candidate !== null &&
    Array.isArray(candidate.data) &&
    typeof candidate.type?.typeId === 'number' &&
    typeof candidate.length === 'number'
  );
}

/** One reader per feature, in feature order; throws InputError if a column is missing or not numeric. */
function columnReaders(input: ModelInput, featureNames: readonly string[]): ColumnReader[] {
  if (isArrowColumns(input)) {
    return featureNames.map((name) => {
      const vector = input.getChild(name);
      if (vector === null) throw new InputError(`missing feature column "${name}"`, { column: name });
      return arrowColumnReader(name, vector);
    });
  }
  if (Array.isArray(input)) {
    const columns = input as readonly (ArrayLike<number> | Vector)[];
    if (columns.length !== featureNames.length) {
      throw new InputError(
        `expected ${featureNames.length} columns in feature order (${featureNames.join(', ')}), got ${columns.length}`,
      );
    }
    return columns.map((column, c) => anyColumnReader(featureNames[c], column));
  }
  if (typeof input !== 'object' || input === null) {
    throw new InputError('input must be an Arrow Table, a record of named columns or an array of columns');
  }
  const record = input as Readonly<Record<string, ArrayLike<number> | Vector>>;
  return featureNames.map((name) => {
    const column = Object.prototype.hasOwnProperty.call(record, name) ? record[name] : undefined;
    if (column === undefined || column === null) {
      throw new InputError(`missing feature column "${name}"`, { column: name });
    }
    return anyColumnReader(name, column);
  });
}

function anyColumnReader(name: string, column: ArrayLike<number> | Vector): ColumnReader {
  return isArrowVector(column) ? arrowColumnReader(name, column) : arrayColumnReader(name, column);
}

function isNumericType(type: DataType): boolean {
  return DataType.isInt(type) || DataType.isFloat(type);
}

function arrowColumnReader(name: string, vector: Vector): ColumnReader {
  if (!isNumericType(vector.type)) {
    throw new InputError(`column "${name}" has type ${String(vector.type)}; expected an Int, Uint or Float column`, {
      column: name,
    });
  }
  const chunks: readonly Data[] = vector.data;
  const halfFloat = DataType.isFloat(vector.type) && vector.type.precision === Precision.HALF;
  return {
    name,
    length: vector.length,
    copyRows(start, end, out, at) {
      let chunkStart = 0;
      for (const chunk of chunks) {
        const chunkEnd = chunkStart + chunk.length;
        const from = Math.max(start, chunkStart);
        const to = Math.min(end, chunkEnd);
        if (from < to) copyArrowChunk(name, chunk, chunkStart, from, to, halfFloat, out, at + (from - start));
        chunkStart = chunkEnd;
        if (chunkStart >= end) break;
      }
    },
  };
}

/** Copies global rows `[from, to)`, which lie in `chunk` (whose first row is global row `chunkStart`). */
function copyArrowChunk(
  name: string,
  chunk: Data,
  chunkStart: number,
  from: number,
  to: number,
  halfFloat: boolean,
  out: Float32Array,
  at: number,
): void {
  if (chunk.nullCount > 0) {
    for (let row = from; row < to; row++) {
      if (!chunk.getValid(row - chunkStart)) {
        throw new InputError(`column "${name}", row ${row}: value is null`, { column: name, row });
      }
    }
  }
  // Arrow slices the values buffer with the chunk, so local row i is values[i] (only the null bitmap keeps the offset).
  const values = chunk.values as ArrayLike<number | bigint>;
  const first = from - chunkStart;
  const count = to - from;
  if (halfFloat) {
    for (let i = 0; i < count; i++) out[at + i] = util.uint16ToFloat64(values[first + i] as number);
  } else if (values instanceof BigInt64Array || values instanceof BigUint64Array) {
    for (let i = 0; i < count; i++) out[at + i] = Number(values[first + i]);
  } else {
    // Zero-copy view of the typed array; `set` converts and rounds to float32 in one native pass.
    out.set((values as Float64Array).subarray(first, first + count), at);
  }
  checkFinite(name, out, at, count, from);
}

function arrayColumnReader(name: string, column: ArrayLike<number>): ColumnReader {
  if (typeof column !== 'object' || typeof column.length !== 'number') {
    throw new InputError(`column "${name}" is not an array of numbers`, { column: name });
  }
  const typed = ArrayBuffer.isView(column) && !(column instanceof DataView);
  const bigints = column instanceof BigInt64Array || column instanceof BigUint64Array;
  return {
    name,
    length: column.length,
    copyRows(start, end, out, at) {
      const count = end - start;
      if (typed && !bigints) {
        out.set((column as Float64Array).subarray(start, end), at);
      } else {
        // Plain arrays (and bigint arrays) can hold anything at run time: check each value's type.
        const values = column as ArrayLike<unknown>;
        for (let i = 0; i < count; i++) {
          const value = values[start + i];
          if (typeof value === 'number') out[at + i] = value;
          else if (typeof value === 'bigint') out[at + i] = Number(value);
          else {
            const row = start + i;
            const shown = value === null || value === undefined ? String(value) : JSON.stringify(value);
            throw new InputError(`column "${name}", row ${row}: ${shown} is not a number`, { column: name, row });
          }
        }
      }
      checkFinite(name, out, at, count, start);
    },
  };
}

/** Throws on the first NaN or infinite float32 in `out[at, at + count)`; `firstRow` is the global row of `out[at]`. */
function checkFinite(name: string, out: Float32Array, at: number, count: number, firstRow: number): void {
  for (let i = 0; i < count; i++) {
    const value = out[at + i];
    // x - x is 0 for every finite x and NaN for NaN and +-Infinity: one comparison per value.
    if (value - value !== 0) {
      const row = firstRow + i;
      const what = Number.isNaN(value) ? 'NaN' : 'infinite (or beyond the float32 range)';
      throw new InputError(`column "${name}", row ${row}: value is ${what}`, { column: name, row });
    }
  }
}
