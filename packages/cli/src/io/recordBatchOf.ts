import { Field, makeData, RecordBatch, Schema, Struct, type Vector } from 'apache-arrow';

/** Most columns a table the CLI reads may have: a wide feature table has dozens; 100,000 is an attack or a mistake. */
export const MAX_COLUMNS = 10_000;

/**
 * A record batch of the given columns, in order, built from a list of fields: column names stay data, never
 * object keys (so `__proto__` and `constructor` are names like any other), and the cost is linear in the number
 * of columns (apache-arrow's `new Table({...})` on an object is quadratic in it). Every vector must hold one
 * chunk of the same length.
 */
export function recordBatchOf(columns: readonly (readonly [Field | string, Vector])[]): RecordBatch {
  const fields = columns.map(([field, vector]) =>
    field instanceof Field ? field : new Field(field, vector.type, true),
  );
  const length = columns.length === 0 ? 0 : columns[0][1].length;
  const children = columns.map(([, vector]) => {
    if (vector.data.length !== 1 || vector.length !== length)
      throw new Error('recordBatchOf needs single-chunk columns of one length');
    return vector.data[0];
  });
  return new RecordBatch(new Schema(fields), makeData({ type: new Struct(fields), length, nullCount: 0, children }));
}
