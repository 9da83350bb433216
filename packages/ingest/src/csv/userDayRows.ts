/**
 * Blocks of aggregated user-day CSV records (field byte ranges) -> `USER_DAY_SCHEMA` batches, column by column
 * into typed arrays: counts into Float64, dates into DateDay, times into Timestamp(ms), strings copied as UTF-8
 * bytes. Shared by the Node file reader and the readers of bytes or text in memory; no Node built-ins.
 */
import type { RecordBatch, Data } from 'apache-arrow';
import { structBatch, valuesData } from '@isoforest/common/arrow';
import { IngestError } from '../errors.js';
import {
  MS_PER_DAY,
  USER_DAY_COLUMNS,
  USER_DAY_SCHEMA,
  type UserDayColumnKind,
  type UserDayTypeMap,
} from '../schema.js';
import { countRejected, type IngestStats } from '../stats.js';
import { parseUtcDate, parseUtcTimestamp } from '../timeFormats.js';
import { DEFAULT_BATCH_ROWS } from '../userDayBatch.js';
import type { CsvBlock } from './csvBlocks.js';
import { canonicalColumnName } from './columnNames.js';
import { countValue, dateDays, fieldText, NO_DAY, NOT_A_COUNT, timestampInto } from './fieldValues.js';
import { parseCount } from './parseCount.js';
import type { CsvLimits } from './tokenizer.js';
import { Utf8ColumnBuilder } from './utf8Column.js';

/** Options of the aggregated user-day CSV readers. */
export interface UserDayCsvOptions extends CsvLimits {
  /** Skip and count bad rows (first reasons in `stats.firstErrors`) instead of throwing on the first; default false. */
  lenient?: boolean;
  /** Rows per emitted batch; default 65,536. */
  batchRows?: number;
  /** The name errors use for the file; default the path as given. */
  label?: string;
  /**
   * Threads that read a large file (Node, `readUserDayCsv` only): default one per core when the file is at least
   * 32 MiB, else 1. The rows, their order, the errors and the counts are the same on any number of threads.
   */
  threads?: number;
  /** Bytes per part a thread reads when `threads` > 1; default 16 MiB. */
  partBytes?: number;
}

/** Position in the file of each user-day column, or an error naming the missing ones. Extra columns are ignored. */
function mapHeader(header: string[], label: string): number[] {
  const names = header.map(canonicalColumnName);
  const positions: number[] = [];
  const missing: string[] = [];
  for (const column of USER_DAY_COLUMNS) {
    const at = names.indexOf(column.name);
    if (at < 0) {
      const near = names.find((n) => n.toLowerCase() === column.name.toLowerCase());
      missing.push(near === undefined ? column.name : `${column.name} (found "${near}"; names are case-sensitive)`);
    }
    positions.push(at);
  }
  if (missing.length > 0) {
    throw new IngestError(label, 1, null, `missing column${missing.length > 1 ? 's' : ''} ${missing.join(', ')}`);
  }
  return positions;
}

const TWO_32 = 2 ** 32;
const MIN_INDEX = USER_DAY_COLUMNS.findIndex((c) => c.name === 'MIN_TimeGenerated');

// Each column's kind as a small integer, so that a row's conversion switches on a number, not a string.
const STRING = 0;
const COUNT = 1;
const DATE = 2;
const TIMESTAMP = 3;
const KIND_CODES: Readonly<Record<UserDayColumnKind, number>> = {
  string: STRING,
  count: COUNT,
  date: DATE,
  timestamp: TIMESTAMP,
};
const KINDS = Uint8Array.from(USER_DAY_COLUMNS, (c) => KIND_CODES[c.kind]);

/**
 * The typed arrays of one batch being filled; `finish` hands them to Arrow, and the next batch's arrays are allocated
 * when its first row arrives (`begin`), so the end of the input never allocates a batch nobody fills.
 */
class UserDayColumns {
  rows = 0;
  days: Int32Array | undefined;
  /** Per user-day column: its Float64Array (counts), its Int32Array view of a BigInt64Array (times), or null. */
  numbers!: (Float64Array | null)[];
  times!: (Int32Array | null)[];
  strings: (Utf8ColumnBuilder | null)[];

  constructor(readonly capacity: number) {
    this.strings = USER_DAY_COLUMNS.map((c) => (c.kind === 'string' ? new Utf8ColumnBuilder(capacity) : null));
  }

  /** Allocates the arrays of a new batch, unless the current one has them. */
  begin(): void {
    if (this.days !== undefined) return;
    this.days = new Int32Array(this.capacity);
    this.numbers = USER_DAY_COLUMNS.map((c) => (c.kind === 'count' ? new Float64Array(this.capacity) : null));
    this.times = USER_DAY_COLUMNS.map((c) => (c.kind === 'timestamp' ? new Int32Array(this.capacity * 2) : null));
  }

  /** Stores whole ms (truncated, as `Timestamp(ms)` holds them) as an int64 in two little-endian halves: no BigInt. */
  setTime(k: number, row: number, ms: number): void {
    const whole = Math.floor(ms);
    const high = Math.floor(whole / TWO_32);
    const view = this.times[k]!;
    view[2 * row] = whole - high * TWO_32;
    view[2 * row + 1] = high;
  }

  finish(): RecordBatch<UserDayTypeMap> {
    const n = this.rows;
    const children: Data[] = USER_DAY_COLUMNS.map((c, k) => {
      const type = USER_DAY_SCHEMA.fields[k]!.type;
      switch (c.kind) {
        case 'date':
          return valuesData(type, this.days!.subarray(0, n));
        case 'count':
          return valuesData(type, this.numbers[k]!.subarray(0, n));
        case 'timestamp':
          return valuesData(type, new BigInt64Array(this.times[k]!.buffer, 0, n));
        case 'string':
          return this.strings[k]!.finish();
      }
    });
    this.rows = 0;
    this.days = undefined;
    return structBatch(USER_DAY_SCHEMA, children, n);
  }
}

/**
 * Takes the blocks of an aggregated user-day CSV in order (the header is the first record) and hands back each
 * batch as it fills, counting in `stats`. Strict by default: a missing column, a ragged row, an unparsable date or
 * time, a negative or fractional count or MIN_TimeGenerated after MAX_TimeGenerated throws an `IngestError`
 * (`file:row:column: what is wrong`, row = line in the file, header = 1); with `lenient` the row is counted in
 * `stats.rowsRejected` instead.
 */
export class UserDayCsvRows {
  private readonly columns: UserDayColumns;
  private header: string[] | null = null;
  private positions: number[] = [];
  /** A row's MIN and MAX times as parsed (before truncation), for the order check; typed, so never boxed. */
  private readonly times = new Float64Array(2);
  /** Where a lenient reader's rejected rows go instead of `stats` (a worker hands them to the main thread). */
  onReject: ((error: IngestError) => void) | null = null;

  constructor(
    private readonly label: string,
    private readonly stats: IngestStats,
    private readonly options: UserDayCsvOptions = {},
  ) {
    this.columns = new UserDayColumns(options.batchRows ?? DEFAULT_BATCH_ROWS);
  }

  /** The header's fields, once read. */
  get headerFields(): readonly string[] | null {
    return this.header;
  }

  /** Takes the header read elsewhere (a worker reading a later part of the file). */
  setHeader(header: string[]): void {
    this.positions = mapHeader(header, this.label);
    this.header = header;
  }

  /** Converts every record of `block`; returns the batches that filled up meanwhile. */
  add(block: CsvBlock): RecordBatch<UserDayTypeMap>[] {
    const { bytes, fields } = block;
    const out: RecordBatch<UserDayTypeMap>[] = [];
    let r = 0;
    if (this.header === null) {
      const header: string[] = [];
      for (let f = fields.recordFirst[0]!; f < fields.recordFirst[1]!; f++) {
        header.push(fieldText(bytes, fields.starts[f]!, fields.ends[f]!, fields.escaped[f]!));
      }
      this.setHeader(header);
      r = 1;
    }
    for (; r < fields.recordCount; r++) {
      this.stats.rowsRead += 1;
      const error = this.convert(block, r);
      if (error !== null) {
        if (!this.options.lenient) throw error;
        if (this.onReject) this.onReject(error);
        else countRejected(this.stats, error);
        continue;
      }
      this.stats.rowsKept += 1;
      if (this.columns.rows === this.columns.capacity) out.push(this.take());
    }
    return out;
  }

  /** The end of the input: the last, partly filled batch, or `null`. Throws when there was not even a header. */
  end(): RecordBatch<UserDayTypeMap> | null {
    this.checkHeader();
    return this.columns.rows > 0 ? this.take() : null;
  }

  /** Throws when no header was read. */
  checkHeader(): void {
    if (this.header === null) throw new IngestError(this.label, null, null, 'empty file: no header line');
  }

  private take(): RecordBatch<UserDayTypeMap> {
    this.stats.rowsOut += this.columns.rows;
    return this.columns.finish();
  }

  /** Writes record `r` as the next row, or leaves the columns as they were and returns what is wrong. */
  private convert({ bytes, fields }: CsvBlock, r: number): IngestError | null {
    const header = this.header!;
    const first = fields.recordFirst[r]!;
    const width = fields.recordFirst[r + 1]! - first;
    if (width !== header.length) {
      const line = fields.recordLine[r]!;
      return new IngestError(this.label, line, null, `row has ${width} fields, the header has ${header.length}`);
    }
    const { starts, ends, escaped } = fields;
    const positions = this.positions;
    const columns = this.columns;
    columns.begin();
    const row = columns.rows;
    const times = this.times;
    for (let k = 0; k < KINDS.length; k++) {
      const f = first + positions[k]!;
      const start = starts[f]!;
      const end = ends[f]!;
      // The byte parsers first; what they decline goes to the text parsers, which accept it or name the problem.
      let problem: string | null = null;
      switch (KINDS[k]) {
        case STRING:
          columns.strings[k]!.append(bytes, start, end, escaped[f]!);
          break;
        case COUNT: {
          let n: number | string = countValue(bytes, start, end);
          if (n === NOT_A_COUNT) n = parseCount(fieldText(bytes, start, end, escaped[f]!));
          if (typeof n === 'string') problem = n;
          else columns.numbers[k]![row] = n;
          break;
        }
        case DATE: {
          const days = dateDays(bytes, start, end);
          if (days !== NO_DAY) columns.days![row] = days;
          else {
            const ms = parseUtcDate(fieldText(bytes, start, end, escaped[f]!).trim());
            if (ms === null) {
              problem = `unparsable date ${JSON.stringify(fieldText(bytes, start, end, escaped[f]!))} (expected M/D/YYYY or YYYY-MM-DD)`;
            } else columns.days![row] = Math.floor(ms / MS_PER_DAY);
          }
          break;
        }
        case TIMESTAMP: {
          const at = k === MIN_INDEX ? 0 : 1;
          if (!timestampInto(bytes, start, end, times, at)) {
            const ms = parseUtcTimestamp(fieldText(bytes, start, end, escaped[f]!).trim());
            if (ms === null) {
              const text = JSON.stringify(fieldText(bytes, start, end, escaped[f]!));
              problem = `unparsable time ${text} (expected "M/D/YYYY, h:mm:ss.fff AM" or ISO 8601)`;
              break;
            }
            times[at] = ms;
          }
          columns.setTime(k, row, times[at]!);
          break;
        }
      }
      if (problem !== null) {
        this.rollback(row);
        return new IngestError(this.label, fields.recordLine[r]!, header[positions[k]!]!.trim(), problem);
      }
    }
    if (times[0]! > times[1]!) {
      this.rollback(row);
      return new IngestError(
        this.label,
        fields.recordLine[r]!,
        header[positions[MIN_INDEX]!]!.trim(),
        'later than MAX_TimeGenerated',
      );
    }
    columns.rows = row + 1;
    return null;
  }

  private rollback(row: number): void {
    for (const strings of this.columns.strings) strings?.truncate(row);
  }
}
