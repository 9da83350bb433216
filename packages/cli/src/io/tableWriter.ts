import type { RecordBatch, Schema } from 'apache-arrow';
import { writeArrowIpc, writeCsv, writeParquet } from '@isoforest/ingest';
import { writeAtomically } from './atomicOutput.js';
import { tableFormatOf } from './tableFormat.js';

/**
 * Streams record batches of one schema to a CSV, Arrow IPC or Parquet file (by extension) as they are produced,
 * never holding the whole table, through a temporary file that replaces `path` only once every batch is written.
 * `schema`, when known, makes an Arrow file without rows still a readable, typed file. Resolves with the number
 * of rows written.
 */
export function writeTable(
  path: string,
  batches: AsyncIterable<RecordBatch> | Iterable<RecordBatch>,
  schema?: Schema,
): Promise<number> {
  const format = tableFormatOf(path);
  return writeAtomically(path, (temp) => {
    switch (format) {
      case 'csv':
        return writeCsv(temp, batches);
      case 'parquet':
        return writeParquet(temp, batches);
      case 'arrow':
        return writeArrowIpc(temp, batches, { schema });
    }
  });
}
