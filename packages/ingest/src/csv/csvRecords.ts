import { close, open, read } from 'node:fs';
import { promisify } from 'node:util';
import { isUtf8 } from 'node:buffer';
import type { CsvBlockOptions } from './csvBlocks.js';
import { csvRecordsOf, type CsvRecord } from './csvTextRecords.js';

export { csvRecordsOf, type CsvRecord } from './csvTextRecords.js';

const openFile = promisify(open);
const readAt = promisify(read);
const closeFile = promisify(close);

/** Bytes per read of a CSV file: large enough that per-chunk costs vanish, small next to a batch. */
const READ_CHUNK_BYTES = 1 << 20;

/**
 * The byte chunks of a file from `start` up to `end` (default its end), read in order, never whole. A chunk is valid
 * until the next one is requested: the chunks are read into two buffers in turn (the next read runs while the
 * caller works on a chunk), not into a new buffer each, which made a 14 MB file's read allocate 14 MB of garbage and
 * the garbage collector run on it. Every reader here copies what it keeps of a chunk (`csvBlocks` carries only a
 * cut-off record).
 */
export async function* fileChunks(file: string, start = 0, end = Infinity): AsyncGenerator<Uint8Array> {
  // A descriptor, not a FileHandle: a caller that drops the chunks unfinished without closing them (one that stops
  // calling next()) leaves it open to the end of the process, as a read stream did; the garbage collector would close
  // a FileHandle with a warning on stderr.
  const fd = await openFile(file, 'r');
  const buffers = [new Uint8Array(READ_CHUNK_BYTES), new Uint8Array(READ_CHUNK_BYTES)];
  let position = start;
  // Reads run one after another, so each starts where the last one ended (a short read is not a gap).
  const readNext = async (buffer: Uint8Array) => {
    const length = Math.min(READ_CHUNK_BYTES, end - position);
    if (length <= 0) return { bytesRead: 0, buffer };
    const result = await readAt(fd, buffer, 0, length, position);
    position += result.bytesRead;
    return result;
  };
  let pending: Promise<{ bytesRead: number; buffer: Uint8Array }> | null = readNext(buffers[0]!);
  try {
    for (let k = 1; ; k++) {
      const { bytesRead, buffer } = await pending;
      pending = null;
      if (bytesRead === 0) return;
      // Buffer k % 2 held the chunk before the one handed out now, which the caller is done with.
      pending = readNext(buffers[k % 2]!);
      yield buffer.subarray(0, bytesRead);
    }
  } finally {
    // Stopped early: let the read in flight finish before the file is closed under it.
    await pending?.catch(() => undefined);
    await closeFile(fd);
  }
}

/** The columnar reader's block options for a file in Node: the native UTF-8 check. */
export function nodeBlockOptions(options: CsvBlockOptions = {}): CsvBlockOptions {
  return { isUtf8, ...options };
}

/**
 * Streams the records of a UTF-8 CSV file (BOM or not, CRLF or LF) with the columnar reader's tokenizer; the
 * header is the first record. Field counts are not checked here (callers name the ragged row). Malformed quoting,
 * bad bytes and records over the limits throw an `IngestError` with the line.
 */
export function readCsvRecords(file: string, label = file, options: CsvBlockOptions = {}): AsyncGenerator<CsvRecord> {
  return csvRecordsOf(fileChunks(file), label, nodeBlockOptions(options));
}
