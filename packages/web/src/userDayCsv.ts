import type { Table } from "apache-arrow";
import {
  canonicalColumnName,
  DEFAULT_BATCH_ROWS,
  IngestError,
  parseUtcDate,
  parseUtcTimestamp,
  USER_DAY_COLUMNS,
  UserDayBatchBuilder,
  type UserDay,
  type UserDayColumn,
} from "./ingestBrowser.js";
import { Table as ArrowTable } from "apache-arrow";
import { csvRecords, CsvSyntaxError } from "./csvText.js";

/** The parsed file: a user-day table of the ingest schema, and how many rows went in and came out. */
export interface ParsedUserDays {
  readonly table: Table;
  /** Data rows in the file (header and empty lines not counted). */
  readonly rowsRead: number;
}

/** A count cell as ingest reads it: a non-negative whole number (`238` or `238.0`), else the reason it is not. */
function parseCount(text: string): number | string {
  const t = text.trim();
  if (!/^\d+(\.0*)?$/.test(t)) return `not a count: ${JSON.stringify(text)}`;
  const n = Number(t);
  return n > Number.MAX_SAFE_INTEGER ? `count ${t} is too large to be exact` : n;
}

function parseCell(column: UserDayColumn, text: string): number | string | { error: string } {
  switch (column.kind) {
    case "string":
      return text;
    case "date":
      return parseUtcDate(text.trim()) ?? { error: `unparsable date ${JSON.stringify(text)} (expected M/D/YYYY or YYYY-MM-DD)` };
    case "timestamp":
      return parseUtcTimestamp(text.trim()) ?? { error: `unparsable time ${JSON.stringify(text)}` };
    case "count": {
      const n = parseCount(text);
      return typeof n === "number" ? n : { error: n };
    }
  }
}

/**
 * Parses the text of an aggregated user-day CSV (the notebook's export, like `iforest-demo-data.csv`) into an Arrow
 * table of ingest's user-day schema, strictly: a missing column, a ragged row or a bad cell throws an
 * {@link IngestError} `file:row:column: problem` (row = line in the file, header = 1). Columns are found by name
 * in any order (a ` [UTC]` suffix is ignored), extra columns are ignored.
 */
export function parseUserDayCsv(text: string, label: string): ParsedUserDays {
  const builder = new UserDayBatchBuilder(DEFAULT_BATCH_ROWS);
  const batches = [];
  let header: string[] | null = null;
  let positions: number[] = [];
  let rowsRead = 0;
  try {
    for (const { fields, line } of csvRecords(text)) {
      if (header === null) {
        header = fields;
        const names = fields.map(canonicalColumnName);
        positions = USER_DAY_COLUMNS.map((c) => names.indexOf(c.name));
        const missing = USER_DAY_COLUMNS.filter((_, k) => positions[k] < 0).map((c) => c.name);
        if (missing.length > 0) throw new IngestError(label, 1, null, `missing column${missing.length > 1 ? "s" : ""} ${missing.join(", ")}`);
        continue;
      }
      rowsRead++;
      if (fields.length !== header.length) {
        throw new IngestError(label, line, null, `row has ${fields.length} fields, the header has ${header.length}`);
      }
      const row: Record<string, number | string> = {};
      USER_DAY_COLUMNS.forEach((column, k) => {
        const value = parseCell(column, fields[positions[k]]);
        if (typeof value === "object") throw new IngestError(label, line, header![positions[k]].trim(), value.error);
        row[column.name] = value;
      });
      const day = row as unknown as UserDay;
      if (day.MIN_TimeGenerated > day.MAX_TimeGenerated) {
        throw new IngestError(label, line, "MIN_TimeGenerated", "later than MAX_TimeGenerated");
      }
      builder.push(day);
      if (builder.full) batches.push(builder.finish());
    }
  } catch (error) {
    if (error instanceof CsvSyntaxError) throw new IngestError(label, error.line, null, `malformed CSV: ${error.problem}`);
    throw error;
  }
  if (header === null) throw new IngestError(label, null, null, "empty file: no header line");
  if (rowsRead === 0) throw new IngestError(label, null, null, "no data rows after the header");
  if (builder.length > 0) batches.push(builder.finish());
  return { table: new ArrowTable(batches), rowsRead };
}
