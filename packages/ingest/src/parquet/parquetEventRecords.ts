import type { RecordBatch, Vector } from 'apache-arrow';
import { canonicalColumnName } from '../csv/columnNames.js';
import type { LocatedRecord } from '../events/aggregate.js';

/** How a cell of a Parquet column reads as a field of an event record (what a JSON export would hold). */
function fieldValue(type: string): (value: unknown) => unknown {
  if (type.startsWith('Timestamp')) return (ms) => new Date(ms as number).toISOString();
  if (type.startsWith('Date')) return (ms) => new Date(ms as number).toISOString().slice(0, 10);
  return (value) => value;
}

/**
 * The rows of a Parquet file of raw events (a Sentinel data-lake or ADX `.export` of `SecurityEvent`), read as
 * `batches`, as flat records, one row group at a time; `where.row` is the 1-based row. Missing values are left
 * out of the record.
 */
export async function* parquetEventRecords(
  file: string,
  batches: AsyncIterable<RecordBatch>,
): AsyncGenerator<LocatedRecord> {
  let row = 0;
  for await (const batch of batches) {
    const columns = batch.schema.fields.map((field, k) => ({
      name: canonicalColumnName(field.name),
      vector: batch.getChildAt(k) as Vector,
      value: fieldValue(String(field.type)),
    }));
    for (let i = 0; i < batch.numRows; i++) {
      const record: Record<string, unknown> = {};
      for (const { name, vector, value } of columns) {
        const cell = vector.get(i) as unknown;
        if (cell !== null && cell !== undefined) record[name] = value(cell);
      }
      yield { record, where: { file, row: ++row } };
    }
  }
}
