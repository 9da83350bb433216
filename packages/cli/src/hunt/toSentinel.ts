import { createHash } from 'node:crypto';
import { Table } from 'apache-arrow';
import { scoreColumns, shapColumns, type HuntResult } from '@isoforest/hunt';
import type { TokenCredential } from '@isoforest/ingest';
import {
  anomalyRecords,
  ANOMALY_STREAM,
  publishAnomalies,
  type AnomalyRecord,
  type PublishResult,
} from '@isoforest/publish';
import { UsageError, type OptionSpecs, type OptionValues } from '../command.js';
import { optionalString } from '../commands/values.js';
import { takeRows } from '../io/takeRows.js';

/** Where flagged user-days go in Sentinel: `publish`'s and `hunt --to-sentinel`'s options. */
export const SENTINEL_PUBLISH_OPTIONS: OptionSpecs = {
  dce: {
    type: 'string',
    placeholder: 'URL',
    description: "the data collection endpoint's logs ingestion URL (https://...ingest.monitor.azure.com)",
  },
  dcr: { type: 'string', placeholder: 'ID', description: "the data collection rule's immutable id (dcr-...)" },
  stream: { type: 'string', placeholder: 'NAME', description: `the rule's input stream (default ${ANOMALY_STREAM})` },
};

export interface SentinelTarget {
  readonly endpoint: string;
  readonly ruleId: string;
  readonly streamName: string | undefined;
}

/** The publishing target, or a usage error naming the missing or malformed option. */
export function parseSentinelTarget(values: OptionValues): SentinelTarget {
  const endpoint = optionalString(values, 'dce');
  const ruleId = optionalString(values, 'dcr');
  if (endpoint === undefined || ruleId === undefined)
    throw new UsageError('publishing to Sentinel needs --dce URL and --dcr ID');
  if (!/^https:\/\//i.test(endpoint)) throw new UsageError('--dce must be an https:// URL');
  return { endpoint, ruleId, streamName: optionalString(values, 'stream') };
}

/** The model id the Sentinel rows carry: the first 16 hex digits of the SHA-256 of the model's native bytes. */
export function modelId(bytes: Uint8Array): string {
  return createHash('sha256').update(bytes).digest('hex').slice(0, 16);
}

/** The given result rows as the Sentinel table's rows. */
export function huntAnomalyRecords(
  result: HuntResult,
  rows: Int32Array,
  runId: string,
  nowMs: number,
): AnomalyRecord[] {
  const columns = {
    ...scoreColumns(result.scores, rows),
    ...shapColumns(result.model.featureNames, result.shap, rows),
  };
  const table = takeRows(result.featureTable, rows).assign(new Table(columns));
  return anomalyRecords(table, {
    timeGeneratedMs: nowMs,
    modelId: modelId(result.model.save()),
    runId,
    expectedValue: result.model.expectedValue,
  });
}

/** Sends rows; the refused ones are the caller's to keep. */
export function sendToSentinel(
  records: readonly AnomalyRecord[],
  target: SentinelTarget,
  credential: TokenCredential,
): Promise<PublishResult> {
  return publishAnomalies(records, { ...target, credential });
}
