/**
 * A user-day batch's typed arrays as they cross from a worker thread to the main thread: moved (transferred), not
 * serialised. Arrow IPC was the first way across: `tableToIPC` copied every buffer of a part into one message and
 * cost a worker about 0.55 s of CPU a million user-days, more than half of converting them from CSV, so that two
 * threads took about 1.5x the CPU of one. No Node built-ins.
 */
import type { Data, RecordBatch } from 'apache-arrow';
import { structBatch, valuesData } from '@isoforest/common/arrow';
import { USER_DAY_COLUMNS, USER_DAY_SCHEMA, type UserDayTypeMap } from '../schema.js';
import { utf8Data } from './utf8Column.js';

/** One column: a fixed-width column's values (days, counts, times), or a Utf8 column's offsets and bytes. */
type ColumnArrays =
  | { readonly values: Int32Array | Float64Array | BigInt64Array }
  | { readonly offsets: Int32Array; readonly bytes: Uint8Array };

/** A `USER_DAY_SCHEMA` batch as arrays, one entry per column in schema order. */
export interface UserDayBatchArrays {
  readonly length: number;
  readonly columns: readonly ColumnArrays[];
}

/** The arrays of a batch the user-day reader built (no nulls, no offset into its buffers). */
export function batchArrays(batch: RecordBatch<UserDayTypeMap>): UserDayBatchArrays {
  const columns = batch.data.children.map((child: Data, k): ColumnArrays => {
    if (USER_DAY_COLUMNS[k]!.kind === 'string') return { offsets: child.valueOffsets, bytes: child.values };
    return { values: child.values };
  });
  return { length: batch.numRows, columns };
}

/** The batch over `arrays`, without copying them. */
export function batchOfArrays(arrays: UserDayBatchArrays): RecordBatch<UserDayTypeMap> {
  const children = arrays.columns.map((column, k) =>
    'values' in column
      ? valuesData(USER_DAY_SCHEMA.fields[k]!.type, column.values)
      : utf8Data(column.offsets, column.bytes, arrays.length),
  );
  return structBatch(USER_DAY_SCHEMA, children, arrays.length);
}
