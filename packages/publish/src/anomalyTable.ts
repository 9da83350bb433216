/**
 * The Microsoft Sentinel custom table that holds a hunt's flagged user-days: its name, the data collection
 * rule's stream, and its columns. This is the one definition; `docs/sentinel/` holds the same table as an ARM
 * template and Bicep (a test keeps them equal) and the analytics rule that reads it.
 */
import { MODEL_FEATURES } from '@isoforest/features';

/** The custom table in the Log Analytics workspace. */
export const ANOMALY_TABLE = 'IsoforestAnomalies_CL';
/** The data collection rule's input stream that feeds it. */
export const ANOMALY_STREAM = 'Custom-IsoforestAnomalies';

/** Column types of the Logs Ingestion API (the stream declaration) and of the table. */
export type AnomalyColumnType = 'datetime' | 'string' | 'real' | 'dynamic';

export interface AnomalyColumn {
  readonly name: string;
  readonly type: AnomalyColumnType;
  readonly description: string;
}

/** Every column of a row, in order. */
export const ANOMALY_COLUMNS: readonly AnomalyColumn[] = [
  { name: 'TimeGenerated', type: 'datetime', description: 'When the hunt that flagged the user-day ran (UTC)' },
  { name: 'UserDay', type: 'datetime', description: 'The UTC day of the user-day' },
  { name: 'DstDomain', type: 'string', description: 'TargetDomainName of the logons' },
  { name: 'DstUser', type: 'string', description: 'TargetUserName of the logons' },
  ...MODEL_FEATURES.map((name) => ({
    name,
    type: 'real' as const,
    description: `Model feature ${name} of the user-day`,
  })),
  {
    name: 'Score',
    type: 'real',
    description: 'The notebook score, -decision_function: above 0 means flagged, larger is more anomalous',
  },
  {
    name: 'DecisionFunction',
    type: 'real',
    description: 'score_samples minus the contamination offset: negative means flagged',
  },
  {
    name: 'TopContributions',
    type: 'dynamic',
    description:
      'The features that pushed the user-day most toward anomalous: [{feature, value, shap}], most negative SHAP first',
  },
  {
    name: 'ExpectedValue',
    type: 'real',
    description: 'The mean path length of the average user-day (the SHAP base value)',
  },
  {
    name: 'ModelId',
    type: 'string',
    description: 'SHA-256 (first 16 hex digits) of the model that scored the user-day',
  },
  { name: 'RunId', type: 'string', description: 'The hunt run that flagged the user-day' },
];

/** One contribution of `TopContributions`. */
export interface Contribution {
  readonly feature: string;
  readonly value: number;
  /** Path-length units; negative pushes the user-day toward anomalous. */
  readonly shap: number;
}

/** A row of the table as the Logs Ingestion API takes it (JSON: datetimes as ISO 8601 strings). */
export type AnomalyRecord = Record<string, string | number | Contribution[]>;
