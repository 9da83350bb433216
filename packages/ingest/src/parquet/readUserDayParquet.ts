import {
  makeData,
  makeVector,
  type RecordBatch,
  vectorFromArray,
  type DataType,
  type Utf8,
  type Vector,
} from 'apache-arrow';
import { structBatch, valuesData } from '@isoforest/common/arrow';
import { canonicalColumnName } from '../csv/columnNames.js';
import { IngestError } from '../errors.js';
import { makeSource, type UserDaySource } from '../source.js';
import { MS_PER_DAY, USER_DAY_COLUMNS, USER_DAY_SCHEMA, type UserDayColumn, type UserDayTypeMap } from '../schema.js';
import { createStats } from '../stats.js';
import { parseUtcDate, parseUtcTimestamp } from '../timeFormats.js';

/** A column's values as numbers: days for dates, ms for timestamps, the value for counts; null if unreadable. */
function numbersOf(column: UserDayColumn, vector: Vector): (row: number) => number | null {
  const type = String(vector.type as DataType);
  const isText = type === 'Utf8';
  return (row) => {
    const value = vector.get(row) as unknown;
    if (value === null || value === undefined) return null;
    if (column.kind === 'date') {
      const ms = isText
        ? parseUtcDate(value as string)
        : typeof value === 'number' && type.startsWith('Date')
          ? value
          : null;
      if (ms === null && !isText && type.startsWith('Timestamp')) return Math.floor((value as number) / MS_PER_DAY);
      return ms === null ? null : Math.floor(ms / MS_PER_DAY);
    }
    if (column.kind === 'timestamp') {
      if (isText) return parseUtcTimestamp(value as string);
      return typeof value === 'number' && (type.startsWith('Timestamp') || type.startsWith('Date')) ? value : null;
    }
    return typeof value === 'number' && Number.isInteger(value) && value >= 0 ? value : null;
  };
}

const PROBLEMS = {
  date: 'not a date',
  timestamp: 'not a timestamp',
  count: 'not a whole number >= 0',
} as const;

/**
 * A column the Parquet reader gave in the user-day schema's own type, in one chunk (text, float64 counts, days,
 * millisecond timestamps, as a file `isoforest` wrote holds them): its buffers are kept rather than each cell read
 * and built again, which took most of a hunt's reading of such a file. `firstBad` is the first row whose value the
 * cell by cell path refuses (a null; a count not whole and >= 0), or -1. A null string is the empty string, as there:
 * its bytes are none, so only the null bitmap goes. Null for any other column, which goes cell by cell.
 */
function keptAsItIs(column: UserDayColumn, source: Vector): { vector: Vector; firstBad: () => number } | null {
  if (source.data.length !== 1) return null;
  const data = source.data[0]!;
  const type = USER_DAY_SCHEMA.fields.find((f) => f.name === column.name)!.type;
  if (String(data.type) !== String(type)) return null;
  const firstNull = () => {
    if (data.nullCount === 0) return -1;
    for (let row = 0; row < data.length; row++) if (!data.getValid(row)) return row;
    return -1;
  };
  if (column.kind === 'string') {
    const offsets = data.valueOffsets as Int32Array;
    if (data.nullCount === 0) return { vector: source, firstBad: () => -1 };
    for (let row = 0; row < data.length; row++)
      if (!data.getValid(row) && offsets[row] !== offsets[row + 1]) return null;
    const strings = makeData({
      type: type as Utf8,
      length: data.length,
      nullCount: 0,
      valueOffsets: offsets,
      data: data.values,
    });
    return { vector: makeVector(strings), firstBad: () => -1 };
  }
  if (column.kind === 'count') {
    const values = data.values as Float64Array;
    return {
      vector: source,
      firstBad: () => {
        const nulls = firstNull();
        for (let row = 0; row < data.length; row++) {
          const value = values[row]!;
          // Whole and >= 0 (NaN and the infinities are not whole), as the cell by cell path asks; or null.
          if (row === nulls || !(value >= 0 && Number.isInteger(value))) return row;
        }
        return -1;
      },
    };
  }
  return { vector: source, firstBad: firstNull };
}

/** One batch of the Parquet file as a batch of exactly `USER_DAY_SCHEMA`, or the first bad cell as an error. */
function toUserDayBatch(file: string, batch: RecordBatch, firstRow: number): RecordBatch<UserDayTypeMap> {
  const byName = new Map(batch.schema.fields.map((field, k) => [canonicalColumnName(field.name), k]));
  const vectors: Record<string, Vector> = {};
  for (const column of USER_DAY_COLUMNS) {
    const k = byName.get(column.name);
    if (k === undefined) throw new IngestError(file, null, column.name, 'missing column');
    const source = batch.getChildAt(k) as Vector;
    const kept = keptAsItIs(column, source);
    if (kept !== null) {
      const bad = kept.firstBad();
      if (bad >= 0)
        throw new IngestError(file, firstRow + bad, column.name, PROBLEMS[column.kind as keyof typeof PROBLEMS]);
      vectors[column.name] = kept.vector;
      continue;
    }
    if (column.kind === 'string') {
      if (String(source.type) !== 'Utf8')
        throw new IngestError(file, null, column.name, `type ${String(source.type)} should be text`);
      vectors[column.name] = vectorFromArray(
        Array.from({ length: batch.numRows }, (_, row) => (source.get(row) as string | null) ?? ''),
        USER_DAY_SCHEMA.fields.find((f) => f.name === column.name)!.type,
      );
      continue;
    }
    const read = numbersOf(column, source);
    const values = new Float64Array(batch.numRows);
    for (let row = 0; row < batch.numRows; row++) {
      const value = read(row);
      if (value === null || !Number.isFinite(value))
        throw new IngestError(file, firstRow + row, column.name, PROBLEMS[column.kind]);
      values[row] = value;
    }
    const type = USER_DAY_SCHEMA.fields.find((f) => f.name === column.name)!.type;
    if (column.kind === 'count') vectors[column.name] = makeVector(values);
    else if (column.kind === 'date') vectors[column.name] = makeVector(valuesData(type, Int32Array.from(values)));
    else
      vectors[column.name] = makeVector(
        valuesData(
          type,
          BigInt64Array.from(values, (v) => BigInt(Math.trunc(v))),
        ),
      );
  }
  return structBatch(
    USER_DAY_SCHEMA,
    USER_DAY_SCHEMA.fields.map((field) => vectors[field.name]!.data[0]!),
    batch.numRows,
  );
}

/**
 * Reads user-days from a Parquet file (a data-lake export, or one `isoforest` wrote), read as `batches`: the
 * user-day columns by name (Log Analytics' ` [UTC]` suffix allowed), extra columns ignored as every reader does.
 * Dates may be DATE, a timestamp or text; the time columns timestamps or text; counts any number type, whole and
 * >= 0. A bad value is an `IngestError` naming the row (1-based data row) and column.
 */
export function userDaysFromParquet(file: string, batches: AsyncIterable<RecordBatch>): UserDaySource {
  const stats = createStats();
  return makeSource(stats, async function* () {
    for await (const batch of batches) {
      const userDays = toUserDayBatch(file, batch, stats.rowsRead + 1);
      stats.rowsRead += batch.numRows;
      stats.rowsKept += batch.numRows;
      stats.rowsOut += batch.numRows;
      yield userDays;
    }
  });
}
