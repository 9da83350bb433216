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
import { crc32 as zlibCrc32 } from 'node:zlib';
import { useCrc32 } from './evtx/crc32.js';

// Node reads .evtx files with zlib's CRC-32; the browser entry keeps the plain-TypeScript one.
useCrc32(zlibCrc32);

// The Node entry is the browser entry and what needs Node: browser.ts names the shared part, once.
// eslint-disable-next-line no-restricted-syntax -- the one re-export of a whole entry; browser.ts lists it by name
export * from './browser.js';
export { readUserDayCsv } from './csv/readUserDayCsv.js';
export {
  aggregateLogonEvents,
  userDaysFromRecords,
  type LocatedRecord,
  type LostRecords,
  type EventStreamItem,
  type EventAggregationOptions,
} from './events/aggregate.js';
export { readRawEventFiles, listEventFiles, readEventRecords, type RawEventSource } from './events/readEventFiles.js';
export { userShardKql, MAX_SHARDS, type UserShard } from './logonDay.js';
export {
  readLogAnalytics,
  type LogAnalyticsOptions,
  type LogAnalyticsSource,
} from './logAnalytics/readLogAnalytics.js';
export {
  queryWindow,
  LOG_ANALYTICS_MAX_ROWS,
  DEFAULT_MAX_CONCURRENCY,
  type SliceReport,
  type SlicedQueryOptions,
  type SlicedSource,
} from './remote/slicedQuery.js';
export { readAdx, type AdxOptions } from './adx/readAdx.js';
export { createCredential, AZURE_ENV, type CredentialKind, type TokenCredential } from './logAnalytics/credential.js';
export { daySlices, splitSlice, sliceLabel, type QuerySlice } from './remote/slices.js';
export {
  readArrowBatches,
  readUserDayArrow,
  REUSED_BUFFERS,
  writeArrowIpc,
  type ArrowIpcFormat,
  type ReadUserDayArrowOptions,
  type WriteArrowIpcOptions,
} from './arrowIpc.js';
export { writeCsvStream, writeCsv, type WriteCsvOptions } from './csvOut/csvWrite.js';
export {
  EvtxFormatError,
  evtxFlatRecords,
  evtxRecordToFlat,
  isEvtxFile,
  readEvtx,
  readEvtxFiles,
  type EvtxFlatRecord,
  type EvtxIssue,
  type EvtxIssueReason,
  type EvtxRecord,
  type FlatValue,
} from './evtx/index.js';
export { logonFailureReason, parseNtStatus, formatNtStatus, type LogonFailureReason } from './events/logonStatus.js';
export { kqlStringLiteral } from './kqlLiteral.js';
export {
  UserDayDrillDownBuilder,
  matchesUserDay,
  type UserDayKey,
  type UserDayDrillDown,
  type ValueCount,
  type FailureReasonCount,
  type HourCount,
  type LogonGroup,
} from './drillDown/userDayDrillDown.js';
export {
  drillDownEventRecords,
  drillDownEventRecordsMany,
  type DrillDownOptions,
  type DrillDownResult,
  type DrillDownsResult,
} from './drillDown/drillDownEvents.js';
export {
  buildDrillDownKql,
  drillDownLogAnalytics,
  drillDownAdx,
  type DrillDownLogAnalyticsOptions,
  type DrillDownAdxOptions,
  type DrillDownRetryOptions,
} from './drillDown/drillDownLogAnalytics.js';
export { csvBlocks, type CsvBlock, type CsvBlockOptions } from './csv/csvBlocks.js';
export { readCsvDecimalBlocks, type CsvDecimalBlock, type CsvDecimalBlockOptions } from './csv/decimalBlocks.js';
export { readCsvRecords, csvRecordsOf, fileChunks, nodeBlockOptions, type CsvRecord } from './csv/csvRecords.js';
export { CsvFields, type CsvLimits } from './csv/tokenizer.js';
export { bytesView, fieldText, parseDecimalBytes, readDecimalColumn } from './csv/fieldValues.js';
export { Utf8ColumnBuilder } from './csv/utf8Column.js';
export { readParquetBatches, readUserDayParquet } from './parquet/parquetFiles.js';
export { writeParquet, writeParquetStream } from './parquet/parquetWrite.js';
