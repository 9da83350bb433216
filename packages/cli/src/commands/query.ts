import { buildUserDayKql, createCredential, readLogAnalytics, USER_DAY_SCHEMA } from '@isoforest/ingest';
import { UsageError, type Command } from '../command.js';
import { EXIT } from '../exitCodes.js';
import { writeTable } from '../io/tableWriter.js';
import { describeStats } from '../terminal/sourceStats.js';
import { parseSentinelOptions, SENTINEL_OPTIONS, sliceLine } from './sentinel.js';
import { requiredString } from './values.js';

export const queryCommand: Command = {
  name: 'query',
  summary: "Pull user-days from Microsoft Sentinel / Log Analytics with the notebook's KQL, one day per request",
  synopsis: 'query --workspace ID [--days 21] --output DAYS.arrow | query --print-kql [--days 21]',
  options: {
    ...SENTINEL_OPTIONS,
    output: { type: 'string', placeholder: 'FILE', description: 'where to write the user-days (Arrow IPC or CSV)' },
    'print-kql': { type: 'boolean', description: 'print the KQL the query runs and exit' },
  },
  async run(values, context, { info, progress }) {
    const sentinel = parseSentinelOptions(values);
    if (values['print-kql'] === true) {
      context.stdout.write(`${buildUserDayKql({ lookbackDays: sentinel.days })}\n`);
      return EXIT.ok;
    }
    if (sentinel.workspaceId === undefined) throw new UsageError('--workspace is required');
    const output = requiredString(values, 'output');
    const step = progress.start('querying');
    const source = readLogAnalytics({
      workspaceId: sentinel.workspaceId,
      lookbackDays: sentinel.days,
      credential: createCredential(sentinel.credential, context.env),
      onProgress: (report) => info(sliceLine(report)),
    });
    const written = await writeTable(output, source, USER_DAY_SCHEMA);
    step.finish(`${written.toLocaleString('en-US')} user-days`);
    info(`${describeStats(source.stats)}; ${written.toLocaleString('en-US')} user-days written to ${output}`);
  },
};
