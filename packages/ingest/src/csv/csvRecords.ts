import { createReadStream } from 'node:fs';
import { isUtf8 } from 'node:buffer';
import type { CsvBlockOptions } from './csvBlocks.js';
import { csvRecordsOf, type CsvRecord } from './csvTextRecords.js';

export { csvRecordsOf, type CsvRecord } from './csvTextRecords.js';

/** Bytes per read of a CSV file: large enough that per-chunk costs vanish, small next to a batch. */
const READ_CHUNK_BYTES = 1 << 20;

/** The byte chunks of a file, read in order, never whole. */
export function fileChunks(file: string): AsyncIterable<Uint8Array> {
  return createReadStream(file, { highWaterMark: READ_CHUNK_BYTES }) as AsyncIterable<Uint8Array>;
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
