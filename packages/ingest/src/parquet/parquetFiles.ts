/** Parquet files on disk, through the readers of `./parquetRead.ts` and the record and user-day readers. */
import { stat } from 'node:fs/promises';
import type { RecordBatch } from 'apache-arrow';
import type { LocatedRecord } from '../events/aggregate.js';
import type { UserDaySource } from '../source.js';
import { parquetEventRecords } from './parquetEventRecords.js';
import { parquetBatches } from './parquetRead.js';
import { userDaysFromParquet } from './readUserDayParquet.js';

/**
 * Streams a Parquet file as Arrow record batches, one per row group (memory is bounded by a row group). Columns
 * keep their names and order.
 */
export async function* readParquetBatches(file: string): AsyncGenerator<RecordBatch> {
  await stat(file);
  const { asyncBufferFromFile } = await import('hyparquet');
  yield* parquetBatches(file, await asyncBufferFromFile(file));
}

/** The user-days of a Parquet file (see `userDaysFromParquet`). */
export function readUserDayParquet(file: string): UserDaySource {
  return userDaysFromParquet(file, readParquetBatches(file));
}

/** The rows of a Parquet file of raw events as flat records (see `parquetEventRecords`). */
export function parquetFileEventRecords(file: string): AsyncGenerator<LocatedRecord> {
  return parquetEventRecords(file, readParquetBatches(file));
}
