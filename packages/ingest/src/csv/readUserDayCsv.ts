import { IngestError } from '../errors.js';
import { makeSource, type UserDaySource } from '../source.js';
import { USER_DAY_COLUMNS, type UserDay, type UserDayColumn } from '../schema.js';
import { countRejected, createStats } from '../stats.js';
import { parseUtcDate, parseUtcTimestamp } from '../timeFormats.js';
import { DEFAULT_BATCH_ROWS, UserDayBatchBuilder } from '../userDayBatch.js';
import { readCsvRecords } from './csvRecords.js';
import { parseCount } from './parseCount.js';
import { canonicalColumnName } from './columnNames.js';

/** Options of the aggregated user-day CSV reader. */
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

/**
 * Reads an aggregated user-day CSV (the notebook's export, like `iforest-demo-data.csv`) as a stream of
 * `USER_DAY_SCHEMA` batches, never holding the whole file.
 *
 * Columns are found by header name in any order (the time columns may carry a ` [UTC]` suffix); extra columns
 * are ignored. Strict by default: a missing column, a ragged row, an unparsable date or time, a negative or
 * fractional count, MIN_TimeGenerated after MAX_TimeGenerated, invalid UTF-8 or an empty file throws an
 * `IngestError` whose message is `file:row:column: what is wrong` (row = line in the file, header = 1).
 * With `lenient`, bad rows are skipped and counted in `stats.rowsRejected`.
 */
export function readUserDayCsv(file: string, options: UserDayCsvOptions = {}): UserDaySource {
  const label = options.label ?? file;
  const stats = createStats();
  return makeSource(stats, async function* () {
    const builder = new UserDayBatchBuilder(options.batchRows ?? DEFAULT_BATCH_ROWS);
    let header: string[] | null = null;
    let positions: number[] = [];
    for await (const { fields, line } of readCsvRecords(file, label)) {
      if (header === null) {
        header = fields;
        positions = mapHeader(fields, label);
        continue;
      }
      stats.rowsRead += 1;
      const row = toUserDay(fields, line, header, positions, label);
      if (row instanceof IngestError) {
        if (!options.lenient) throw row;
        countRejected(stats, row);
        continue;
      }
      stats.rowsKept += 1;
      builder.push(row);
      if (builder.full) {
        stats.rowsOut += builder.length;
        yield builder.finish();
      }
    }
    if (header === null) throw new IngestError(label, null, null, 'empty file: no header line');
    if (builder.length > 0) {
      stats.rowsOut += builder.length;
      yield builder.finish();
    }
  });
}

function toUserDay(
  fields: string[],
  line: number,
  header: string[],
  positions: number[],
  label: string,
): UserDay | IngestError {
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
