/**
 * A large CSV file cut into parts that worker threads read on their own, and the parts' results taken back in file
 * order. Shared by the parallel user-day reader and the parallel decimal-column reader.
 *
 * A cut is a guess: it is placed just after a line feed, and a line feed inside a quoted field is not a record
 * boundary. Each part reports where its last whole record ended (`PartTail`); when a part read from a true boundary
 * does not end exactly at the next cut, that cut was inside a quoted field, and the caller reads the rest of the file
 * on its own thread from that part's last boundary. So the records, their order, the errors and their lines are
 * those of the one-thread reader.
 */
import { open } from 'node:fs/promises';
import { isUtf8 } from 'node:buffer';
import { availableParallelism } from 'node:os';
import { fieldText } from './fieldValues.js';
import { CsvFields, DEFAULT_MAX_RECORD_BYTES, scanRecords, type CsvLimits } from './tokenizer.js';

/** Bytes per part: a few batches, so the hand-over costs little and memory stays bounded. */
export const PART_BYTES = 16 << 20;
/**
 * Files smaller than this are read on one thread: a worker's first part runs on code not yet optimised and its
 * results must cross threads, so on smaller files two threads lose to one (the io-read benchmark measures it).
 */
export const PARALLEL_MIN_BYTES = 32 << 20;

/** Threads to read `size` bytes on: `requested`, or one per core for a large file. */
export function readerThreads(size: number, requested: number | undefined): number {
  if (requested !== undefined) return Math.max(1, Math.floor(requested));
  return size >= PARALLEL_MIN_BYTES ? availableParallelism() : 1;
}

/** The bytes of a part of a file: `[start, end)`; `last` when it ends the file. */
export interface PartRange {
  readonly start: number;
  readonly end: number;
  readonly last: boolean;
}

/** Where a part's last whole record ended: the file position after it and the line feeds before it in the part. */
export interface PartTail {
  readonly tail: number;
  readonly lines: number;
}

/** A problem a worker found, with its line counted from its part's first line. */
export interface RowProblem {
  row: number | null;
  column: string | null;
  problem: string;
}

/** The header record of a file: its bytes and field ranges, its fields as text, where it ends and its line feeds. */
export interface CsvHeader {
  readonly bytes: Uint8Array;
  readonly fields: CsvFields;
  readonly names: string[];
  readonly end: number;
  readonly lines: number;
}

/**
 * The header record of `file`, or `null` when its start does not suit the parallel readers (no whole, valid
 * header within reach), so that the caller reads it on one thread and reports what is wrong exactly as usual.
 */
export async function readCsvHeader(
  file: string,
  label: string,
  size: number,
  limits: CsvLimits,
): Promise<CsvHeader | null> {
  const handle = await open(file);
  try {
    const length = Math.min(size, (limits.maxRecordBytes ?? DEFAULT_MAX_RECORD_BYTES) + 3);
    const bytes = new Uint8Array(length);
    await handle.read(bytes, 0, length, 0);
    const bom = bytes[0] === 0xef && bytes[1] === 0xbb && bytes[2] === 0xbf ? 3 : 0;
    const fields = new CsvFields();
    const stop = scanRecords(bytes, bom, length, 1, length === size, fields, 1, label, limits);
    if (fields.recordCount === 0 || !isUtf8(bytes.subarray(0, stop.position))) return null;
    const names: string[] = [];
    for (let f = 0; f < fields.width(0); f++)
      names.push(fieldText(bytes, fields.starts[f]!, fields.ends[f]!, fields.escaped[f]!));
    return { bytes, fields, names, end: stop.position, lines: stop.line - 1 };
  } finally {
    await handle.close();
  }
}

/** The parts of `[start, size)`: cut just after the first line feed at or after every `partBytes`. */
export async function cutParts(file: string, start: number, size: number, partBytes: number): Promise<PartRange[]> {
  const ends: number[] = [];
  const handle = await open(file);
  try {
    const window = new Uint8Array(1 << 16);
    for (let at = start + partBytes; at < size; at += partBytes) {
      const { bytesRead } = await handle.read(window, 0, window.length, at);
      const lf = window.subarray(0, bytesRead).indexOf(10);
      if (lf >= 0 && at + lf + 1 < size && at + lf + 1 > (ends.at(-1) ?? start)) ends.push(at + lf + 1);
    }
  } finally {
    await handle.close();
  }
  ends.push(size);
  return ends.map((end, k) => ({ start: k === 0 ? start : ends[k - 1]!, end, last: k === ends.length - 1 }));
}

/**
 * The replies of `run(k)` for every part `k`, in order, with at most `threads` parts in flight: the next part is
 * started as soon as a reply is taken, before the caller works on it. Stopping the iteration early leaves no
 * rejected promise unhandled.
 */
export async function* repliesInOrder<R>(
  parts: number,
  threads: number,
  run: (k: number) => Promise<R>,
): AsyncGenerator<R> {
  const pending: Promise<R>[] = [];
  const start = (k: number): void => {
    if (k < parts) pending[k] = run(k);
  };
  try {
    for (let k = 0; k < Math.min(threads, parts); k++) start(k);
    for (let k = 0; k < parts; k++) {
      const reply = await pending[k]!;
      start(k + threads);
      yield reply;
    }
  } finally {
    for (const p of pending) p?.catch(() => undefined);
  }
}
