import { buildUserDayKql, USER_DAY_SCHEMA } from '@isoforest/ingest';
import { UsageError, type Command } from '../command.js';
import { EXIT } from '../exitCodes.js';
import { openRemoteSource } from '../hunt/sourceSpec.js';
import { writeTable } from '../io/tableWriter.js';
import { describeStats } from '../terminal/sourceStats.js';
import { parseSentinelOptions, SENTINEL_OPTIONS } from './sentinel.js';
import { parseShard } from '../io/shard.js';
import { optionalString, requiredString } from './values.js';
import { groupThousands } from '@isoforest/common';

export const queryCommand: Command = {
  synopsis:
    'query --workspace ID | --cluster URL --database DB [--table SecurityEvent|WindowsEvent|DeviceLogonEvents] [--days 21] [--shard K/N] --output DAYS.arrow | query --print-kql [--table T] [--days 21] [--shard K/N]',
  options: {
    ...SENTINEL_OPTIONS,
    output: {
      type: 'string',
      placeholder: 'FILE',
      stdio: 'out-table',
      description: 'where to write the user-days (Arrow IPC, CSV or Parquet)',
    },
    shard: {
      type: 'string',
      placeholder: 'K/N',
      description:
        "only the users of shard K of N, chosen inside the query by Kusto's hash_xxhash64 of DOMAIN\\user (as hunt --source sentinel|adx --shard)",
    },
    'print-kql': { type: 'boolean', description: 'print the KQL the query runs for --table and exit' },
  },
  async run(values, context, { info, progress, json, report }) {
    const remote = parseSentinelOptions(values);
    const shardText = optionalString(values, 'shard');
    const shard = shardText === undefined ? undefined : parseShard(shardText);
    if (values['print-kql'] === true) {
      const kql = buildUserDayKql({ table: remote.table, lookbackDays: remote.days, userShard: shard });
      if (!json) context.stdout.write(`${kql}\n`);
      report({ kql });
      return EXIT.ok;
    }
    const adx = remote.cluster !== undefined || remote.database !== undefined;
    if (adx && remote.workspaceId !== undefined)
      throw new UsageError(
        'give --workspace (Log Analytics) or --cluster and --database (Azure Data Explorer), not both',
      );
    if (!adx && remote.workspaceId === undefined)
      throw new UsageError('--workspace, or --cluster and --database, is required');
    const output = requiredString(values, 'output');
    const step = progress.start('querying');
    const source = openRemoteSource(adx ? 'adx' : 'sentinel', remote, { env: context.env, info }, shard);
    const written = await writeTable(output, source, USER_DAY_SCHEMA);
    step.finish(`${groupThousands(written)} user-days`);
    info(`${describeStats(source.stats)}; ${groupThousands(written)} user-days written to ${output}`);
    report({ output, userDays: written, stats: source.stats });
  },
};
