import { IngestError } from '../errors.js';
import { USER_DAY_COLUMNS, type UserDay, type UserDayColumn } from '../schema.js';
import { parseUtcDate, parseUtcTimestamp, utcDayStart } from '../timeFormats.js';

function timeValue(value: unknown): number | null {
  if (value instanceof Date) return Number.isNaN(value.getTime()) ? null : value.getTime();
  if (typeof value === 'string') return parseUtcTimestamp(value);
  return null;
}

function cell(column: UserDayColumn, value: unknown): number | string | { error: string } {
  switch (column.kind) {
    case 'string':
      return typeof value === 'string' ? value : { error: `expected a string, got ${JSON.stringify(value)}` };
    case 'date': {
      const ms = typeof value === 'string' && !value.includes('T') ? parseUtcDate(value) : timeValue(value);
      if (ms === null || utcDayStart(ms) !== ms) return { error: `expected a UTC day, got ${JSON.stringify(value)}` };
      return ms;
    }
    case 'timestamp': {
      const ms = timeValue(value);
      return ms ?? { error: `expected a datetime, got ${JSON.stringify(value)}` };
    }
    case 'count': {
      const n = typeof value === 'string' && /^\d+$/.test(value) ? Number(value) : value;
      if (typeof n !== 'number' || !Number.isInteger(n) || n < 0) {
        return { error: `expected a non-negative whole number, got ${JSON.stringify(value)}` };
      }
      return n;
    }
  }
}

/**
 * The rows of a query result (Log Analytics or Azure Data Explorer) as user-days. Columns are found by name (the
 * query returns them in schema order, but the services do not promise it); a missing column or a bad value
 * throws an `IngestError` naming the slice, the 1-based result row and the column.
 */
export function resultRowsToUserDays(
  columnNames: readonly string[],
  rows: readonly (readonly unknown[])[],
  label: string,
): UserDay[] {
  const positions = USER_DAY_COLUMNS.map((c) => columnNames.indexOf(c.name));
  const missing = USER_DAY_COLUMNS.filter((_, k) => positions[k]! < 0).map((c) => c.name);
  if (missing.length > 0) {
    throw new IngestError(
      label,
      null,
      missing[0]!,
      `result has no column${missing.length > 1 ? 's' : ''} ${missing.join(', ')}`,
    );
  }
  return rows.map((row, i) => {
    const day = {} as Record<string, number | string>;
    USER_DAY_COLUMNS.forEach((column, k) => {
      const value = cell(column, row[positions[k]!]);
      if (typeof value === 'object') throw new IngestError(label, i + 1, column.name, value.error);
      day[column.name] = value;
    });
    return day as unknown as UserDay;
  });
}
