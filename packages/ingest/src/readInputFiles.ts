/**
 * The one entry point for files held in memory (what a browser page is given): each file's kind is told from its
 * content (magic bytes, the CSV header) and then its name, and every file is read by the reader for its kind.
 * No Node built-ins.
 */
import { RecordBatchReader, type RecordBatch } from 'apache-arrow';
import { schemaMismatch } from './arrowSchema.js';
import { canonicalColumnName } from './csv/columnNames.js';
import { fieldText } from './csv/fieldValues.js';
import { CsvFields, scanRecords } from './csv/tokenizer.js';
import { readUserDayCsvBytes } from './csv/readUserDayCsvText.js';
import { IngestError } from './errors.js';
import { EVENT_FILE_FORMATS, fileExtension } from './events/eventFormats.js';
import { readRawEventBytes, type InMemoryFile } from './events/readEventBytes.js';
import type { EventAggregationOptions } from './events/aggregate.js';
import type { UserDayTypeMap } from './schema.js';
import { makeSource, type UserDaySource } from './source.js';
import { createStats, MAX_FIRST_ERRORS, type IngestStats } from './stats.js';

export type { InMemoryFile } from './events/readEventBytes.js';

/** What a file holds: user-days (an aggregated CSV or Arrow IPC) or raw logon events (CSV, JSON, EVTX, ...). */
export type InputKind = 'user-day-csv' | 'user-day-arrow' | 'events';

/** Extensions of Arrow IPC files (file or stream format). */
export const ARROW_EXTENSIONS: readonly string[] = ['.arrow', '.arrows', '.feather', '.ipc'];

/** Columns only an aggregated user-day CSV has: a CSV with one of them in its header is read as user-days. */
const USER_DAY_ONLY_COLUMNS = ['SuccessfulLogons', 'AttemptedLogons'];

/** Leading bytes of formats this build does not read yet, and what they are. */
const UNREAD_FORMATS: readonly { readonly magic: readonly number[]; readonly what: string }[] = [
  { magic: [0x50, 0x41, 0x52, 0x31], what: 'Parquet' },
  { magic: [0x50, 0x4b, 0x03, 0x04], what: 'a zip archive' },
];

const ELF_FILE = [0x45, 0x6c, 0x66, 0x46, 0x69, 0x6c, 0x65, 0x00];
const ARROW_FILE = [0x41, 0x52, 0x52, 0x4f, 0x57, 0x31];
const ARROW_STREAM = [0xff, 0xff, 0xff, 0xff];
const UTF8_BOM = [0xef, 0xbb, 0xbf];

const startsWith = (bytes: Uint8Array, magic: readonly number[]) =>
  magic.length <= bytes.length && magic.every((b, i) => bytes[i] === b);

/** The header record of a CSV, read by the columnar reader's tokenizer (quotes and all), as canonical column names. */
function csvHeader(file: InMemoryFile): string[] {
  const { bytes, name } = file;
  const fields = new CsvFields();
  scanRecords(bytes, startsWith(bytes, UTF8_BOM) ? UTF8_BOM.length : 0, bytes.length, 1, true, fields, 1, name);
  const header: string[] = [];
  for (let f = 0; f < fields.fieldCount; f++) {
    header.push(canonicalColumnName(fieldText(bytes, fields.starts[f]!, fields.ends[f]!, fields.escaped[f]!).trim()));
  }
  return header;
}

/**
 * The kind of a file, from its leading bytes (EVTX, Arrow IPC), else its extension; a `.csv` is user-days when its
 * header has an aggregate-only column (`SuccessfulLogons`, `AttemptedLogons`), else raw events. Formats this
 * build does not read and unknown extensions are an `IngestError` naming the file.
 */
export function inputKind(file: InMemoryFile): InputKind {
  const { bytes, name } = file;
  if (startsWith(bytes, ELF_FILE)) return 'events';
  if (startsWith(bytes, ARROW_FILE) || startsWith(bytes, ARROW_STREAM)) return 'user-day-arrow';
  for (const format of UNREAD_FORMATS) {
    if (startsWith(bytes, format.magic))
      throw new IngestError(name, null, null, `${format.what} is not read by this build`);
  }
  const ext = fileExtension(name);
  if (ARROW_EXTENSIONS.includes(ext)) return 'user-day-arrow';
  if (ext === '.csv') {
    const header = csvHeader(file);
    return USER_DAY_ONLY_COLUMNS.some((c) => header.includes(c)) ? 'user-day-csv' : 'events';
  }
  if (ext in EVENT_FILE_FORMATS) return 'events';
  const known = ['.csv', ...ARROW_EXTENSIONS, ...Object.keys(EVENT_FILE_FORMATS).filter((e) => e !== '.csv')];
  throw new IngestError(name, null, null, `unknown file type "${ext}" (use ${known.join(', ')})`);
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

/** How to read in-memory files. */
export interface InputFilesOptions extends EventAggregationOptions {
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

/**
 * Reads any mix of in-memory files as one stream of user-days: aggregated CSVs (`readUserDayCsvText`) and Arrow
 * IPC files each as they are, in the given order, then every raw event file (CSV, JSON, JSON lines, EVTX)
 * aggregated together, as the CLI aggregates a folder of them. `stats` sums the counts of every reader.
 */
export function readInputFiles(files: readonly InMemoryFile[], options: InputFilesOptions = {}): UserDaySource {
  const stats = createStats();
  return makeSource(stats, async function* () {
    if (files.length === 0) throw new IngestError('(no file)', null, null, 'no file was given');
    const kinds = files.map(inputKind);
    const events = files.filter((_, k) => kinds[k] === 'events');
    let done = 0;
    for (const [k, file] of files.entries()) {
      const kind = kinds[k];
      if (kind === 'events') continue;
      const source =
        kind === 'user-day-csv'
          ? readUserDayCsvBytes(file.bytes, { ...options, label: file.name })
          : readUserDayArrowBytes(file);
      yield* source;
      addStats(stats, source.stats);
      options.onFileRead?.(++done, files.length);
    }
    if (events.length > 0) {
      const source = readRawEventBytes(events, options);
      yield* source;
      addStats(stats, source.stats);
      options.onFileRead?.(files.length, files.length);
    }
  });
}
