/**
 * The parts of @isoforest/ingest that need no Node built-ins (no files, streams or Azure SDK), for browser
 * bundles: the schema, the batch builder, the value parsers, the aggregated-CSV reader for text in memory
 * (`readUserDayCsvText`), the CSV writer's encoder (`CsvEncoder`, `csvText`, `csvNumber`), the KQL and its local
 * aggregation, errors and stats.
 */
export * from './schema.js';
export * from './stats.js';
export * from './errors.js';
export * from './source.js';
export { readUserDayCsvText, type UserDayCsvTextOptions } from './csv/readUserDayCsvText.js';
export { csvNumber, csvText } from './csvOut/csvCells.js';
export { CsvEncoder, type CsvEncoderOptions } from './csvOut/csvBytes.js';
export type { UserDayCsvOptions } from './csv/userDayRows.js';
export { toUserDays, UserDayBatchBuilder, DEFAULT_BATCH_ROWS } from './userDayBatch.js';
export { parseUtcDate, parseUtcTimestamp, utcDayStart, formatIsoDate } from './timeFormats.js';
export { canonicalColumnName } from './csv/columnNames.js';
export * from './logonDay.js';
export { normalizeEventRecord, FIELD_ALIASES, logonTypeName, LOGON_TYPE_NAMES, SECURITY_PROVIDER } from './events/normalize.js';
export { PLACEHOLDER } from './events/placeholder.js';
export type { LogonEvent, NormalizeResult, RecordLocation, RejectedRecord, SkippedRecord } from './events/logonEvent.js';
