/**
 * Parquet -> Arrow record batches, one row group at a time, through hyparquet (see `parquetWrite.ts` for why
 * hyparquet). Flat files of the types data-lake exports use: numbers become Float64 (counts and features are
 * Float64 in this product), DATE becomes `DateDay`, timestamps `Timestamp(ms, UTC)`, strings `Utf8`, booleans
 * `Bool`. Anything else (nested groups, decimals, binary) is refused with an `IngestError` naming the column. No Node
 * built-ins: `./parquetFiles.ts` reads files on disk through this.
 */
import type { AsyncBuffer, FileMetaData, SchemaElement } from 'hyparquet';
import {
  Bool,
  DateDay,
  Float64,
  makeData,
  makeVector,
  Table,
  TimestampMillisecond,
  Utf8,
  vectorFromArray,
  type DataType,
  type RecordBatch,
  type Vector,
} from 'apache-arrow';
import { IngestError } from '../errors.js';

type ColumnKind = 'number' | 'date' | 'timestamp' | 'string' | 'bool';

function kindOf(file: string, element: SchemaElement): ColumnKind {
  const logical = element.logical_type?.type;
  const converted = element.converted_type;
  if (element.num_children !== undefined && element.num_children > 0) {
    throw new IngestError(file, null, element.name, 'nested Parquet columns are not supported: export flat columns');
  }
  if (logical === 'DATE' || converted === 'DATE') return 'date';
  if (logical === 'TIMESTAMP' || converted === 'TIMESTAMP_MILLIS' || converted === 'TIMESTAMP_MICROS')
    return 'timestamp';
  if (
    element.type === 'BYTE_ARRAY' &&
    (logical === 'STRING' || logical === 'ENUM' || converted === 'UTF8' || converted === 'ENUM')
  )
    return 'string';
  if (element.type === 'BOOLEAN') return 'bool';
  if (converted === 'DECIMAL' || logical === 'DECIMAL') {
    throw new IngestError(file, null, element.name, 'Parquet DECIMAL columns are not supported: export them as DOUBLE');
  }
  if (element.type === 'DOUBLE' || element.type === 'FLOAT' || element.type === 'INT32' || element.type === 'INT64')
    return 'number';
  throw new IngestError(file, null, element.name, `Parquet column type ${element.type ?? 'group'} is not supported`);
}

const ARROW_TYPES: Record<ColumnKind, () => DataType> = {
  number: () => new Float64(),
  date: () => new DateDay(),
  timestamp: () => new TimestampMillisecond('UTC'),
  string: () => new Utf8(),
  bool: () => new Bool(),
};

/** Validity bits of `values` (null and undefined are missing), or undefined when none is missing. */
function validityOf(values: ArrayLike<unknown>): { bitmap: Uint8Array | undefined; nulls: number } {
  let nulls = 0;
  const bitmap = new Uint8Array((values.length + 7) >> 3);
  for (let i = 0; i < values.length; i++) {
    if (values[i] === null || values[i] === undefined) nulls++;
    else bitmap[i >> 3]! |= 1 << (i & 7);
  }
  return { bitmap: nulls === 0 ? undefined : bitmap, nulls };
}

function toVector(file: string, column: string, kind: ColumnKind, values: ArrayLike<unknown>): Vector {
  const length = values.length;
  if (kind === 'number') {
    if (values instanceof Float64Array) return makeVector(values);
    const { bitmap, nulls } = validityOf(values);
    const data = new Float64Array(length);
    for (let i = 0; i < length; i++) data[i] = Number(values[i] ?? 0);
    return makeVector(makeData({ type: new Float64(), length, nullCount: nulls, nullBitmap: bitmap, data }));
  }
  if (kind === 'date') {
    const { bitmap, nulls } = validityOf(values);
    const days = values as ArrayLike<number | null | undefined>;
    const data = new Int32Array(length);
    // Plain loops: `TypedArray.from` with a mapping function took most of a row group's time.
    for (let i = 0; i < length; i++) data[i] = days[i] ?? 0;
    return makeVector(makeData({ type: new DateDay(), length, nullCount: nulls, nullBitmap: bitmap, data }));
  }
  if (kind === 'timestamp') {
    const { bitmap, nulls } = validityOf(values);
    const ms = values as ArrayLike<bigint | null | undefined>;
    const data = new BigInt64Array(length);
    for (let i = 0; i < length; i++) data[i] = ms[i] ?? 0n;
    return makeVector(
      makeData({ type: new TimestampMillisecond('UTC'), length, nullCount: nulls, nullBitmap: bitmap, data }),
    );
  }
  if (kind === 'string') return utf8Vector(file, column, values as ArrayLike<Uint8Array | null | undefined>);
  return vectorFromArray(
    Array.from(values, (v) => v ?? null),
    ARROW_TYPES[kind](),
  );
}

const strictUtf8 = new TextDecoder('utf-8', { fatal: true });
const lenientUtf8 = new TextDecoder('utf-8');
const utf8Encoder = new TextEncoder();

/**
 * The bytes of a string cell as Arrow stores them. Valid UTF-8 is kept as it is; other bytes become what decoding
 * them gives (U+FFFD for each bad sequence), as a decoded string would: a Utf8 column holds only valid UTF-8.
 */
function validUtf8(bytes: Uint8Array): Uint8Array {
  let ascii = true;
  for (let i = 0; i < bytes.length; i++) {
    if (bytes[i]! >= 0x80) {
      ascii = false;
      break;
    }
  }
  if (ascii) return bytes;
  try {
    strictUtf8.decode(bytes);
    return bytes;
  } catch {
    return utf8Encoder.encode(lenientUtf8.decode(bytes));
  }
}

/**
 * A Utf8 vector straight from the cells' bytes: no string is made of each cell and encoded again, which took most
 * of a Parquet read of user-days (their user names are rarely dictionary-encoded).
 */
function utf8Vector(file: string, column: string, values: ArrayLike<Uint8Array | null | undefined>): Vector {
  const length = values.length;
  const cells = new Array<Uint8Array | undefined>(length);
  let total = 0;
  for (let i = 0; i < length; i++) {
    const value = values[i];
    if (value === null || value === undefined) continue;
    const bytes = validUtf8(value);
    cells[i] = bytes;
    total += bytes.length;
  }
  if (total > 0x7fffffff)
    throw new IngestError(file, null, column, 'the strings of one row group exceed 2 GiB: write smaller row groups');
  const { bitmap, nulls } = validityOf(cells);
  const valueOffsets = new Int32Array(length + 1);
  const data = new Uint8Array(total);
  let at = 0;
  for (let i = 0; i < length; i++) {
    const bytes = cells[i];
    if (bytes !== undefined) {
      data.set(bytes, at);
      at += bytes.length;
    }
    valueOffsets[i + 1] = at;
  }
  return makeVector(makeData({ type: new Utf8(), length, nullCount: nulls, nullBitmap: bitmap, valueOffsets, data }));
}

/**
 * hyparquet's value parsers, set to give what Arrow stores rather than `Date` objects and decoded strings: days,
 * milliseconds as bigint, and the bytes of strings.
 */
const PARSERS = {
  timestampFromMilliseconds: (ms: bigint) => ms,
  timestampFromMicroseconds: (us: bigint) => us / 1000n,
  timestampFromNanoseconds: (ns: bigint) => ns / 1_000_000n,
  dateFromDays: (days: number) => days,
  stringFromBytes: (bytes: Uint8Array | undefined) => bytes,
};

/** Bytes in memory as what hyparquet reads from (only the bytes of the view, not the rest of its buffer). */
export function bytesBuffer(bytes: Uint8Array): AsyncBuffer {
  const { buffer, byteOffset, byteLength } = bytes;
  if (byteOffset === 0 && byteLength === buffer.byteLength) return buffer as ArrayBuffer;
  return buffer.slice(byteOffset, byteOffset + byteLength) as ArrayBuffer;
}

/** A Parquet file and its footer, read once by whoever first needs it (telling a file's kind, or reading it). */
export interface ParquetFile {
  readonly buffer: AsyncBuffer;
  readonly metadata: FileMetaData;
}

/** Reads the footer of a Parquet file (`buffer`; `file` names it in errors). */
export async function openParquet(file: string, buffer: AsyncBuffer): Promise<ParquetFile> {
  const { parquetMetadataAsync } = await import('hyparquet');
  try {
    return { buffer, metadata: await parquetMetadataAsync(buffer) };
  } catch (error) {
    throw new IngestError(file, null, null, `not a readable Parquet file: ${(error as Error).message}`);
  }
}

/**
 * Streams a Parquet file (`buffer`: a file on disk, or bytes in memory; `file` names it in errors) as Arrow record
 * batches, one per row group (memory is bounded by a row group). Columns keep their names and order. A file whose
 * footer was read already is passed as that {@link ParquetFile}.
 */
export async function* parquetBatches(file: string, parquet: AsyncBuffer | ParquetFile): AsyncGenerator<RecordBatch> {
  const { buffer, metadata } = 'metadata' in parquet ? parquet : await openParquet(file, parquet);
  // Loaded here, not with the package: every command imports the package, few read Parquet.
  const { parquetRead } = await import('hyparquet');
  const elements = metadata.schema.slice(1);
  if (metadata.schema[0]?.num_children !== elements.length) {
    throw new IngestError(file, null, null, 'nested Parquet columns are not supported: export flat columns');
  }
  const kinds = elements.map((element) => kindOf(file, element));
  let rowStart = 0;
  for (const group of metadata.row_groups) {
    const rowEnd = rowStart + Number(group.num_rows);
    const chunks = new Map<string, { values: ArrayLike<unknown>; start: number }[]>();
    try {
      await parquetRead({
        file: buffer,
        metadata,
        rowStart,
        rowEnd,
        parsers: PARSERS,
        onChunk: ({ columnName, columnData, rowStart: start }) => {
          let list = chunks.get(columnName);
          if (list === undefined) chunks.set(columnName, (list = []));
          list.push({ values: columnData, start });
        },
      });
    } catch (error) {
      throw new IngestError(file, null, null, `not a readable Parquet file: ${(error as Error).message}`);
    }
    const vectors: Record<string, Vector> = {};
    elements.forEach((element, k) => {
      vectors[element.name] = toVector(
        file,
        element.name,
        kinds[k]!,
        rowsOf(file, element.name, chunks.get(element.name) ?? [], rowStart, rowEnd),
      );
    });
    yield new Table(vectors).batches[0]!;
    rowStart = rowEnd;
  }
}

/** Rows `start` to `end` of a column from the chunks hyparquet gave (which may extend past the range). */
function rowsOf(
  file: string,
  column: string,
  chunks: { values: ArrayLike<unknown>; start: number }[],
  start: number,
  end: number,
): ArrayLike<unknown> {
  if (chunks.length === 1) {
    const { values, start: from } = chunks[0]!;
    if (from === start && values.length === end - start) return values;
  }
  const out = new Array<unknown>(end - start);
  let filled = 0;
  for (const { values, start: from } of chunks) {
    for (let i = Math.max(from, start); i < Math.min(from + values.length, end); i++) {
      out[i - start] = values[i - from];
      filled++;
    }
  }
  if (filled !== end - start)
    throw new IngestError(file, null, column, `the row group holds ${filled} of its ${end - start} values`);
  return out;
}
