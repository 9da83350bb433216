import { open } from 'node:fs/promises';
import { once } from 'node:events';
import type { Writable } from 'node:stream';
import { Table as ArrowTable, type RecordBatch, type TypeMap } from 'apache-arrow';
import { CsvEncoder } from './csvBytes.js';

/** Options of `writeCsv` and `writeCsvStream`. */
export interface WriteCsvOptions {
  /** Line ending; default `\n`. */
  eol?: '\n' | '\r\n';
}

/** Rows encoded between two looks at the stream: a batch of a million rows is not held as one string of bytes. */
const BLOCK_ROWS = 16_384;
/** Bytes encoded before they are handed to the stream: few, large writes. */
const FLUSH_BYTES = 4 << 20;
/**
 * Bytes the stream may hold that the sink has not taken before the encoder waits: the file writes the last chunks
 * while the next ones are encoded, and memory stays bounded when the disk is slower than the encoder.
 */
const MAX_PENDING_BYTES = 16 << 20;

/**
 * Streams Arrow record batches (or a table) as CSV into `out`, a writable byte stream the caller opened (a file,
 * stdout, a temporary file that an atomic writer renames) and ends. A header of the field names, then one line per
 * row: numbers in their shortest round-trip form (`csvNumber`), `Date` columns as `YYYY-MM-DD`, timestamps as ISO
 * 8601 UTC (`2022-09-19T23:29:46.297Z`), text quoted as needed and neutralised against formula injection
 * (`csvText`), nulls as empty cells. Resolves with the number of rows written; rejects if the stream fails.
 */
export async function writeCsvStream<T extends TypeMap>(
  out: Writable,
  data: ArrowTable<T> | AsyncIterable<RecordBatch<T>> | Iterable<RecordBatch<T>>,
  options: WriteCsvOptions = {},
): Promise<number> {
  let streamError: Error | undefined;
  const onError = (error: Error) => {
    streamError ??= error;
  };
  out.on('error', onError);
  const encoder = new CsvEncoder({ eol: options.eol });
  const send = async () => {
    for (const chunk of encoder.out.take()) out.write(chunk);
    while (streamError === undefined && out.writableLength > MAX_PENDING_BYTES) await once(out, 'drain');
    if (streamError !== undefined) throw streamError;
  };
  try {
    let rows = 0;
    let headed = false;
    for await (const batch of data instanceof ArrowTable ? data.batches : data) {
      if (!headed) {
        encoder.header(batch.schema);
        headed = true;
      }
      for (let start = 0; start < batch.numRows; start += BLOCK_ROWS) {
        encoder.rows(batch, start, Math.min(batch.numRows, start + BLOCK_ROWS));
        if (encoder.out.bytes >= FLUSH_BYTES) await send();
      }
      rows += batch.numRows;
    }
    if (!headed && data instanceof ArrowTable) encoder.header(data.schema);
    await send();
    // Wait for the sink to take the last bytes, so that its failure is this call's failure.
    await new Promise<void>((resolve, reject) => {
      out.write(new Uint8Array(0), (error) => (error ? reject(streamError ?? error) : resolve()));
    });
    return rows;
  } finally {
    out.off('error', onError);
  }
}

/**
 * `writeCsvStream` into a new file at `file` (replaced if it exists). Resolves with the number of rows written once
 * the file is closed.
 */
export async function writeCsv<T extends TypeMap>(
  file: string,
  data: ArrowTable<T> | AsyncIterable<RecordBatch<T>> | Iterable<RecordBatch<T>>,
  options: WriteCsvOptions = {},
): Promise<number> {
  // Opening first turns a bad path into a rejected promise here, not an 'error' event nobody listens to.
  const out = (await open(file, 'w')).createWriteStream();
  let closeError: Error | undefined;
  out.on('error', (error) => {
    closeError ??= error;
  });
  let rows: number;
  try {
    rows = await writeCsvStream(out, data, options);
  } finally {
    out.end();
    await once(out, 'close');
  }
  // A failure while the last chunks were flushed: the rows are not all on disk.
  if (closeError !== undefined) throw closeError;
  return rows;
}
