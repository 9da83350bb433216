/**
 * @isoforest/ingest: sources of Windows logon user-days as Arrow record batches of one schema
 * (`USER_DAY_SCHEMA`), each with counts of rows read, kept, filtered and rejected.
 *
 * Sources: aggregated user-day CSV (`readUserDayCsv`; `readUserDayCsvText` for text in memory), raw logon events from CSV / JSON / NDJSON / EVTX files
 * (`readRawEventFiles`, or `normalizeEventRecord` + `aggregateLogonEvents` for other readers; the EVTX reader
 * alone is `readEvtx`), Log Analytics / Microsoft Sentinel (`readLogAnalytics`) and Arrow IPC
 * (`readUserDayArrow`) and Parquet (`readUserDayParquet`). `readAll` drains any of them into a table; `writeArrowIpc`,
 * `writeCsv` and `writeParquet` stream batches out.
 */
export * from './schema.js';
export * from './stats.js';
export * from './errors.js';
export * from './source.js';
export { toUserDays, UserDayBatchBuilder, DEFAULT_BATCH_ROWS } from './userDayBatch.js';
export { parseUtcDate, parseUtcTimestamp, utcDayStart, formatIsoDate } from './timeFormats.js';
export { readUserDayCsv, type UserDayCsvOptions } from './csv/readUserDayCsv.js';
export { readCsvRecords, type CsvRecord } from './csv/csvRecords.js';
export { readUserDayCsvText, type UserDayCsvTextOptions } from './csv/readUserDayCsvText.js';
export { canonicalColumnName } from './csv/columnNames.js';
export * from './events/logonEvent.js';
export { logonTypeName, LOGON_TYPE_NAMES, SECURITY_PROVIDER } from './events/normalize.js';
export {
  readRawEventFiles,
  listEventFiles,
  readEventRecords,
  eventFileFormat,
  EVENT_FILE_FORMATS,
  type EventFileFormat,
} from './events/readEventFiles.js';
export * from './logonDay.js';
export {
  readLogAnalytics,
  queryWindow,
  LOG_ANALYTICS_MAX_ROWS,
  DEFAULT_MAX_CONCURRENCY,
  type LogAnalyticsOptions,
  type LogAnalyticsSource,
  type SliceReport,
} from './logAnalytics/readLogAnalytics.js';
export { createCredential, AZURE_ENV, type CredentialKind, type TokenCredential } from './logAnalytics/credential.js';
export { daySlices, splitSlice, sliceLabel, type QuerySlice } from './logAnalytics/slices.js';
export * from './arrowIpc.js';
export * from './csvOut/csvCells.js';
export { CsvEncoder, type CsvEncoderOptions } from './csvOut/csvBytes.js';
export * from './csvOut/csvWrite.js';
export * from './evtx/index.js';
export { readParquetBatches } from './parquet/parquetRead.js';
export { writeParquet, writeParquetStream } from './parquet/parquetWrite.js';
export { readUserDayParquet } from './parquet/readUserDayParquet.js';
