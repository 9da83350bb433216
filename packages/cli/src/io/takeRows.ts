import { DataType, makeVector, Table, vectorFromArray, type RecordBatch, type Vector } from 'apache-arrow';
import { valuesData } from '@isoforest/common/arrow';
import { recordBatchOf } from './recordBatchOf.js';

type NumberArray =
  Float64Array | Float32Array | Int32Array | Int16Array | Int8Array | Uint32Array | Uint16Array | Uint8Array;

/**
 * The given rows of a record batch or table, in the given order, as a one-batch table of the same schema. A float
 * or 8- to 32-bit integer column held in one chunk is gathered typed array to typed array; any other column
 * (strings, dates, dictionaries, 64-bit, chunked) value by value.
 */
export function takeRows(data: RecordBatch | Table, rows: Int32Array): Table {
  const columns = data.schema.fields.map((field, c): readonly [typeof field, Vector] => {
    const vector = data.getChildAt(c)!;
    const { type } = field;
    const gatherable =
      (DataType.isFloat(type) || (DataType.isInt(type) && type.bitWidth <= 32)) &&
      vector.data.length === 1 &&
      vector.nullCount === 0;
    if (gatherable) {
      const source = vector.data[0]!.values as NumberArray;
      const gathered = new (source.constructor as new (length: number) => NumberArray)(rows.length);
      rows.forEach((row, k) => (gathered[k] = source[row]));
      return [field, makeVector(valuesData(type, gathered))];
    }
    return [
      field,
      vectorFromArray(
        Array.from(rows, (row) => vector.get(row)),
        type,
      ),
    ];
  });
  return new Table(recordBatchOf(columns));
}
