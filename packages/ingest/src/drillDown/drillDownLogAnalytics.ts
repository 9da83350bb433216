import type { Agent } from 'node:https';
import type * as MonitorQueryLogs from '@azure/monitor-query-logs';
import type { LogsQueryClientOptions } from '@azure/monitor-query-logs';
import { IngestError, SourceUnavailableError } from '../errors.js';
import { kqlStringLiteral } from '../kqlLiteral.js';
import {
  DEFAULT_LOGON_TYPE,
  EVENT_LOGON_FAILURE,
  EVENT_LOGON_SUCCESS,
  logonTypeName,
  PLACEHOLDER,
} from '../windows.js';
import { MS_PER_DAY } from '../schema.js';
import { parseUtcTimestamp } from '../timeFormats.js';
import {
  createCredential,
  requireAzure,
  type CredentialKind,
  type TokenCredential,
} from '../logAnalytics/credential.js';
import { ADX_PARTIAL_RESULT_PREFIX, asHttpError } from '../adx/readAdx.js';
import { backoffMs, describeFailure, isTransient, retryAfterMs } from '../remote/retry.js';
import {
  UserDayDrillDownBuilder,
  type LogonGroup,
  type UserDayDrillDown,
  type UserDayKey,
} from './userDayDrillDown.js';

/** The columns the drill-down query groups by, then its counts, in the order the query projects them. */
const GROUP_COLUMNS = [
  'EventID',
  'IpAddress',
  'WorkstationName',
  'Computer',
  'AuthenticationPackageName',
  'Status',
  'SubStatus',
] as const;
const COUNT_COLUMNS = ['LogonCount', 'FirstSeen', 'LastSeen'] as const;

/**
 * The KQL behind `investigate --source sentinel`: the user-day's 4624/4625 events of one logon type in the
 * `SecurityEvent` table, counted per hour and per combination of the fields the drill-down shows, so the result
 * stays small however many events the user-day has. Account names are compared ignoring case (`=~`) and written
 * as literals no name can break out of (`kqlStringLiteral`).
 */
export function buildDrillDownKql(key: UserDayKey, logonType = DEFAULT_LOGON_TYPE): string {
  const start = new Date(key.dayMs).toISOString();
  const end = new Date(key.dayMs + MS_PER_DAY).toISOString();
  return [
    'SecurityEvent',
    `| where TimeGenerated >= datetime(${start}) and TimeGenerated < datetime(${end})`,
    `| where EventID in (${EVENT_LOGON_SUCCESS}, ${EVENT_LOGON_FAILURE})`,
    `| where LogonTypeName == ${kqlStringLiteral(logonTypeName(logonType))}`,
    `| where TargetDomainName =~ ${kqlStringLiteral(key.domain)} and TargetUserName =~ ${kqlStringLiteral(key.user)}`,
    `| summarize LogonCount = count(), FirstSeen = min(TimeGenerated), LastSeen = max(TimeGenerated)`,
    `    by Hour = bin(TimeGenerated, 1h), ${GROUP_COLUMNS.join(', ')}`,
    `| project ${[...GROUP_COLUMNS, ...COUNT_COLUMNS].join(', ')}`,
  ].join('\n');
}

function text(value: unknown): string {
  return value === null || value === undefined || value === '' ? PLACEHOLDER : String(value);
}

function time(value: unknown): number | null {
  if (value instanceof Date) return Number.isNaN(value.getTime()) ? null : value.getTime();
  return typeof value === 'string' ? parseUtcTimestamp(value) : null;
}

/** The result rows as logon groups; a missing column or a bad value is an `IngestError` naming the row and column. */
function tableGroups(names: readonly string[], rows: readonly (readonly unknown[])[], label: string): LogonGroup[] {
  const at = (name: string): number => {
    const index = names.indexOf(name);
    if (index < 0) throw new IngestError(label, null, name, 'result has no such column');
    return index;
  };
  const positions = Object.fromEntries([...GROUP_COLUMNS, ...COUNT_COLUMNS].map((name) => [name, at(name)]));
  return rows.map((row, i) => {
    const cell = (name: string): unknown => row[positions[name]!];
    const eventId = Number(cell('EventID'));
    const count = Number(cell('LogonCount'));
    const firstMs = time(cell('FirstSeen'));
    const lastMs = time(cell('LastSeen'));
    if (eventId !== EVENT_LOGON_SUCCESS && eventId !== EVENT_LOGON_FAILURE)
      throw new IngestError(label, i + 1, 'EventID', 'not 4624 or 4625');
    if (!Number.isInteger(count) || count < 1)
      throw new IngestError(label, i + 1, 'LogonCount', 'not a positive whole number');
    if (firstMs === null || lastMs === null) throw new IngestError(label, i + 1, 'FirstSeen', 'not a datetime');
    return {
      eventId,
      ipAddress: text(cell('IpAddress')),
      workstationName: text(cell('WorkstationName')),
      computer: text(cell('Computer')),
      authenticationPackageName: text(cell('AuthenticationPackageName')),
      status: text(cell('Status')),
      subStatus: text(cell('SubStatus')),
      count,
      firstMs,
      lastMs,
    };
  });
}

/** How to wait and how often to try, for either service. */
export interface DrillDownRetryOptions {
  /** Attempts before failing (429, 408, 5xx and network errors are retried); default 5. */
  readonly maxAttempts?: number;
  readonly baseDelayMs?: number;
  readonly maxDelayMs?: number;
  /** How to wait between retries; tests pass a fake. */
  readonly sleep?: (ms: number) => Promise<void>;
}

/** What one attempt of the query gave: the result table, or a partial result (a failed attempt). */
type QueryOutcome =
  | { readonly names: readonly string[]; readonly rows: readonly (readonly unknown[])[] }
  | { readonly partialError: unknown };

/**
 * Runs the drill-down query with retries and builds the drill-down. Throttling, server and network errors are
 * retried with backoff (the server's `Retry-After` when it gives one); a partial result is a failed attempt,
 * never taken as the answer. A query that still fails is a `SourceUnavailableError` naming the target.
 */
async function drillDownRemote(
  label: string,
  key: UserDayKey,
  logonType: number,
  runQuery: (query: string) => Promise<QueryOutcome>,
  options: DrillDownRetryOptions,
): Promise<UserDayDrillDown> {
  const query = buildDrillDownKql(key, logonType);
  const maxAttempts = options.maxAttempts ?? 5;
  const sleep = options.sleep ?? ((ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms)));
  const backoff = (attempt: number) => backoffMs(attempt, options.baseDelayMs ?? 1000, options.maxDelayMs ?? 60_000);
  let lastFailure = '';
  for (let attempt = 1; attempt <= maxAttempts; attempt++) {
    let delay: number;
    try {
      const outcome = await runQuery(query);
      if (!('partialError' in outcome)) {
        const builder = new UserDayDrillDownBuilder(key, logonType);
        for (const group of tableGroups(outcome.names, outcome.rows, label)) builder.add(group);
        return builder.result();
      }
      lastFailure = `partial result: ${describeFailure(outcome.partialError)}`;
      delay = backoff(attempt);
    } catch (error) {
      if (error instanceof IngestError) throw error;
      lastFailure = describeFailure(error);
      if (!isTransient(error)) throw new SourceUnavailableError(label, null, null, `query failed: ${lastFailure}`);
      delay = retryAfterMs(error, Date.now()) ?? backoff(attempt);
    }
    if (attempt < maxAttempts) await sleep(delay);
  }
  throw new SourceUnavailableError(label, null, null, `failed after ${maxAttempts} attempts; last: ${lastFailure}`);
}

/** Options of the Log Analytics drill-down. */
export interface DrillDownLogAnalyticsOptions extends DrillDownRetryOptions {
  readonly workspaceId: string;
  readonly key: UserDayKey;
  readonly logonType?: number;
  /** A ready credential; else one of `credentialKind` is created from the `AZURE_*` variables. */
  readonly credential?: TokenCredential;
  readonly credentialKind?: CredentialKind;
  /** Query endpoint including the API version; default the public cloud's. */
  readonly endpoint?: string;
  readonly clientOptions?: LogsQueryClientOptions;
}

/** The drill-down of one user-day from a Log Analytics workspace (Microsoft Sentinel's `SecurityEvent`), in one query. */
export function drillDownLogAnalytics(options: DrillDownLogAnalyticsOptions): Promise<UserDayDrillDown> {
  // Loaded here, not at import, as the user-day sources do: programs that never query start without the SDK.
  const { LogsQueryClient, LogsQueryResultStatus } = requireAzure<typeof MonitorQueryLogs>('@azure/monitor-query-logs');
  const client = new LogsQueryClient(options.credential ?? createCredential(options.credentialKind), {
    ...options.clientOptions,
    ...(options.endpoint !== undefined ? { endpoint: options.endpoint } : {}),
    retryOptions: { maxRetries: 0 },
  });
  const timespan = { startTime: new Date(options.key.dayMs), endTime: new Date(options.key.dayMs + MS_PER_DAY) };
  return drillDownRemote(
    `workspace ${options.workspaceId}`,
    options.key,
    options.logonType ?? DEFAULT_LOGON_TYPE,
    async (query) => {
      const result = await client.queryWorkspace(options.workspaceId, query, timespan);
      if (result.status !== LogsQueryResultStatus.Success) return { partialError: result.partialError };
      const table = result.tables[0];
      return { names: table?.columnDescriptors.map((c) => c.name ?? '') ?? [], rows: table?.rows ?? [] };
    },
    options,
  );
}

/** Options of the Azure Data Explorer drill-down. */
export interface DrillDownAdxOptions extends DrillDownRetryOptions {
  /** The cluster's URL, in whichever cloud it is. */
  readonly cluster: string;
  /** The database holding Sentinel's `SecurityEvent` table. */
  readonly database: string;
  readonly key: UserDayKey;
  readonly logonType?: number;
  readonly credential?: TokenCredential;
  readonly credentialKind?: CredentialKind;
  /** The HTTPS agent of the query requests, for a private certificate authority or a proxy. */
  readonly httpsAgent?: Agent;
}

/** The drill-down of one user-day from an Azure Data Explorer database holding `SecurityEvent`, in one query. */
export function drillDownAdx(options: DrillDownAdxOptions): Promise<UserDayDrillDown> {
  const credential = options.credential ?? createCredential(options.credentialKind);
  const label = `cluster ${options.cluster} database ${options.database}`;
  return drillDownRemote(
    label,
    options.key,
    options.logonType ?? DEFAULT_LOGON_TYPE,
    async (query) => {
      const kusto = await import('azure-kusto-data');
      const client = new kusto.Client(
        kusto.KustoConnectionStringBuilder.withTokenCredential(options.cluster, credential),
      );
      if (options.httpsAgent !== undefined) client.axiosInstance.defaults.httpsAgent = options.httpsAgent;
      let response;
      try {
        response = await client.execute(options.database, query);
      } catch (error) {
        if (error instanceof Error && error.message.startsWith(ADX_PARTIAL_RESULT_PREFIX))
          return { partialError: error };
        throw asHttpError(error);
      }
      const table = response.primaryResults[0];
      return { names: table?.columns.map((c) => c.name ?? '') ?? [], rows: (table?._rows as unknown[][]) ?? [] };
    },
    options,
  );
}
