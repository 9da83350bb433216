/**
 * The browser-safe parts of @isoforest/ingest: its user-day schema, batch builder, date parsers and error type.
 * The package's main entry also exports the Node readers (streams, fs, csv-parse's Node build), which fail at load
 * in a browser, so these modules are imported from its build by path. Replace with a browser entry of
 * @isoforest/ingest once it has one.
 */
export { IngestError } from "../../ingest/dist/errors.js";
export { USER_DAY_COLUMNS, type UserDay, type UserDayColumn } from "../../ingest/dist/schema.js";
export { formatIsoDate, parseUtcDate, parseUtcTimestamp } from "../../ingest/dist/timeFormats.js";
export { DEFAULT_BATCH_ROWS, UserDayBatchBuilder } from "../../ingest/dist/userDayBatch.js";

/** Header suffix Log Analytics exports put on datetime columns (as ingest's CSV reader strips it). */
const UTC_SUFFIX = " [UTC]";

/** `MAX_TimeGenerated [UTC]` -> `MAX_TimeGenerated`, as ingest's CSV reader names columns. */
export function canonicalColumnName(header: string): string {
  const t = header.trim();
  return t.endsWith(UTC_SUFFIX) ? t.slice(0, -UTC_SUFFIX.length).trimEnd() : t;
}
