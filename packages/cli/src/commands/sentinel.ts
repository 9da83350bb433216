import { DEFAULT_LOOKBACK_DAYS, type CredentialKind, type SliceReport } from '@isoforest/ingest';
import { UsageError, type OptionSpecs, type OptionValues } from '../command.js';
import { optionalInteger, optionalString } from './values.js';

const CREDENTIALS: readonly CredentialKind[] = ['default', 'device-code', 'client-secret'];

/** The options that reach a Log Analytics workspace (`query`, and `hunt --source sentinel`). */
export const SENTINEL_OPTIONS: OptionSpecs = {
  workspace: { type: 'string', placeholder: 'ID', description: 'the Log Analytics workspace id (of Microsoft Sentinel)' },
  days: { type: 'string', placeholder: 'N', description: `days to look back (default ${DEFAULT_LOOKBACK_DAYS}, as the notebook)` },
  credential: {
    type: 'string',
    placeholder: 'KIND',
    description: 'default (DefaultAzureCredential), device-code, or client-secret (AZURE_TENANT_ID, AZURE_CLIENT_ID, AZURE_CLIENT_SECRET)',
  },
};

export interface SentinelSettings {
  readonly workspaceId: string | undefined;
  readonly days: number | undefined;
  readonly credential: CredentialKind;
}

/** The workspace options as given; the workspace id itself is checked where it is needed. */
export function parseSentinelOptions(values: OptionValues): SentinelSettings {
  const credential = optionalString(values, 'credential') ?? 'default';
  if (!CREDENTIALS.includes(credential as CredentialKind)) throw new UsageError(`--credential must be one of ${CREDENTIALS.join(', ')}`);
  return {
    workspaceId: optionalString(values, 'workspace'),
    days: optionalInteger(values, 'days', 1, 3650),
    credential: credential as CredentialKind,
  };
}

/** One progress line per query slice: `2024-05-01 (bucket 1/4): done 12,345 rows`. */
export function sliceLine(report: SliceReport): string {
  const rows = report.rows === undefined ? '' : ` ${report.rows.toLocaleString('en-US')} rows`;
  return `${report.label}: ${report.event}${rows}${report.reason ? ` (${report.reason})` : ''}`;
}
