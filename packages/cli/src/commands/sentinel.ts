import {
  DEFAULT_LOOKBACK_DAYS,
  LOGON_TABLES,
  type CredentialKind,
  type InputReport,
  type LogonTable,
  type SliceReport,
} from '@isoforest/ingest';
import { UsageError, type OptionSpecs, type OptionValues } from '../command.js';
import { optionalInteger, optionalString } from './values.js';
import { groupThousands } from '@isoforest/common';

const CREDENTIALS: readonly CredentialKind[] = ['default', 'device-code', 'client-secret'];

/**
 * The options that reach Microsoft Sentinel / Log Analytics or Azure Data Explorer (`query`, and `hunt --source
 * sentinel|adx`).
 */
export const SENTINEL_OPTIONS: OptionSpecs = {
  workspace: {
    type: 'string',
    placeholder: 'ID',
    description: 'the Log Analytics workspace id (of Microsoft Sentinel)',
  },
  cluster: {
    type: 'string',
    placeholder: 'URL',
    description: 'an Azure Data Explorer cluster, e.g. https://NAME.REGION.kusto.windows.net (any cloud)',
  },
  database: {
    type: 'string',
    placeholder: 'DB',
    description: 'the Azure Data Explorer database holding the logon table',
  },
  table: {
    type: 'string',
    placeholder: 'TABLE',
    description: `the logon table: ${LOGON_TABLES.join(', ')} (default SecurityEvent, as the notebook)`,
  },
  endpoint: {
    type: 'string',
    placeholder: 'URL',
    description:
      'the Log Analytics query endpoint of a sovereign cloud, e.g. https://api.loganalytics.us/v1 (default https://api.loganalytics.io/v1)',
  },
  days: {
    type: 'string',
    placeholder: 'N',
    description: `days to look back (default ${DEFAULT_LOOKBACK_DAYS}, as the notebook)`,
  },
  credential: {
    type: 'string',
    placeholder: 'KIND',
    description:
      'default (DefaultAzureCredential), device-code, or client-secret (AZURE_TENANT_ID, AZURE_CLIENT_ID, AZURE_CLIENT_SECRET); AZURE_AUTHORITY_HOST for a sovereign cloud',
  },
};

export interface SentinelSettings {
  readonly workspaceId: string | undefined;
  readonly cluster: string | undefined;
  readonly database: string | undefined;
  readonly table: LogonTable;
  readonly endpoint: string | undefined;
  readonly days: number | undefined;
  readonly credential: CredentialKind;
}

/** An `https://` URL option, or a usage error naming it. */
function optionalHttpsUrl(values: OptionValues, name: string): string | undefined {
  const text = optionalString(values, name);
  if (text === undefined) return undefined;
  let url: URL;
  try {
    url = new URL(text);
  } catch {
    throw new UsageError(`--${name} must be a URL, not '${text}'`);
  }
  if (url.protocol !== 'https:') throw new UsageError(`--${name} must be an https:// URL, not '${text}'`);
  return text;
}

/** The remote options as given; the workspace, cluster and database are checked where they are needed. */
export function parseSentinelOptions(values: OptionValues): SentinelSettings {
  const credential = optionalString(values, 'credential') ?? 'default';
  if (!CREDENTIALS.includes(credential as CredentialKind))
    throw new UsageError(`--credential must be one of ${CREDENTIALS.join(', ')}`);
  const table = optionalString(values, 'table') ?? 'SecurityEvent';
  if (!LOGON_TABLES.includes(table as LogonTable))
    throw new UsageError(`--table must be one of ${LOGON_TABLES.join(', ')}, not '${table}'`);
  return {
    workspaceId: optionalString(values, 'workspace'),
    cluster: optionalHttpsUrl(values, 'cluster'),
    database: optionalString(values, 'database'),
    table: table as LogonTable,
    endpoint: optionalHttpsUrl(values, 'endpoint'),
    days: optionalInteger(values, 'days', 1, 3650),
    credential: credential as CredentialKind,
  };
}

/** One progress line per query slice: `2024-05-01 (bucket 1/4): done 12,345 rows`. */
export function sliceLine(report: SliceReport): string {
  const rows = report.rows === undefined ? '' : ` ${groupThousands(report.rows)} rows`;
  return `${report.label}: ${report.event}${rows}${report.reason ? ` (${report.reason})` : ''}`;
}

/** One line per raw-event input: `logs.zip!a/b.json: JSON objects, 4,305 records` or why it was skipped. */
export function inputLine(report: InputReport): string {
  if (report.format === null) return `${report.label}: skipped (${report.skipped ?? 'no events'})`;
  return `${report.label}: ${report.format}, ${groupThousands(report.records)} records`;
}
