import type { RecordBatch, Vector } from 'apache-arrow';
import { UsageError } from '../command.js';
import { recordBatchOf } from '../io/recordBatchOf.js';

/** `batch`'s columns followed by `extra`, as one record batch; a name clash is an error, never an overwrite. */
export function appendColumns(batch: RecordBatch, extra: Record<string, Vector>): RecordBatch {
  const names = new Set(batch.schema.fields.map((field) => field.name));
  const added = Object.entries(extra);
  const clash = added.find(([name]) => names.has(name));
  if (clash !== undefined) throw new UsageError(`the input already has a column '${clash[0]}'; rename it first`);
  return recordBatchOf([...batch.schema.fields.map((field, c) => [field, batch.getChildAt(c)!] as const), ...added]);
}
