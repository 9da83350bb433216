import { buildUserDayKql, createCredential, DEFAULT_LOOKBACK_DAYS, readLogAnalytics, type CredentialKind } from '@isoforest/ingest';
import { UsageError, type Command } from '../command.js';
import { EXIT } from '../exitCodes.js';
import { writeTable } from '../io/tableWriter.js';
import { describeStats } from '../terminal/sourceStats.js';
import { optionalInteger, optionalString, requiredString } from './values.js';

const CREDENTIALS: readonly CredentialKind[] = ['default', 'device-code', 'client-secret'];

export const queryCommand: Command = {
  name: 'query',
  summary: "Pull user-days from Microsoft Sentinel / Log Analytics with the notebook's KQL, one day per request",
  synopsis: 'query --workspace ID [--days 21] --output DAYS.arrow | query --print-kql [--days 21]',
  options: {
    workspace: { type: 'string', placeholder: 'ID', description: 'the Log Analytics workspace id' },
    days: { type: 'string', placeholder: 'N', description: `days to look back (default ${DEFAULT_LOOKBACK_DAYS})` },
    credential: {
      type: 'string',
      placeholder: 'KIND',
      description: 'default (DefaultAzureCredential), device-code, or client-secret (AZURE_TENANT_ID, AZURE_CLIENT_ID, AZURE_CLIENT_SECRET)',
    },
    output: { type: 'string', placeholder: 'FILE', description: 'where to write the user-days (Arrow IPC or CSV)' },
    'print-kql': { type: 'boolean', description: 'print the KQL the query runs and exit' },
  },
  async run(values, context, { info, progress }) {
    const days = optionalInteger(values, 'days', 1, 3650);
    if (values['print-kql'] === true) {
      context.stdout.write(`${buildUserDayKql({ lookbackDays: days })}\n`);
      return EXIT.ok;
    }
    const credential = optionalString(values, 'credential') ?? 'default';
    if (!CREDENTIALS.includes(credential as CredentialKind)) throw new UsageError(`--credential must be one of ${CREDENTIALS.join(', ')}`);
    const output = requiredString(values, 'output');
    const step = progress.start('querying');
    const source = readLogAnalytics({
      workspaceId: requiredString(values, 'workspace'),
      lookbackDays: days,
      credential: createCredential(credential as CredentialKind, context.env),
      onProgress: (report) => info(`${report.label}: ${report.event}${report.rows === undefined ? '' : ` ${report.rows.toLocaleString('en-US')} rows`}${report.reason ? ` (${report.reason})` : ''}`),
    });
    const written = await writeTable(output, source);
    step.finish(`${written.toLocaleString('en-US')} user-days`);
    info(`${describeStats(source.stats)}; ${written.toLocaleString('en-US')} user-days written to ${output}`);
  },
};
