import { createReadStream } from 'node:fs';
import { isUtf8 } from 'node:buffer';
import { csvBlocks, type CsvBlockOptions } from './csvBlocks.js';
import { fieldText } from './fieldValues.js';

/** One parsed CSV record and the 1-based line it ends on (the header is line 1). */
export interface CsvRecord {
  readonly fields: string[];
  readonly line: number;
}

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
 * The records of CSV bytes as strings, in order: for readers that need every field as text (raw event files,
 * whose columns are found by name per record). The header is the first record.
 */
export async function* csvRecordsOf(
  chunks: AsyncIterable<Uint8Array> | Iterable<Uint8Array>,
  label: string,
  options: CsvBlockOptions = {},
): AsyncGenerator<CsvRecord> {
  for await (const { bytes, fields } of csvBlocks(chunks, label, options)) {
    for (let r = 0; r < fields.recordCount; r++) {
      const values: string[] = [];
      for (let f = fields.recordFirst[r]!; f < fields.recordFirst[r + 1]!; f++) {
        values.push(fieldText(bytes, fields.starts[f]!, fields.ends[f]!, fields.escaped[f]!));
      }
      yield { fields: values, line: fields.recordLine[r]! };
    }
  }
}

/**
 * Streams the records of a UTF-8 CSV file (BOM or not, CRLF or LF) with the columnar reader's tokenizer; the
 * header is the first record. Field counts are not checked here (callers name the ragged row). Malformed quoting,
 * bad bytes and records over the limits throw an `IngestError` with the line.
 */
export function readCsvRecords(file: string, label = file, options: CsvBlockOptions = {}): AsyncGenerator<CsvRecord> {
  return csvRecordsOf(fileChunks(file), label, nodeBlockOptions(options));
}
