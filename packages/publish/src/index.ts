/**
 * @isoforest/publish: a hunt's flagged user-days, as rows of a Microsoft Sentinel custom table
 * (`ANOMALY_COLUMNS`), sent through the Logs Ingestion API (`publishAnomalies`).
 */
export {
  ANOMALY_TABLE,
  ANOMALY_STREAM,
  ANOMALY_COLUMNS,
  type AnomalyColumn,
  type AnomalyColumnType,
  type AnomalyRecord,
  type Contribution,
} from './anomalyTable.js';
export { anomalyRecords, AnomalyTableError, type AnomalyContext } from './anomalyRecords.js';
export { publishAnomalies, type PublishOptions, type PublishResult } from './publishAnomalies.js';
export {
  analyticsRuleKql,
  tableArmTemplate,
  tableBicep,
  analyticsRuleArmTemplate,
  sentinelDocs,
} from './sentinelTemplates.js';
