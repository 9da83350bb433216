/**
 * Bytes of a CSV file, arriving in chunks of any size, -> blocks of whole records: the buffer and the byte ranges
 * of each record's fields (`CsvFields`). Drops a leading BOM, checks that the bytes are UTF-8 (naming the line of
 * the first bad byte), and keeps memory bounded: a block holds at most `maxRecords` records, and the only bytes
 * carried between chunks are those of the record cut off at the end of a chunk, which `maxRecordBytes` bounds.
 * No Node built-ins: the Node file reader and the browser reader of bytes in memory both feed it.
 */
import { IngestError } from '../errors.js';
import { startsWithBytes, UTF8_BOM } from '../magicBytes.js';
import { CsvFields, DEFAULT_MAX_RECORD_BYTES, scanRecords, type CsvLimits } from './tokenizer.js';
import { firstInvalidUtf8 } from './utf8.js';

/** Options of the block reader. */
export interface CsvBlockOptions extends CsvLimits {
  /** Records per block at most; default 65,536. */
  readonly maxRecords?: number;
  /**
   * Checks that `bytes` is well-formed UTF-8; default a TypeScript validator. The Node reader passes
   * `buffer.isUtf8` (native). Only called on whole records, so a block never splits a character.
   */
  readonly isUtf8?: (bytes: Uint8Array) => boolean;
  /** The line the first byte is on; default 1. Not 1 for a part of a file read on its own (parallel reading). */
  readonly firstLine?: number;
  /** Whether the bytes start the file, so that a BOM is dropped; default true. */
  readonly fileStart?: boolean;
  /**
   * Whether the bytes end the file, so that the end of input ends the last record; default true. A part of a file
   * read on its own ends where a record may go on: where its last whole record ends is returned (`CsvTail`).
   */
  readonly fileEnd?: boolean;
  /**
   * The field ranges' arrays to fill, kept from an earlier read so that they need not grow again (a worker reads
   * many parts); default new ones.
   */
  readonly fields?: CsvFields;
}

/** What was left after the last whole record of a part of a file: its position in the part and its line. */
export interface CsvTail {
  readonly position: number;
  readonly line: number;
}

/** Whole records of a CSV file: `fields` index into `bytes`. Valid until the next block is requested. */
export interface CsvBlock {
  readonly bytes: Uint8Array;
  readonly fields: CsvFields;
}

/** `work` if it holds `size` bytes, else a larger buffer with its first `keep` bytes. */
function reserve(work: Uint8Array, size: number, keep: number): Uint8Array {
  if (work.length >= size) return work;
  const next = new Uint8Array(Math.max(size, 2 * work.length));
  next.set(work.subarray(0, keep));
  return next;
}

function checkUtf8(
  bytes: Uint8Array,
  from: number,
  to: number,
  line: number,
  label: string,
  isUtf8: CsvBlockOptions['isUtf8'],
): void {
  const region = bytes.subarray(from, to);
  if (isUtf8 !== undefined ? isUtf8(region) : firstInvalidUtf8(region) < 0) return;
  const bad = firstInvalidUtf8(region);
  for (let i = 0; i < bad; i++) if (region[i] === 10) line++;
  throw new IngestError(label, line, null, 'invalid UTF-8 byte sequence (save the file as UTF-8)');
}

/**
 * The records of the CSV bytes `chunks` in blocks of at most `maxRecords`, in file order. Throws an
 * `IngestError` naming `label` and the line for malformed quoting, invalid UTF-8 or a record or field count over
 * the limits.
 */
export async function* csvBlocks(
  chunks: AsyncIterable<Uint8Array> | Iterable<Uint8Array>,
  label: string,
  options: CsvBlockOptions = {},
): AsyncGenerator<CsvBlock, CsvTail> {
  const maxRecords = options.maxRecords ?? 65_536;
  const maxRecordBytes = options.maxRecordBytes ?? DEFAULT_MAX_RECORD_BYTES;
  const fields = options.fields ?? new CsvFields();
  let line = options.firstLine ?? 1;
  let atStart = options.fileStart ?? true;
  let consumed = 0;
  // After a scan found no complete record, the next waits until the carried bytes have doubled: a long record
  // arriving in many small chunks is then scanned O(1) times per byte, not once per chunk.
  let rescanAt = 0;
  const scan = function* (bytes: Uint8Array, final: boolean): Generator<CsvBlock, Uint8Array> {
    let pos = 0;
    if (atStart) {
      if (bytes.length < UTF8_BOM.length && !final) return bytes;
      if (startsWithBytes(bytes, UTF8_BOM)) pos = UTF8_BOM.length;
      atStart = false;
    }
    while (pos < bytes.length) {
      const stop = scanRecords(bytes, pos, bytes.length, line, final, fields, maxRecords, label, options);
      if (stop.position === pos) break;
      checkUtf8(bytes, pos, stop.position, line, label, options.isUtf8);
      pos = stop.position;
      line = stop.line;
      if (fields.recordCount > 0) yield { bytes, fields };
    }
    const rest = bytes.subarray(pos);
    if (rest.length > maxRecordBytes) {
      throw new IngestError(label, line, null, `malformed CSV: a record longer than ${maxRecordBytes} bytes`);
    }
    return rest;
  };
  // Bytes not yet tokenised are carried at the start of one work buffer, reused for every chunk: a chunk that
  // follows carried bytes is copied after them; a chunk that follows none is scanned where it is.
  let work: Uint8Array = new Uint8Array(0);
  let length = 0;
  for await (const chunk of chunks) {
    if (chunk.length === 0) continue;
    // A plain Uint8Array view even of a Node Buffer: the tokenizer's loads then see one kind of array, not two.
    let data = new Uint8Array(chunk.buffer, chunk.byteOffset, chunk.length);
    if (length > 0) {
      work = reserve(work, length + chunk.length, length);
      work.set(chunk, length);
      length += chunk.length;
      if (length < rescanAt) continue;
      data = work.subarray(0, length);
    }
    const rest = yield* scan(data, false);
    consumed += data.length - rest.length;
    rescanAt = rest.length === data.length ? 2 * data.length : 0;
    // The blocks of `data` were all taken, so the carried bytes may overwrite them.
    if (rest.buffer === work.buffer)
      work.copyWithin(0, rest.byteOffset - work.byteOffset, rest.byteOffset - work.byteOffset + rest.length);
    else {
      work = reserve(work, rest.length, 0);
      work.set(rest);
    }
    length = rest.length;
  }
  if (options.fileEnd === false) return { position: consumed, line };
  if (length > 0 || atStart) yield* scan(work.subarray(0, length), true);
  return { position: consumed + length, line };
}
