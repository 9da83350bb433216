import { Table, type RecordBatch } from 'apache-arrow';
import { IngestError, readArrowBatches, readParquetBatches } from '@isoforest/ingest';
import { missingColumns, readCsvBatches } from './csvTable.js';
import { MAX_COLUMNS } from './recordBatchOf.js';
import { tableFormatOf } from './tableFormat.js';

export interface ReadOptions {
  /** Columns that must be present and numeric (the model's features). */
  readonly numericColumns?: readonly string[];
  readonly batchRows?: number;
}

/**
 * Streams a CSV, Arrow IPC (file or stream format) or Parquet file as record batches, so memory is bounded by a batch
 * (a Parquet row group).
 */
export async function* readTableBatches(path: string, options: ReadOptions = {}): AsyncGenerator<RecordBatch> {
  const format = tableFormatOf(path);
  if (format === 'csv') {
    let checkedCsv = false;
    for await (const batch of readCsvBatches(path, options)) {
      if (!checkedCsv)
        checkColumns(
          path,
          batch.schema.fields.map((f) => f.name),
          undefined,
        );
      checkedCsv = true;
      yield batch;
    }
    return;
  }
  let checked = false;
  for await (const batch of format === 'parquet' ? readParquetBatches(path) : readArrowBatches(path)) {
    if (!checked) {
      checkColumns(
        path,
        batch.schema.fields.map((f) => f.name),
        options.numericColumns,
      );
      checked = true;
    }
    yield batch;
  }
}

/** Reads a whole CSV, Arrow or Parquet file into one table. */
export async function readTable(path: string, options: ReadOptions = {}): Promise<Table> {
  const batches: RecordBatch[] = [];
  for await (const batch of readTableBatches(path, options)) batches.push(batch);
  return new Table(batches);
}

function checkColumns(path: string, names: string[], required: readonly string[] | undefined): void {
  if (names.length > MAX_COLUMNS)
    throw new IngestError(path, null, null, `${names.length} columns: more than the ${MAX_COLUMNS} this reads`);
  const missing = (required ?? []).filter((name) => !names.includes(name));
  if (missing.length > 0) {
    throw new IngestError(path, null, null, missingColumns(missing));
  }
}
