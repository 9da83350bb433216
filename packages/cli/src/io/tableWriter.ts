import type { RecordBatch } from 'apache-arrow';
import { writeArrowIpc, writeCsv } from '@isoforest/ingest';
import { tableFormatOf } from './tableFormat.js';

/**
 * Streams record batches of one schema to a CSV or Arrow IPC file (by extension) as they are produced, never
 * holding the whole table. Resolves with the number of rows written.
 */
export function writeTable(path: string, batches: AsyncIterable<RecordBatch> | Iterable<RecordBatch>): Promise<number> {
  return tableFormatOf(path) === 'csv' ? writeCsv(path, batches) : writeArrowIpc(path, batches);
}
