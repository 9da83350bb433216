import type { RecordBatch } from 'apache-arrow';
import { writeArrowIpc, writeCsv, writeParquet } from '@isoforest/ingest';
import { tableFormatOf } from './tableFormat.js';

/**
 * Streams record batches of one schema to a CSV, Arrow IPC or Parquet file (by extension) as they are produced,
 * never holding the whole table. Resolves with the number of rows written.
 */
export function writeTable(path: string, batches: AsyncIterable<RecordBatch> | Iterable<RecordBatch>): Promise<number> {
  switch (tableFormatOf(path)) {
    case 'csv':
      return writeCsv(path, batches);
    case 'parquet':
      return writeParquet(path, batches);
    case 'arrow':
      return writeArrowIpc(path, batches);
  }
}
