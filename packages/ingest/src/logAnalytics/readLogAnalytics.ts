import type * as MonitorQueryLogs from '@azure/monitor-query-logs';
import type { LogsQueryClientOptions } from '@azure/monitor-query-logs';
import { resultRowsToUserDays } from '../remote/resultRows.js';
import { slicedUserDays, type SlicedQueryOptions, type SlicedSource } from '../remote/slicedQuery.js';
import { createCredential, requireAzure, type CredentialKind, type TokenCredential } from './credential.js';

/** Options of the Log Analytics / Sentinel source. */
export interface LogAnalyticsOptions extends SlicedQueryOptions {
  /** Log Analytics workspace id (a GUID). */
  workspaceId: string;
  /** A ready credential; else one of `credentialKind` is created from the `AZURE_*` variables. */
  credential?: TokenCredential;
  credentialKind?: CredentialKind;
  /**
   * Query endpoint including the API version: `https://api.loganalytics.io/v1` (the default, Azure public cloud);
   * a sovereign cloud's, e.g. `https://api.loganalytics.us/v1` (US Government) or `https://api.loganalytics.azure.cn/v1`
   * (China).
   */
  endpoint?: string;
  /** Extra SDK client options (e.g. `tlsOptions`); the SDK's own retries are turned off, this source retries. */
  clientOptions?: LogsQueryClientOptions;
}

/** A Log Analytics source also reports rows per slice. */
export type LogAnalyticsSource = SlicedSource;

/**
 * Pulls user-days from a Log Analytics workspace (Microsoft Sentinel's `SecurityEvent`, `WindowsEvent` or
 * `DeviceLogonEvents` table) with the notebook's query (`buildUserDayKql`), one UTC day of its window
 * (`queryWindow`) per `POST /v1/workspaces/{id}/query` with the day as its timespan; slicing, splitting, retries
 * and partial results as `slicedUserDays` says.
 *
 * @throws RangeError at once for an unknown `logonType` or table, or a negative number of days.
 */
export function readLogAnalytics(options: LogAnalyticsOptions): LogAnalyticsSource {
  // Loaded here, not at import: a command that never queries Log Analytics starts without the Azure SDK.
  const { LogsQueryClient, LogsQueryResultStatus } = requireAzure<typeof MonitorQueryLogs>('@azure/monitor-query-logs');
  const client = new LogsQueryClient(options.credential ?? createCredential(options.credentialKind), {
    ...options.clientOptions,
    ...(options.endpoint !== undefined ? { endpoint: options.endpoint } : {}),
    retryOptions: { maxRetries: 0 },
  });
  return slicedUserDays(
    `workspace ${options.workspaceId}`,
    async (query, slice, label) => {
      const timespan = { startTime: new Date(slice.startMs), endTime: new Date(slice.endMs) };
      const result = await client.queryWorkspace(options.workspaceId, query, timespan);
      if (result.status !== LogsQueryResultStatus.Success) return { partialError: result.partialError };
      const table = result.tables[0];
      if (table === undefined) return { rows: [] };
      return {
        rows: resultRowsToUserDays(
          table.columnDescriptors.map((c) => c.name ?? ''),
          table.rows,
          label,
        ),
      };
    },
    options,
  );
}
