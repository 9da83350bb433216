import { DataType, makeData, makeVector, RecordBatch, Table, vectorFromArray, type Vector } from 'apache-arrow';

type NumberArray = Float64Array | Float32Array | Int32Array | Int16Array | Int8Array | Uint32Array | Uint16Array | Uint8Array;

/**
 * The given rows of `batch`, in the given order, as a new record batch of the same schema. Float and 8- to 32-bit
 * integer columns are gathered typed array to typed array; other columns (strings, dates, 64-bit) value by value.
 */
export function takeRows(batch: RecordBatch, rows: Int32Array): RecordBatch {
  if (rows.length === batch.numRows && rows.every((row, k) => row === k)) return batch;
  const columns: Record<string, Vector> = {};
  batch.schema.fields.forEach((field, c) => {
    const vector = batch.getChildAt(c)!;
    const { type } = field;
    const gatherable = (DataType.isFloat(type) || (DataType.isInt(type) && type.bitWidth <= 32)) && vector.data.length === 1 && vector.nullCount === 0;
    if (gatherable) {
      const source = vector.data[0]!.values as NumberArray;
      const gathered = new (source.constructor as new (length: number) => NumberArray)(rows.length);
      rows.forEach((row, k) => (gathered[k] = source[row]));
      columns[field.name] = makeVector(makeData({ type, length: rows.length, nullCount: 0, data: gathered } as never));
    } else {
      columns[field.name] = vectorFromArray(Array.from(rows, (row) => vector.get(row)), type);
    }
  });
  return new Table(columns).batches[0] ?? batch.slice(0, 0);
}
