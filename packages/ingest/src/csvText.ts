/**
 * How CSV cells are written, shared by the file writer (`writeCsv`) and `csvText` for a table in memory (a browser
 * page's download). No Node built-ins.
 */
import { DataType, type Table, type Vector } from 'apache-arrow';
import { formatIsoDate } from './timeFormats.js';

const NEEDS_QUOTES = /[",\r\n]|^\s|\s$/;

/** A CSV cell for a string: quoted (with `"` doubled) when it holds a comma, quote, line break or edge space. */
export function csvQuote(text: string): string {
  return NEEDS_QUOTES.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}

/**
 * A CSV cell for a number that reads back to the same double: JavaScript's `String(n)` is the shortest
 * round-tripping form; `-0` keeps its sign, and NaN / Infinity are written as JavaScript spells them.
 */
export function csvNumber(n: number): string {
  return Object.is(n, -0) ? '-0' : String(n);
}

type CellWriter = (value: unknown) => string;

/** How to write one column's cells, from its Arrow type. Nulls are empty cells. */
export function cellWriter(type: DataType): CellWriter {
  const orEmpty = (f: (v: never) => string): CellWriter => (v) => (v === null || v === undefined ? '' : f(v as never));
  if (DataType.isDate(type)) return orEmpty((ms: number) => formatIsoDate(ms));
  if (DataType.isTimestamp(type)) return orEmpty((ms: number) => new Date(ms).toISOString());
  if (DataType.isFloat(type) || DataType.isInt(type) || DataType.isDecimal(type)) {
    return orEmpty((n: number | bigint) => (typeof n === 'bigint' ? String(n) : csvNumber(n)));
  }
  if (DataType.isBool(type)) return orEmpty((b: boolean) => (b ? 'true' : 'false'));
  return orEmpty((v: unknown) => csvQuote(String(v)));
}

/** A table as CSV text, exactly as `writeCsv` writes it to a file: header, then one line per row. */
export function csvText(table: Table, eol: '\n' | '\r\n' = '\n'): string {
  const fields = table.schema.fields;
  const lines = [fields.map((f) => csvQuote(f.name)).join(',')];
  const writers = fields.map((f) => cellWriter(f.type));
  const columns = fields.map((_, k) => table.getChildAt(k) as Vector);
  for (let i = 0; i < table.numRows; i++) lines.push(columns.map((c, k) => writers[k]!(c.get(i))).join(','));
  return lines.join(eol) + eol;
}
