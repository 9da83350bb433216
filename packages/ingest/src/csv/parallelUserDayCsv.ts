/**
 * A large aggregated user-day CSV read on several threads. The main thread reads the header, cuts the rest into
 * parts of about `PART_BYTES` just after a line feed, and worker threads convert the parts; the batches come back
 * and are yielded in file order, so at most one part per thread is held at a time (memory is bounded by the part
 * size, not the file).
 *
 * A cut is a guess: a line feed inside a quoted field is not a record boundary. Each part reports where its last
 * whole record ended; when a part (read from a true boundary) does not end exactly at the next cut, that cut was
 * inside a quoted field, the later parts' results are dropped and the rest of the file is read on this thread
 * from that part's last boundary. So the rows, their order, the errors (`file:row:column: problem`, rows counted
 * across parts) and the counts are those of the one-thread reader; only the batch boundaries may differ.
 */
import { createReadStream } from 'node:fs';
import { open } from 'node:fs/promises';
import { isUtf8 } from 'node:buffer';
import { availableParallelism } from 'node:os';
import { Worker } from 'node:worker_threads';
import { RecordBatch, tableFromIPC } from 'apache-arrow';
import { IngestError } from '../errors.js';
import { USER_DAY_SCHEMA, type UserDayTypeMap } from '../schema.js';
import { countRejected, type IngestStats } from '../stats.js';
import { DEFAULT_BATCH_ROWS } from '../userDayBatch.js';
import { csvBlocks } from './csvBlocks.js';
import { fieldText } from './fieldValues.js';
import { CsvFields, DEFAULT_MAX_RECORD_BYTES, scanRecords } from './tokenizer.js';
import { UserDayCsvRows, type UserDayCsvOptions } from './userDayRows.js';

/** Bytes per part: a few batches, so the hand-over costs little and memory stays bounded. */
export const PART_BYTES = 16 << 20;
/** Files smaller than this are read on one thread: starting workers would cost more than it saves. */
export const PARALLEL_MIN_BYTES = 32 << 20;

/** A problem a worker found, with its line counted from its part's first line. */
export interface RowProblem {
  row: number | null;
  column: string | null;
  problem: string;
}

/** What a worker is asked to read. */
export interface PartJob {
  file: string;
  label: string;
  start: number;
  end: number;
  last: boolean;
  header: string[];
  options: { lenient: boolean; batchRows: number; maxRecordBytes?: number; maxColumns?: number };
}

/** What a worker read: the batches as Arrow IPC, the counts, and where its last whole record ended. */
export interface PartResult {
  ipc: Uint8Array | null;
  stats: IngestStats;
  rejects: RowProblem[];
  /** File position after the part's last whole record. */
  tail: number;
  /** Line feeds before `tail` in the part. */
  lines: number;
}

type WorkerReply = PartResult | { error: RowProblem; bug: boolean };

/** Threads to read `size` bytes on: `requested`, or one per core for a large file. */
export function readerThreads(size: number, requested: number | undefined): number {
  if (requested !== undefined) return Math.max(1, Math.floor(requested));
  return size >= PARALLEL_MIN_BYTES ? availableParallelism() : 1;
}

/** The header record of `file`: its fields, the position after it and the line feeds before that. */
async function readHeader(file: string, label: string, size: number, options: UserDayCsvOptions) {
  const handle = await open(file);
  try {
    const length = Math.min(size, (options.maxRecordBytes ?? DEFAULT_MAX_RECORD_BYTES) + 3);
    const bytes = new Uint8Array(length);
    await handle.read(bytes, 0, length, 0);
    const bom = bytes[0] === 0xef && bytes[1] === 0xbb && bytes[2] === 0xbf ? 3 : 0;
    const fields = new CsvFields();
    const stop = scanRecords(bytes, bom, length, 1, length === size, fields, 1, label, options);
    if (fields.recordCount === 0 || !isUtf8(bytes.subarray(0, stop.position))) return null;
    const header: string[] = [];
    for (let f = 0; f < fields.width(0); f++)
      header.push(fieldText(bytes, fields.starts[f]!, fields.ends[f]!, fields.escaped[f]!));
    return { header, end: stop.position, lines: stop.line - 1 };
  } finally {
    await handle.close();
  }
}

/** Cut positions: just after the first line feed at or after every `partBytes` from `start`, then `size`. */
async function cuts(file: string, start: number, size: number, partBytes: number): Promise<number[]> {
  const out: number[] = [];
  const handle = await open(file);
  try {
    const window = new Uint8Array(1 << 16);
    for (let at = start + partBytes; at < size; at += partBytes) {
      const { bytesRead } = await handle.read(window, 0, window.length, at);
      const lf = window.subarray(0, bytesRead).indexOf(10);
      if (lf >= 0 && at + lf + 1 < size && at + lf + 1 > (out.at(-1) ?? start)) out.push(at + lf + 1);
    }
  } finally {
    await handle.close();
  }
  out.push(size);
  return out;
}

/** A worker that reads one part at a time. */
class PartReader {
  private readonly worker = new Worker(new URL('./userDayCsvWorker.js', import.meta.url));

  read(job: PartJob): Promise<WorkerReply> {
    return new Promise((resolve, reject) => {
      const onError = (error: Error) => reject(error);
      this.worker.once('error', onError);
      this.worker.once('message', (reply: WorkerReply) => {
        this.worker.off('error', onError);
        resolve(reply);
      });
      this.worker.postMessage(job);
    });
  }

  stop(): Promise<number> {
    return this.worker.terminate();
  }
}

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
  const head = await readHeader(file, label, size, options);
  if (head === null) return null;
  // Checks the header here, so a missing column is reported before any worker starts.
  new UserDayCsvRows(label, stats, options).setHeader(head.header);
  return partsInOrder(file, label, size, threads, stats, options, head);
}

async function* partsInOrder(
  file: string,
  label: string,
  size: number,
  threads: number,
  stats: IngestStats,
  options: UserDayCsvOptions,
  head: { header: string[]; end: number; lines: number },
): AsyncGenerator<RecordBatch<UserDayTypeMap>> {
  const ends = await cuts(file, head.end, size, options.partBytes ?? PART_BYTES);
  const batchRows = options.batchRows ?? DEFAULT_BATCH_ROWS;
  const jobOptions = {
    lenient: options.lenient === true,
    batchRows,
    maxRecordBytes: options.maxRecordBytes,
    maxColumns: options.maxColumns,
  };
  const jobs: PartJob[] = ends.map((end, k) => ({
    file,
    label,
    start: k === 0 ? head.end : ends[k - 1]!,
    end,
    last: k === ends.length - 1,
    header: head.header,
    options: jobOptions,
  }));
  const readers = Array.from({ length: Math.min(threads, jobs.length) }, () => new PartReader());
  const pending: Promise<WorkerReply>[] = [];
  const startJob = (k: number): void => {
    if (k < jobs.length) pending[k] = readers[k % readers.length]!.read(jobs[k]!);
  };
  // Nothing left unhandled if the consumer stops early: each reply is awaited below or dropped with its worker.
  const quiet = (p: Promise<WorkerReply> | undefined) => p?.catch(() => undefined);
  let lines = head.lines;
  try {
    for (let k = 0; k < readers.length; k++) startJob(k);
    for (let k = 0; k < jobs.length; k++) {
      const reply = await pending[k]!;
      if ('error' in reply) {
        const { row, column, problem } = reply.error;
        if (reply.bug) throw new Error(`CSV reader worker failed: ${problem}`);
        throw new IngestError(label, row === null ? null : row + lines, column, problem);
      }
      for (const reject of reply.rejects) {
        countRejected(
          stats,
          new IngestError(label, reject.row === null ? null : reject.row + lines, reject.column, reject.problem),
          0,
        );
      }
      stats.rowsRead += reply.stats.rowsRead;
      stats.rowsKept += reply.stats.rowsKept;
      stats.rowsRejected += reply.stats.rowsRejected;
      stats.rowsOut += reply.stats.rowsOut;
      // The next part of this worker starts as soon as this one is taken, before its batches are yielded.
      startJob(k + readers.length);
      if (reply.ipc !== null) {
        for (const batch of tableFromIPC(reply.ipc).batches)
          yield new RecordBatch(USER_DAY_SCHEMA, batch.data) as RecordBatch<UserDayTypeMap>;
      }
      const firstLine = lines + reply.lines + 1;
      lines += reply.lines;
      if (reply.tail !== jobs[k]!.end) {
        // The cut after this part was inside a quoted field: read the rest here, from the last whole record.
        for (let j = k + 1; j < jobs.length; j++) quiet(pending[j]);
        yield* readRest(file, label, reply.tail, firstLine, head.header, stats, options);
        return;
      }
    }
  } finally {
    for (const p of pending) quiet(p);
    await Promise.all(readers.map((r) => r.stop()));
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
  const chunks = createReadStream(file, { start, highWaterMark: 1 << 20 }) as AsyncIterable<Uint8Array>;
  const blocks = csvBlocks(chunks, label, {
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
