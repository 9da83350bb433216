/**
 * A large aggregated user-day CSV read on several threads. The main thread reads the header, cuts the rest into
 * parts (`csvParts.ts`: quote-aware through the tail check) and pooled worker threads convert the parts; the batches
 * come back and are yielded in file order, so at most one part per thread is held at a time (memory is bounded by
 * the part size, not the file). When a cut turns out to be inside a quoted field, the rest of the file is read on
 * this thread from the last whole record. So the rows, their order, the errors (`file:row:column: problem`, rows
 * counted across parts) and the counts are those of the one-thread reader; only the batch boundaries may differ.
 */
import { isUtf8 } from 'node:buffer';
import type { RecordBatch } from 'apache-arrow';
import { IngestError } from '../errors.js';
import type { UserDayTypeMap } from '../schema.js';
import { countRejected, type IngestStats } from '../stats.js';
import { DEFAULT_BATCH_ROWS } from '../userDayBatch.js';
import { csvBlocks } from './csvBlocks.js';
import { cutParts, PART_BYTES, readCsvHeader, repliesInOrder, type CsvHeader } from './csvParts.js';
import { partResult, type UserDayPartJob, type UserDayPartResult } from './csvPartJobs.js';
import { fileChunks } from './csvRecords.js';
import { runPart } from './csvWorkerPool.js';
import { batchOfArrays } from './userDayBatchArrays.js';
import { UserDayCsvRows, type UserDayCsvOptions } from './userDayRows.js';

/**
 * The batches of `file` read on `threads` threads, counted into `stats` as `readUserDayCsv` counts them; `null`
 * when the file's start does not suit the parallel reader (no whole header in reach), so the caller reads it on
 * one thread and reports what is wrong exactly as usual.
 */
export async function parallelUserDayBatches(
  file: string,
  label: string,
  size: number,
  threads: number,
  stats: IngestStats,
  options: UserDayCsvOptions,
): Promise<AsyncGenerator<RecordBatch<UserDayTypeMap>> | null> {
  const head = await readCsvHeader(file, label, size, options);
  if (head === null) return null;
  // Checks the header here, so a missing column is reported before any worker starts.
  new UserDayCsvRows(label, stats, options).setHeader(head.names);
  return partsInOrder(file, label, size, threads, stats, options, head);
}

async function* partsInOrder(
  file: string,
  label: string,
  size: number,
  threads: number,
  stats: IngestStats,
  options: UserDayCsvOptions,
  head: CsvHeader,
): AsyncGenerator<RecordBatch<UserDayTypeMap>> {
  const parts = await cutParts(file, head.end, size, options.partBytes ?? PART_BYTES);
  const jobOptions = {
    lenient: options.lenient === true,
    batchRows: options.batchRows ?? DEFAULT_BATCH_ROWS,
    maxRecordBytes: options.maxRecordBytes,
    maxColumns: options.maxColumns,
  };
  const job = (k: number): UserDayPartJob => ({
    kind: 'userDays',
    file,
    label,
    ...parts[k]!,
    header: head.names,
    options: jobOptions,
  });
  let lines = head.lines;
  let k = 0;
  for await (const reply of repliesInOrder(parts.length, threads, (k) => runPart(job(k), threads))) {
    const part = partResult<UserDayPartResult>(reply, label, lines);
    for (const reject of part.rejects) {
      countRejected(
        stats,
        new IngestError(label, reject.row === null ? null : reject.row + lines, reject.column, reject.problem),
        0,
      );
    }
    stats.rowsRead += part.stats.rowsRead;
    stats.rowsKept += part.stats.rowsKept;
    stats.rowsRejected += part.stats.rowsRejected;
    stats.rowsOut += part.stats.rowsOut;
    for (const arrays of part.batches) yield batchOfArrays(arrays);
    const firstLine = lines + part.lines + 1;
    lines += part.lines;
    if (part.tail !== parts[k]!.end) {
      // The cut after this part was inside a quoted field: read the rest here, from the last whole record.
      yield* readRest(file, label, part.tail, firstLine, head.names, stats, options);
      return;
    }
    k++;
  }
}

async function* readRest(
  file: string,
  label: string,
  start: number,
  firstLine: number,
  header: string[],
  stats: IngestStats,
  options: UserDayCsvOptions,
): AsyncGenerator<RecordBatch<UserDayTypeMap>> {
  const rows = new UserDayCsvRows(label, stats, options);
  rows.setHeader(header);
  const blocks = csvBlocks(fileChunks(file, start), label, {
    ...options,
    isUtf8,
    firstLine,
    fileStart: false,
    maxRecords: options.batchRows ?? DEFAULT_BATCH_ROWS,
  });
  for await (const block of blocks) yield* rows.add(block);
  const last = rows.end();
  if (last !== null) yield last;
}
