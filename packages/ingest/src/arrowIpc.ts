import { closeSync, createReadStream, fstatSync, openSync, readSync } from 'node:fs';
import { open } from 'node:fs/promises';
import { arrowFileLayoutProblem, arrowStreamLayoutProblem } from '@isoforest/core';
import {
  type AsyncRecordBatchFileReader,
  makeData,
  RecordBatch,
  RecordBatchFileWriter,
  RecordBatchReader,
  RecordBatchStreamWriter,
  type Schema,
  Struct,
  type TypeMap,
} from 'apache-arrow';
import { IngestError } from './errors.js';
import { binaryFormatOf, MAGIC_BYTES } from './magicBytes.js';
import { makeSource, type UserDaySource } from './source.js';
import { USER_DAY_SCHEMA, type UserDayTypeMap } from './schema.js';
import { createStats } from './stats.js';

async function isIpcFileFormat(file: string): Promise<boolean> {
  const handle = await open(file, 'r');
  try {
    const head = new Uint8Array(MAGIC_BYTES);
    const { bytesRead } = await handle.read(head, 0, head.length, 0);
    return binaryFormatOf(head.subarray(0, bytesRead)) === 'arrow-file';
  } finally {
    await handle.close();
  }
}

/**
 * Streams the record batches of an Arrow IPC file, in either the file format (`.arrow`, read through random
 * access) or the stream format (`.arrows`, read sequentially). Only one batch is decoded at a time.
 */
export async function* readArrowBatches(file: string): AsyncGenerator<RecordBatch> {
  yield* batchesOf(await openArrowReader(file), file);
}

/**
 * What is wrong with the layout of an Arrow IPC file or stream on disk (footer, blocks, messages against the file
 * size), or `null`; read in small pieces, however large the file.
 */
function arrowLayoutProblem(file: string, fileFormat: boolean): string | null {
  const fd = openSync(file, 'r');
  try {
    const check = fileFormat ? arrowFileLayoutProblem : arrowStreamLayoutProblem;
    return check(fstatSync(fd).size, (offset, length) => {
      const bytes = Buffer.alloc(length);
      readSync(fd, bytes, 0, length, offset);
      return bytes;
    });
  } finally {
    closeSync(fd);
  }
}

async function openArrowReader(file: string) {
  let reader;
  const fileFormat = await isIpcFileFormat(file);
  const problem = arrowLayoutProblem(file, fileFormat);
  if (problem !== null)
    throw new IngestError(file, null, null, `damaged Arrow IPC ${fileFormat ? 'file' : 'stream'}: ${problem}`);
  const handle = fileFormat ? await open(file, 'r') : undefined;
  try {
    reader =
      handle !== undefined
        ? await RecordBatchReader.from(handle)
        : await RecordBatchReader.from(createReadStream(file));
    await reader.open();
    // An empty stream opens without a schema; nothing downstream could use it.
    if (reader.schema === undefined)
      throw new IngestError(file, null, null, 'not an Arrow IPC file: it holds no schema (empty?)');
  } catch (error) {
    // A file refused is closed here: left to the collector, Node warns of it on stderr.
    await handle?.close();
    if (error instanceof IngestError) throw error;
    throw new IngestError(file, null, null, `not a readable Arrow IPC file: ${(error as Error).message}`);
  }
  return reader;
}

/**
 * The reader's batches. What apache-arrow cannot decode past the layout checks (a flipped byte in a batch's
 * metadata) is the file's fault: an `IngestError` naming it, not a crash.
 */
async function* batchesOf(
  reader: Awaited<ReturnType<typeof openArrowReader>>,
  file: string,
): AsyncGenerator<RecordBatch> {
  try {
    for await (const batch of reader) yield batch;
  } catch (error) {
    if (error instanceof IngestError) throw error;
    throw new IngestError(file, null, null, `damaged Arrow IPC data: ${(error as Error).message}`);
  } finally {
    await reader.cancel();
  }
}

/**
 * The record batches of an IPC file without dictionaries, each read into one of `REUSED_BUFFERS` buffers in turn
 * (see {@link ReadUserDayArrowOptions.reuseBuffers}). A file block is one encapsulated IPC message, as a stream
 * holds it, so each buffer is the schema's message followed by the block: a one-batch stream that apache-arrow
 * decodes with the batch's buffers left in place. The blocks were checked against the file's size when it was
 * opened; a damaged one is an `IngestError`.
 */
async function* reusedBufferBatches(reader: AsyncRecordBatchFileReader, file: string): AsyncGenerator<RecordBatch> {
  const footer = reader.footer!;
  const schema = schemaMessage(reader.schema);
  const buffers: Uint8Array[] = [];
  const handle = await open(file, 'r');
  try {
    for (let k = 0; k < footer.numRecordBatches; k++) {
      const block = footer.getRecordBatch(k)!;
      const length = block.metaDataLength + Number(block.bodyLength);
      let buffer = buffers[k % REUSED_BUFFERS];
      if (buffer === undefined || buffer.length < schema.length + length) {
        // Room to spare: batches of as many rows differ by their strings' bytes.
        buffer = new Uint8Array(Math.ceil((schema.length + length) * 1.125));
        buffer.set(schema);
        buffers[k % REUSED_BUFFERS] = buffer;
      }
      const bytes = buffer.subarray(schema.length, schema.length + length);
      const { bytesRead } = await handle.read(bytes, 0, length, Number(block.offset));
      if (bytesRead !== length)
        throw new IngestError(file, null, null, `damaged Arrow IPC file: record batch ${k} ends past the file's end`);
      let batch: IteratorResult<RecordBatch>;
      try {
        batch = RecordBatchReader.from(buffer.subarray(0, schema.length + length)).next();
      } catch (error) {
        throw new IngestError(file, null, null, `damaged Arrow IPC data: ${(error as Error).message}`);
      }
      if (batch.done === true)
        throw new IngestError(file, null, null, `damaged Arrow IPC file: block ${k} holds no record batch`);
      yield batch.value;
    }
  } finally {
    await handle.close();
    await reader.cancel();
  }
}

/** The IPC stream message of `schema` alone: a stream of no batches, less its end-of-stream marker. */
function schemaMessage(schema: Schema): Uint8Array {
  const writer = new RecordBatchStreamWriter();
  writer.reset(undefined, schema);
  writer.finish();
  const stream = writer.toUint8Array(true);
  return stream.subarray(0, stream.length - END_OF_STREAM_BYTES);
}

/** The end-of-stream marker: a continuation token and a zero length. */
const END_OF_STREAM_BYTES = 8;

/**
 * Where each `USER_DAY_SCHEMA` column is in `schema`, found by name as the CSV reader finds them (any order, extra
 * columns ignored), or the first problem as `[column, problem]`: a missing column or one of another type.
 */
function userDayPositions(schema: Schema): number[] | [string | null, string] {
  const names = schema.fields.map((f) => f.name);
  const positions: number[] = [];
  for (const expected of USER_DAY_SCHEMA.fields) {
    const at = names.indexOf(expected.name);
    if (at < 0) return [expected.name, 'missing column'];
    const found = schema.fields[at]!;
    if (String(found.type) !== String(expected.type))
      return [found.name, `type ${found.type} should be ${expected.type}`];
    positions.push(at);
  }
  return positions;
}

/** `batch`'s user-day columns, in `USER_DAY_SCHEMA`'s order and under that schema. */
function userDayBatch(batch: RecordBatch, positions: number[]): RecordBatch<UserDayTypeMap> {
  const children = positions.map((at) => batch.data.children[at]!);
  const data = makeData({ type: new Struct(USER_DAY_SCHEMA.fields), length: batch.numRows, nullCount: 0, children });
  return new RecordBatch(USER_DAY_SCHEMA, data) as RecordBatch<UserDayTypeMap>;
}

/** Options of {@link readUserDayArrow}. */
export interface ReadUserDayArrowOptions {
  /**
   * Reads each record batch of an IPC file into one of {@link REUSED_BUFFERS} buffers used in turn, instead of
   * fresh memory for each batch (the kernel's zeroing of fresh pages, and collecting them, cost ten times the read
   * itself): a batch's buffers are overwritten once `REUSED_BUFFERS - 1` more batches have been read, so the
   * caller copies what it keeps of a batch before it reads that far on. For one pass after another over a large
   * file, each batch done with before the next few are read. A stream, or a file with dictionaries, is read as
   * usual. Default false.
   */
  readonly reuseBuffers?: boolean;
}

/** Buffers a reading with {@link ReadUserDayArrowOptions.reuseBuffers} takes batches into, in turn. */
export const REUSED_BUFFERS = 4;

/**
 * Reads an Arrow IPC file (file or stream format) of user-days: the `USER_DAY_SCHEMA` columns, found by name in
 * any order with their types, as `writeArrowIpc` writes them; extra columns are ignored, as the CSV reader ignores
 * them. A missing column or one of another type throws an `IngestError` naming the column.
 */
export function readUserDayArrow(file: string, options: ReadUserDayArrowOptions = {}): UserDaySource {
  const stats = createStats();
  return makeSource(stats, async function* () {
    const reader = await openArrowReader(file);
    const positions = userDayPositions(reader.schema);
    if (typeof positions[0] !== 'number') {
      await reader.cancel();
      const [column, problem] = positions as [string | null, string];
      throw new IngestError(file, null, column, problem);
    }
    const reused = options.reuseBuffers === true && reader.isFile() && reader.footer?.numDictionaries === 0;
    for await (const batch of reused ? reusedBufferBatches(reader, file) : batchesOf(reader, file)) {
      stats.rowsRead += batch.numRows;
      stats.rowsKept += batch.numRows;
      stats.rowsOut += batch.numRows;
      yield userDayBatch(batch, positions as number[]);
    }
  });
}

/** Which Arrow IPC format to write: `file` (random access, footer) or `stream` (sequential, appendable). */
export type ArrowIpcFormat = 'file' | 'stream';

/** Options of `writeArrowIpc`. */
export interface WriteArrowIpcOptions<T extends TypeMap> {
  /** Default `file`. */
  format?: ArrowIpcFormat;
  /** Schema written up front, so that an empty input still gives a readable, typed file. */
  schema?: Schema<T>;
}

/** Serialised bytes a writer may hold that the file has not taken yet, before it waits for the disk. */
const MAX_PENDING_BYTES = 32 * 1024 * 1024;

/**
 * Writes record batches to an Arrow IPC file as they arrive (no table in memory). All batches must share one
 * schema. The writer waits for the file to take what it has before it takes more batches, so memory stays bounded
 * when the batches come faster than the disk writes them. Resolves with the number of rows written once the file
 * is closed.
 */
export async function writeArrowIpc<T extends TypeMap>(
  file: string,
  batches: AsyncIterable<RecordBatch<T>> | Iterable<RecordBatch<T>>,
  options: WriteArrowIpcOptions<T> = {},
): Promise<number> {
  const handle = await open(file, 'w');
  const writer = options.format === 'stream' ? new RecordBatchStreamWriter<T>() : new RecordBatchFileWriter<T>();
  if (options.schema !== undefined) writer.reset(undefined, options.schema);
  const progress = { written: 0, wake: () => {} };
  const draining = (async () => {
    for await (const chunk of writer) {
      await handle.write(chunk);
      progress.written += chunk.byteLength;
      progress.wake();
    }
  })();
  draining.catch(() => {});
  let rows = 0;
  try {
    for await (const batch of batches) {
      writer.write(batch);
      rows += batch.numRows;
      // The writer's own position counts the bytes it has serialised; the file is behind it by what is queued.
      while (writerPosition(writer) - progress.written > MAX_PENDING_BYTES) {
        await Promise.race([new Promise<void>((resolve) => (progress.wake = resolve)), draining]);
      }
    }
  } finally {
    writer.finish();
    await draining.finally(() => handle.close());
  }
  return rows;
}

/** Bytes the writer has serialised so far (Arrow JS keeps this as `_position`, the offset of its next message). */
function writerPosition(writer: RecordBatchFileWriter | RecordBatchStreamWriter): number {
  return (writer as unknown as { _position: number })._position;
}
