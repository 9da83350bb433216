/**
 * `@isoforest/common/arrow`: Arrow columns and batches from typed arrays, without a cast at every call, and the
 * bytes that mark an Arrow IPC file.
 */
import { makeData, RecordBatch, Struct, type Data, type DataType, type Schema, type TypeMap } from 'apache-arrow';

/** `ARROW1`: the magic at both ends of an Arrow IPC file (the stream format has none). */
export const ARROW_FILE_MAGIC: readonly number[] = [0x41, 0x52, 0x52, 0x4f, 0x57, 0x31];

/** The typed arrays an Arrow primitive column (ints, floats, dates, timestamps) keeps its values in. */
export type ValueArray =
  | Int8Array
  | Int16Array
  | Int32Array
  | BigInt64Array
  | Uint8Array
  | Uint16Array
  | Uint32Array
  | BigUint64Array
  | Float32Array
  | Float64Array;

/**
 * A column without nulls over `values`, which it keeps (no copy): `values` must be the array `type` stores (an
 * Int32Array for Int32 and DateDay, a BigInt64Array for Int64 and millisecond timestamps, ...).
 */
export function valuesData<T extends DataType>(type: T, values: ValueArray): Data<T> {
  // apache-arrow types makeData's argument by the concrete DataType; for a type only known at run time no overload
  // applies, so the one cast of the repository lives here, behind a signature that still names both halves.
  return makeData({ type, length: values.length, nullCount: 0, data: values } as never) as Data<T>;
}

/** An empty column of any type (a header-only file still has typed columns). */
export function emptyData<T extends DataType>(type: T): Data<T> {
  return makeData({ type, length: 0, nullCount: 0 } as never) as Data<T>;
}

/** A record batch of `schema` over `children` (one Data per field, `length` rows each, no nulls at the row level). */
export function structBatch<T extends TypeMap>(
  schema: Schema<T>,
  children: readonly Data[],
  length = children[0]?.length ?? 0,
): RecordBatch<T> {
  const data = makeData({ type: new Struct<T>(schema.fields), length, nullCount: 0, children: [...children] });
  return new RecordBatch(schema, data);
}
