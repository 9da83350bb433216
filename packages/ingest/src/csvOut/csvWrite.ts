import { open } from 'node:fs/promises';
import { once } from 'node:events';
import type { Writable } from 'node:stream';
import { Table as ArrowTable, type RecordBatch, type TypeMap } from 'apache-arrow';
import { CsvEncoder } from './csvBytes.js';
import { CsvEncoderPool, type EncodedBlock } from './csvEncoderPool.js';

/** Options of `writeCsv` and `writeCsvStream`. */
export interface WriteCsvOptions {
  /** Line ending; default `\n`. */
  eol?: '\n' | '\r\n';
  /**
   * Worker threads (Node) that encode the rows while the caller computes the next batches; the bytes are the same
   * as on this thread. Default 0: this thread encodes. The workers start only once `parallelMinRows` rows have
   * come (the rows before are encoded here), so a small output never pays for starting them.
   */
  workers?: number;
  /** Rows after which the worker threads start; default {@link PARALLEL_MIN_ROWS}. */
  parallelMinRows?: number;
}

/**
 * Rows a CSV is encoded on one thread before worker threads start: one thread encodes them in about the time a
 * worker takes to start (a tenth of a second or more on a busy machine).
 */
export const PARALLEL_MIN_ROWS = 32_768;

/**
 * Blocks a worker holds (the one it encodes and those waiting) before this thread encodes the next block itself:
 * blocks waiting keep the worker busy while this thread computes the batches. This thread learns that a block is
 * done only between its own tasks (a hunt's batch of features takes tens of milliseconds), so with two a worker
 * sat idle 62% of a 10M-row hunt's scores.csv while this thread, counting it busy, encoded blocks itself.
 */
const QUEUE_PER_WORKER = 4;
/** Blocks in flight a worker, in order (theirs and this thread's), before this thread waits to write the oldest. */
const WINDOW_PER_WORKER = 6;

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
export function writeCsvStream<T extends TypeMap>(
  out: Writable,
  data: ArrowTable<T> | AsyncIterable<RecordBatch<T>> | Iterable<RecordBatch<T>>,
  options: WriteCsvOptions = {},
): Promise<number> {
  return streamCsv(out, data, options, false);
}

/**
 * {@link writeCsvStream}; `reuseWritten` when `out` keeps no chunk once it has written it (a file stream, not a
 * sink that collects them): the workers' byte buffers then go back to them to be filled again.
 */
async function streamCsv<T extends TypeMap>(
  out: Writable,
  data: ArrowTable<T> | AsyncIterable<RecordBatch<T>> | Iterable<RecordBatch<T>>,
  options: WriteCsvOptions,
  reuseWritten: boolean,
): Promise<number> {
  let streamError: Error | undefined;
  const onError = (error: Error) => {
    streamError ??= error;
  };
  out.on('error', onError);
  const encoder = new CsvEncoder({ eol: options.eol });
  const drained = async () => {
    while (streamError === undefined && out.writableLength > MAX_PENDING_BYTES) await once(out, 'drain');
    if (streamError !== undefined) throw streamError;
  };
  const send = async () => {
    for (const chunk of encoder.out.take()) out.write(chunk);
    await drained();
  };
  const workers = Math.max(0, Math.floor(options.workers ?? 0));
  let pool: CsvEncoderPool | undefined;
  // Blocks being encoded, in order, and whether each is done: at most WINDOW_PER_WORKER a worker (and one), to bound
  // memory; the workers' blocks not yet done are `queued`.
  const encoding: { block: Promise<EncodedBlock>; done: boolean }[] = [];
  let queued = 0;
  const writeNext = async () => {
    const { chunks, release } = await encoding.shift()!.block;
    for (const chunk of chunks) out.write(chunk);
    // The stream calls back once the chunks before are written: their buffers then go back to be filled again.
    if (reuseWritten)
      out.write(new Uint8Array(0), (error) => {
        if (!error) release();
      });
    await drained();
  };
  try {
    let rows = 0;
    let headed = false;
    for await (const batch of data instanceof ArrowTable ? data.batches : data) {
      if (!headed) {
        encoder.header(batch.schema);
        headed = true;
      }
      if (pool === undefined && workers > 0 && rows + batch.numRows > (options.parallelMinRows ?? PARALLEL_MIN_ROWS)) {
        await send();
        pool = new CsvEncoderPool(workers, options.eol ?? '\n');
      }
      if (pool !== undefined) {
        // Blocks, not whole batches, go to the workers: what is in flight (a copy of each block and its bytes, at
        // most WINDOW_PER_WORKER blocks a worker: by count about 60 MiB at the width of a hunt's scores.csv) stays
        // bounded however large the caller's batches.
        for (let start = 0; start < batch.numRows; start += BLOCK_ROWS) {
          const end = Math.min(batch.numRows, start + BLOCK_ROWS);
          if (queued >= QUEUE_PER_WORKER * workers) {
            // Every worker holds QUEUE_PER_WORKER blocks: this thread encodes one rather than wait.
            encoder.rows(batch, start, end);
            const chunks = encoder.out.take();
            const release = () => encoder.out.reuse(chunks.map((chunk) => chunk.buffer as ArrayBuffer));
            const block = Promise.resolve({ chunks, release });
            encoding.push({ block, done: true });
          } else {
            const entry = { block: pool.encode(batch.slice(start, end)), done: false };
            queued++;
            // Awaited in turn below; until then a failure must not count as unhandled.
            entry.block.then(
              () => {
                entry.done = true;
                queued--;
              },
              () => undefined,
            );
            encoding.push(entry);
          }
          // What is done at the front is written at once; past the window, this thread waits for the oldest block.
          while (encoding.length > 0 && (encoding[0]!.done || encoding.length > WINDOW_PER_WORKER * workers + 1))
            await writeNext();
        }
      } else {
        for (let start = 0; start < batch.numRows; start += BLOCK_ROWS) {
          encoder.rows(batch, start, Math.min(batch.numRows, start + BLOCK_ROWS));
          if (encoder.out.bytes >= FLUSH_BYTES) await send();
        }
      }
      rows += batch.numRows;
    }
    while (encoding.length > 0) await writeNext();
    if (!headed && data instanceof ArrowTable) encoder.header(data.schema);
    await send();
    // Wait for the sink to take the last bytes, so that its failure is this call's failure.
    await new Promise<void>((resolve, reject) => {
      out.write(new Uint8Array(0), (error) => (error ? reject(streamError ?? error) : resolve()));
    });
    return rows;
  } finally {
    out.off('error', onError);
    await pool?.stop();
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
    rows = await streamCsv(out, data, options, true);
  } finally {
    out.end();
    await once(out, 'close');
  }
  // A failure while the last chunks were flushed: the rows are not all on disk.
  if (closeError !== undefined) throw closeError;
  return rows;
}
