import type { TokenCredential } from '@azure/core-auth';
import type { LogsIngestionClientOptions } from '@azure/monitor-ingestion';
import { ANOMALY_STREAM, type AnomalyRecord } from './anomalyTable.js';

/** Where rows go: a data collection endpoint, a data collection rule and its stream. */
export interface PublishOptions {
  /** The data collection endpoint's logs ingestion URL, e.g. `https://my-dce.westeurope-1.ingest.monitor.azure.com`. */
  readonly endpoint: string;
  /** The data collection rule's immutable id (`dcr-...`). */
  readonly ruleId: string;
  /** The rule's input stream; default `ANOMALY_STREAM`. */
  readonly streamName?: string;
  readonly credential: TokenCredential;
  /** Requests in flight at most; default 2. */
  readonly maxConcurrency?: number;
  /** Extra SDK client options (e.g. `tlsOptions`, `retryOptions`). */
  readonly clientOptions?: LogsIngestionClientOptions;
}

/** What publishing did: rows accepted, and the rows and reasons of the batches the service refused. */
export interface PublishResult {
  readonly sent: number;
  readonly rejected: readonly AnomalyRecord[];
  /** One line per refused batch: the service's status and message. */
  readonly failures: readonly string[];
}

function describe(cause: unknown): string {
  const e = cause as { statusCode?: number; message?: string };
  const status = typeof e?.statusCode === 'number' ? `HTTP ${e.statusCode}: ` : '';
  return `${status}${(e?.message ?? String(cause)).split('\n')[0]}`;
}

/**
 * Sends rows to a Microsoft Sentinel custom table through the Logs Ingestion API (`@azure/monitor-ingestion`).
 * The SDK cuts the rows into batches under the service's 1 MB limit, gzips them, and retries throttling (429,
 * honouring `Retry-After`), server errors and network failures with its own backoff. A batch the service still
 * refuses is not lost: its rows come back in `rejected`, with the reason in `failures`.
 */
export async function publishAnomalies(
  records: readonly AnomalyRecord[],
  options: PublishOptions,
): Promise<PublishResult> {
  // Loaded here, not with the package: every hunt imports this package, and only a publishing one needs the SDK.
  const { LogsIngestionClient } = await import('@azure/monitor-ingestion');
  const client = new LogsIngestionClient(options.endpoint, options.credential, options.clientOptions);
  const rejected: AnomalyRecord[] = [];
  const failures: string[] = [];
  try {
    await client.upload(options.ruleId, options.streamName ?? ANOMALY_STREAM, [...records], {
      maxConcurrency: options.maxConcurrency ?? 2,
      onError: ({ failedLogs, cause }) => {
        rejected.push(...(failedLogs as AnomalyRecord[]));
        failures.push(describe(cause));
      },
    });
  } catch (error) {
    // The SDK reports refused batches through onError and then throws their aggregate; anything else is not ours to hide.
    if (failures.length === 0) throw error;
  }
  return { sent: records.length - rejected.length, rejected, failures };
}
