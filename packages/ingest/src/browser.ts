/**
 * The parts of @isoforest/ingest that need no Node built-ins (no files, streams or Azure SDK), for browser
 * bundles: the schema, the batch builder, the value parsers, the aggregated-CSV reader for text in memory
 * (`readUserDayCsvText`), the CSV writer's encoder (`CsvEncoder`, `csvText`, `csvNumber`), the KQL and its local
 * aggregation, errors and stats, and `readInputFiles`: any mix of files held in memory (aggregated CSV, Arrow IPC or
 * Parquet; raw events as CSV, JSON, JSON lines, Windows XML, EVTX or Parquet, plain, `.gz` or `.zip`) as user-days,
 * each file's format told from its content by the raw-event reader the CLI uses.
 */
export * from './schema.js';
export * from './stats.js';
export * from './errors.js';
export * from './source.js';
export { readUserDayCsvBytes, readUserDayCsvText, type UserDayCsvTextOptions } from './csv/readUserDayCsvText.js';
export { csvNumber, csvRequote, csvText } from './csvOut/csvCells.js';
export { CsvEncoder, type CsvEncoderOptions } from './csvOut/csvBytes.js';
export type { UserDayCsvOptions } from './csv/userDayRows.js';
export { toUserDays, UserDayBatchBuilder, DEFAULT_BATCH_ROWS } from './userDayBatch.js';
export { parseUtcDate, parseUtcTimestamp, utcDayStart, formatIsoDate } from './timeFormats.js';
export { canonicalColumnName } from './csv/columnNames.js';
export * from './logonDay.js';
export * from './windows.js';
export { normalizeEventRecord, FIELD_ALIASES } from './events/normalize.js';
export type {
  LogonEvent,
  NormalizeResult,
  RecordLocation,
  RejectedRecord,
  SkippedRecord,
} from './events/logonEvent.js';
export {
  readInputFiles,
  readUserDayArrowBytes,
  inputKind,
  type InputKind,
  type InputFilesOptions,
  type InMemoryFile,
} from './readInputFiles.js';
export {
  EVENT_FILE_EXTENSIONS,
  type EventInputOptions,
  type InputFormat,
  type InputReport,
} from './events/eventContent.js';
export type { ArchiveLimits } from './events/archive.js';
export { readEvtxBytes, type EvtxReader, type EvtxReadOptions, type EvtxStats } from './evtx/logRecords.js';
export { tableCsv } from './csvOut/csvTable.js';
