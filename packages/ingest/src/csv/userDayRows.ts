/**
 * Aggregated user-day CSV records -> `USER_DAY_SCHEMA` batches: the header mapping and the row conversion shared
 * by the Node file reader (`readUserDayCsv`) and the in-memory text reader (`readUserDayCsvText`), which differ
 * only in how they tokenise. No Node built-ins, so browsers can use it.
 */
import type { RecordBatch } from 'apache-arrow';
import { IngestError } from '../errors.js';
import { USER_DAY_COLUMNS, type UserDay, type UserDayColumn, type UserDayTypeMap } from '../schema.js';
import { countRejected, type IngestStats } from '../stats.js';
import { parseUtcDate, parseUtcTimestamp } from '../timeFormats.js';
import { DEFAULT_BATCH_ROWS, takeBatch, UserDayBatchBuilder } from '../userDayBatch.js';
import { canonicalColumnName } from './columnNames.js';
import { parseCount } from './parseCount.js';

/** Options of the aggregated user-day CSV readers. */
export interface UserDayCsvOptions {
  /** Skip and count bad rows (first reasons in `stats.firstErrors`) instead of throwing on the first; default false. */
  lenient?: boolean;
  /** Rows per emitted batch; default 65,536. */
  batchRows?: number;
  /** The name errors use for the file; default the path as given. */
  label?: string;
}

/** Position in the file of each user-day column, or an error naming the missing ones. */
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

function parseCell(column: UserDayColumn, text: string): number | string | { error: string } {
  switch (column.kind) {
    case 'string':
      return text;
    case 'date': {
      const ms = parseUtcDate(text.trim());
      return ms ?? { error: `unparsable date ${JSON.stringify(text)} (expected M/D/YYYY or YYYY-MM-DD)` };
    }
    case 'timestamp': {
      const ms = parseUtcTimestamp(text.trim());
      return ms ?? { error: `unparsable time ${JSON.stringify(text)} (expected "M/D/YYYY, h:mm:ss.fff AM" or ISO 8601)` };
    }
    case 'count': {
      const n = parseCount(text);
      return typeof n === 'number' ? n : { error: n };
    }
  }
}

function toUserDay(fields: string[], line: number, header: string[], positions: number[], label: string): UserDay | IngestError {
  if (fields.length !== header.length) {
    return new IngestError(label, line, null, `row has ${fields.length} fields, the header has ${header.length}`);
  }
  const row = {} as Record<string, number | string>;
  for (let k = 0; k < USER_DAY_COLUMNS.length; k++) {
    const column = USER_DAY_COLUMNS[k]!;
    const at = positions[k]!;
    const value = parseCell(column, fields[at]!);
    if (typeof value === 'object') return new IngestError(label, line, header[at]!.trim(), value.error);
    row[column.name] = value;
  }
  const day = row as unknown as UserDay;
  if (day.MIN_TimeGenerated > day.MAX_TimeGenerated) {
    return new IngestError(
      label,
      line,
      header[positions[USER_DAY_COLUMNS.findIndex((c) => c.name === 'MIN_TimeGenerated')]!]!.trim(),
      'later than MAX_TimeGenerated',
    );
  }
  return day;
}

/**
 * Takes the records of an aggregated user-day CSV one at a time (the header first) and hands back a batch each
 * time one is full, counting in `stats`. Strict by default: a missing column, a ragged row, an unparsable date or
 * time, a negative or fractional count or MIN_TimeGenerated after MAX_TimeGenerated throws an `IngestError`
 * (`file:row:column: what is wrong`, row = line in the file, header = 1); with `lenient` the row is counted in
 * `stats.rowsRejected` instead.
 */
export class UserDayCsvRows {
  private readonly builder: UserDayBatchBuilder;
  private header: string[] | null = null;
  private positions: number[] = [];

  constructor(
    private readonly label: string,
    private readonly stats: IngestStats,
    private readonly options: UserDayCsvOptions = {},
  ) {
    this.builder = new UserDayBatchBuilder(options.batchRows ?? DEFAULT_BATCH_ROWS);
  }

  /** One record and the 1-based line it ends on; returns a full batch to emit, or `null`. */
  add(fields: string[], line: number): RecordBatch<UserDayTypeMap> | null {
    if (this.header === null) {
      this.positions = mapHeader(fields, this.label);
      this.header = fields;
      return null;
    }
    this.stats.rowsRead += 1;
    const row = toUserDay(fields, line, this.header, this.positions, this.label);
    if (row instanceof IngestError) {
      if (!this.options.lenient) throw row;
      countRejected(this.stats, row);
      return null;
    }
    this.stats.rowsKept += 1;
    this.builder.push(row);
    return this.builder.full ? this.take() : null;
  }

  /** The end of the input: the last, partly filled batch, or `null`. Throws when there was not even a header. */
  end(): RecordBatch<UserDayTypeMap> | null {
    if (this.header === null) throw new IngestError(this.label, null, null, 'empty file: no header line');
    return this.builder.length > 0 ? this.take() : null;
  }

  private take(): RecordBatch<UserDayTypeMap> {
    return takeBatch(this.builder, this.stats);
  }
}
