/**
 * The parts of @isoforest/ingest that need no Node built-ins (no files, streams or Azure SDK), for browser
 * bundles: the schema, the batch builder, the value parsers, the aggregated-CSV reader for text in memory
 * (`readUserDayCsvText`), the CSV writer's encoder (`CsvEncoder`, `csvText`, `csvNumber`), the KQL and its local
 * aggregation, errors and stats, and `readInputFiles`: any mix of files held in memory (aggregated CSV, Arrow IPC or
 * Parquet; raw events as CSV, JSON, JSON lines, Windows XML, EVTX or Parquet, plain, `.gz` or `.zip`) as user-days,
 * each file's format told from its content by the raw-event reader the CLI uses.
 */
export {
  type UserDayColumnKind,
  type UserDayColumn,
  type UserDayTypeMap,
  type UserDay,
  USER_DAY_COLUMNS,
  USER_DAY_SCHEMA,
  MS_PER_DAY,
} from './schema.js';
export {
  createStats,
  countFiltered,
  countRejected,
  totalFiltered,
  type IngestStats,
  MAX_FIRST_ERRORS,
} from './stats.js';
export { formatLocation, IngestError, SourceUnavailableError } from './errors.js';
export { makeSource, readAll, type UserDaySource } from './source.js';
export { readUserDayCsvBytes, readUserDayCsvText, type UserDayCsvTextOptions } from './csv/readUserDayCsvText.js';
export { csvNumber, csvRequote, csvText } from './csvOut/csvCells.js';
export { CsvEncoder, type CsvEncoderOptions } from './csvOut/csvBytes.js';
export type { UserDayCsvOptions } from './csv/userDayRows.js';
export { toUserDays, UserDayBatchBuilder, DEFAULT_BATCH_ROWS } from './userDayBatch.js';
export { parseUtcDate, parseUtcTimestamp, utcDayStart, formatIsoDate } from './timeFormats.js';
export { canonicalColumnName } from './csv/columnNames.js';
export {
  buildUserDayKql,
  logonDayFilter,
  activeMilliseconds,
  createLogonDayAggregator,
  DEFAULT_LOOKBACK_DAYS,
  DEFAULT_END_OFFSET_DAYS,
  FILTER_RULES,
  NOTEBOOK_EXCLUSIONS,
  LOGON_TABLES,
  type LogonTable,
  type UserDayQueryParams,
  type LogonDayOptions,
  type LogonDayAggregator,
} from './logonDay.js';
export {
  logonTypeName,
  logonTypeNumber,
  EVENT_LOGON_SUCCESS,
  EVENT_LOGON_FAILURE,
  DEFAULT_LOGON_TYPE,
  SECURITY_PROVIDER,
  PLACEHOLDER,
  LOGON_TYPE_NAMES,
} from './windows.js';
export { normalizeEventRecord, FIELD_ALIASES } from './events/normalize.js';
export type { LogonEvent, NormalizeResult, RecordLocation, RejectedRecord, SkippedRecord } from './logonEvent.js';
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
export { binaryFormatOf, MAGIC_BYTES, type BinaryFormat } from './magicBytes.js';
