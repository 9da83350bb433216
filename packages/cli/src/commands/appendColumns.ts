import { Table, type RecordBatch, type Vector } from 'apache-arrow';
import { UsageError } from '../command.js';

/** `batch`'s columns followed by `extra`, as one record batch; a name clash is an error, never an overwrite. */
export function appendColumns(batch: RecordBatch, extra: Record<string, Vector>): RecordBatch {
  const columns: Record<string, Vector> = {};
  batch.schema.fields.forEach((field, c) => {
    columns[field.name] = batch.getChildAt(c)!;
  });
  const clash = Object.keys(extra).find((name) => name in columns);
  if (clash !== undefined) throw new UsageError(`the input already has a column '${clash}'; rename it first`);
  return new Table({ ...columns, ...extra }).batches[0]!;
}
