/**
 * What the CSV readers share about tokenising, whichever csv-parse build they use (the Node stream or the browser
 * build's synchronous parser): the options, so both split text into the same records, and the error message.
 * No Node built-ins.
 */
import { IngestError } from '../errors.js';

/** Rows may be ragged (callers name the row), empty lines are skipped, a leading BOM is dropped. */
export const CSV_PARSE_OPTIONS = { relax_column_count: true, skip_empty_lines: true, bom: true } as const;

/** A csv-parse `CsvError` (of either build) as an `IngestError` naming the line csv-parse reports. */
export function malformedCsvError(label: string, error: Error & { code?: string; lines?: number }): IngestError {
  const line = typeof error.lines === 'number' ? error.lines : null;
  return new IngestError(label, line, null, `malformed CSV (${error.code}): ${error.message.replace(/\s+/g, ' ')}`);
}
