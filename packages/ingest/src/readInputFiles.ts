/**
 * The one entry point for files held in memory (what a browser page is given). What each file holds is told from
 * its content, never its name, by the raw-event reader's own rules (`events/eventContent.ts`, the code the CLI
 * reads event files with) plus what tells user-days from events: Arrow IPC is user-days; a CSV or a Parquet file is
 * user-days when it has a column only user-days have (`SuccessfulLogons`, `AttemptedLogons`); everything else
 * (EVTX, JSON, XML, event CSV and Parquet, `.gz` and `.zip` of them) is raw events. No Node built-ins.
 */
import { RecordBatchReader, type RecordBatch } from 'apache-arrow';
import { schemaMismatch } from './arrowSchema.js';
import { canonicalColumnName } from './csv/columnNames.js';
import type { UserDayCsvOptions } from './csv/userDayRows.js';
import { fieldText } from './csv/fieldValues.js';
import { CsvFields, scanRecords } from './csv/tokenizer.js';
import { readUserDayCsvBytes } from './csv/readUserDayCsvText.js';
import { IngestError } from './errors.js';
import { userDaysFromRecords, type EventAggregationOptions, type EventStreamItem } from './events/aggregate.js';
import { collectBytes, inputItems, type EventInputOptions, type InputHost } from './events/eventContent.js';
import { evtxStreamItems } from './events/evtxStreamItems.js';
import { readEvtxBytes } from './evtx/logRecords.js';
import { binaryFormatOf, startsWithBytes, UTF8_BOM } from './magicBytes.js';
import { parquetEventRecords } from './parquet/parquetEventRecords.js';
import { bytesBuffer, openParquet, parquetBatches, type ParquetFile } from './parquet/parquetRead.js';
import { userDaysFromParquet } from './parquet/readUserDayParquet.js';
import type { UserDayTypeMap } from './schema.js';
import { makeSource, type UserDaySource } from './source.js';
import { createStats, MAX_FIRST_ERRORS, type IngestStats } from './stats.js';

/** A file's name (as errors name it) and its bytes. */
export interface InMemoryFile {
  readonly name: string;
  readonly bytes: Uint8Array;
}

/** What a file holds: user-days (an aggregated CSV, Arrow IPC or Parquet) or raw logon events (any event format). */
export type InputKind = 'user-day-csv' | 'user-day-arrow' | 'user-day-parquet' | 'events';

/** Columns only user-days have: a CSV or Parquet file with one of them is read as user-days. */
const USER_DAY_ONLY_COLUMNS = ['SuccessfulLogons', 'AttemptedLogons'];

const hasUserDayColumn = (names: readonly string[]) => USER_DAY_ONLY_COLUMNS.some((c) => names.includes(c));

/**
 * The header record of a CSV, read by the columnar reader's tokenizer (quotes and all), as canonical column names;
 * none when the first record is not CSV at all (JSON, XML: the event reader tells those apart and names problems).
 */
function csvHeader(file: InMemoryFile): string[] {
  const { bytes, name } = file;
  const fields = new CsvFields();
  try {
    scanRecords(bytes, startsWithBytes(bytes, UTF8_BOM) ? UTF8_BOM.length : 0, bytes.length, 1, true, fields, 1, name);
  } catch (error) {
    if (error instanceof IngestError) return [];
    throw error;
  }
  const header: string[] = [];
  for (let f = 0; f < fields.fieldCount; f++) {
    header.push(canonicalColumnName(fieldText(bytes, fields.starts[f]!, fields.ends[f]!, fields.escaped[f]!).trim()));
  }
  return header;
}

/** A file's kind, with the Parquet footer read to tell it (its reader, of user-days or events, reuses it). */
interface Classified {
  readonly kind: InputKind;
  readonly parquet?: ParquetFile;
}

/** What a file holds, from its content (see the module's comment). */
async function classify(file: InMemoryFile): Promise<Classified> {
  const { bytes, name } = file;
  const format = binaryFormatOf(bytes);
  if (format === 'arrow-file' || format === 'arrow-stream') return { kind: 'user-day-arrow' };
  if (format === 'parquet') {
    let parquet: ParquetFile;
    try {
      parquet = await openParquet(name, bytesBuffer(bytes));
    } catch (error) {
      // The event reader reads it again and names the problem.
      if (error instanceof IngestError) return { kind: 'events' };
      throw error;
    }
    const columns = parquet.metadata.schema.slice(1).map((element) => canonicalColumnName(element.name));
    return { kind: hasUserDayColumn(columns) ? 'user-day-parquet' : 'events', parquet };
  }
  // gzip, zip and EVTX hold events; none of them can start a CSV header.
  if (format !== null) return { kind: 'events' };
  return { kind: hasUserDayColumn(csvHeader(file)) ? 'user-day-csv' : 'events' };
}

/** What a file holds, from its content (see the module's comment). */
export async function inputKind(file: InMemoryFile): Promise<InputKind> {
  return (await classify(file)).kind;
}

/** An Arrow IPC file or stream in memory that must hold exactly `USER_DAY_SCHEMA`, as `readUserDayArrow` reads it. */
export function readUserDayArrowBytes(file: InMemoryFile): UserDaySource {
  const stats = createStats();
  return makeSource(stats, async function* () {
    let reader;
    try {
      reader = RecordBatchReader.from(file.bytes);
      reader.open();
    } catch (error) {
      throw new IngestError(file.name, null, null, `not a readable Arrow IPC file: ${(error as Error).message}`);
    }
    const mismatch = schemaMismatch(reader.schema);
    if (mismatch !== null) throw new IngestError(file.name, null, mismatch[0], mismatch[1]);
    for (const batch of reader) {
      stats.rowsRead += batch.numRows;
      stats.rowsKept += batch.numRows;
      stats.rowsOut += batch.numRows;
      yield batch as RecordBatch<UserDayTypeMap>;
    }
  });
}

/**
 * Files in memory: the tokenizer's own UTF-8 check; EVTX and Parquet read by position from the bytes (an archive
 * member's are gathered first, within the archive's limits). `footers` holds the Parquet files whose footer was read
 * to tell their kind, by their bytes, so that it is not read again.
 */
function memoryHost(footers: ReadonlyMap<Uint8Array, ParquetFile>): InputHost<Uint8Array> {
  return {
    csvOptions: {},
    wholeBytes: (bytes) => [bytes],
    async *evtx(label, whole, bytes) {
      yield* evtxStreamItems(readEvtxBytes(whole ?? (await collectBytes(bytes)), label), label);
    },
    async *parquet(label, whole, bytes) {
      const parquet =
        (whole === null ? undefined : footers.get(whole)) ?? bytesBuffer(whole ?? (await collectBytes(bytes)));
      yield* parquetEventRecords(label, parquetBatches(label, parquet));
    },
  };
}

/** Bytes handed on in slices, as a file is read: the text readers after them work on chunks of this size. */
const SLICE_BYTES = 64 * 1024;

function* slices(bytes: Uint8Array): Generator<Uint8Array> {
  for (let at = 0; at < bytes.length; at += SLICE_BYTES) yield bytes.subarray(at, at + SLICE_BYTES);
}

async function* sliced(bytes: Uint8Array): AsyncGenerator<Uint8Array> {
  yield* slices(bytes);
}

/** The flat event records of in-memory files, one after the other, each read by `inputItems` (content-based). */
async function* eventItems(
  files: readonly InMemoryFile[],
  host: InputHost<Uint8Array>,
  options: EventInputOptions,
): AsyncGenerator<EventStreamItem> {
  for (const file of files) yield* inputItems(file.name, sliced(file.bytes), file.bytes, host, options);
}

/** How to read in-memory files. */
export interface InputFilesOptions extends EventAggregationOptions, EventInputOptions, UserDayCsvOptions {
  /** Called after each file (or group of event files) has been read, with how many of the files are done. */
  readonly onFileRead?: (done: number, total: number) => void;
}

/** Sums `part` into `total` (the counts of one source into those of the whole input). */
function addStats(total: IngestStats, part: IngestStats): void {
  total.rowsRead += part.rowsRead;
  total.rowsKept += part.rowsKept;
  total.rowsRejected += part.rowsRejected;
  total.rowsOut += part.rowsOut;
  for (const [rule, n] of Object.entries(part.filtered)) total.filtered[rule] = (total.filtered[rule] ?? 0) + n;
  for (const message of part.firstErrors)
    if (total.firstErrors.length < MAX_FIRST_ERRORS) total.firstErrors.push(message);
}

/** The reader of one user-day file. */
function userDayReader(file: InMemoryFile, { kind, parquet }: Classified, options: InputFilesOptions): UserDaySource {
  if (kind === 'user-day-csv') return readUserDayCsvBytes(file.bytes, { ...options, label: file.name });
  if (parquet !== undefined) return userDaysFromParquet(file.name, parquetBatches(file.name, parquet));
  return readUserDayArrowBytes(file);
}

/**
 * Reads any mix of in-memory files as one stream of user-days: user-day files (CSV, Arrow IPC, Parquet) each as it
 * is, in the given order, then every raw event file aggregated together, as the CLI aggregates a folder of them.
 * `stats` sums the counts of every reader; `options.onInput` hears what each event input (and archive member) held.
 */
export function readInputFiles(files: readonly InMemoryFile[], options: InputFilesOptions = {}): UserDaySource {
  const stats = createStats();
  return makeSource(stats, async function* () {
    if (files.length === 0) throw new IngestError('(no file)', null, null, 'no file was given');
    const kinds = await Promise.all(files.map(classify));
    const events = files.filter((_, k) => kinds[k]!.kind === 'events');
    const footers = new Map<Uint8Array, ParquetFile>();
    for (const [k, file] of files.entries()) {
      const { parquet } = kinds[k]!;
      if (parquet !== undefined) footers.set(file.bytes, parquet);
    }
    let done = 0;
    for (const [k, file] of files.entries()) {
      const kind = kinds[k]!;
      if (kind.kind === 'events') continue;
      const source = userDayReader(file, kind, options);
      yield* source;
      addStats(stats, source.stats);
      options.onFileRead?.(++done, files.length);
    }
    if (events.length > 0) {
      const source = userDaysFromRecords(eventItems(events, memoryHost(footers), options), options);
      yield* source;
      addStats(stats, source.stats);
      options.onFileRead?.(files.length, files.length);
    }
  });
}
