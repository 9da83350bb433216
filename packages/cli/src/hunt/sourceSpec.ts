import {
  createCredential,
  listEventFiles,
  readAdx,
  readLogAnalytics,
  readRawEventFiles,
  readUserDayArrow,
  readUserDayCsv,
  readUserDayParquet,
  type UserDaySource,
  type UserShard,
} from '@isoforest/ingest';
import { UsageError } from '../command.js';
import { inputLine, sliceLine, type SentinelSettings } from '../commands/sentinel.js';
import { DEMO_DATA_CSV } from '../demoData.js';

/** What `--source` names, parsed. */
export type SourceSpec =
  | { readonly kind: 'demo' }
  | { readonly kind: 'csv' | 'events' | 'arrow' | 'parquet'; readonly path: string }
  | { readonly kind: 'sentinel' | 'adx' };

const KINDS = ['demo', 'csv', 'events', 'arrow', 'parquet', 'sentinel', 'adx'] as const;
const WITHOUT_PATH = new Set(['demo', 'sentinel', 'adx']);

/** Parses `demo`, `csv:PATH`, `events:PATH`, `arrow:PATH`, `parquet:PATH`, `sentinel` or `adx`. */
export function parseSourceSpec(text: string): SourceSpec {
  const colon = text.indexOf(':');
  const kind = colon < 0 ? text : text.slice(0, colon);
  const path = colon < 0 ? '' : text.slice(colon + 1);
  if (kind === 'demo' || kind === 'sentinel' || kind === 'adx') {
    if (path !== '') throw new UsageError(`--source ${kind} takes no path`);
    return { kind };
  }
  if (kind === 'csv' || kind === 'events' || kind === 'arrow' || kind === 'parquet') {
    if (path === '') throw new UsageError(`--source ${kind} needs a path: ${kind}:PATH`);
    return { kind, path };
  }
  throw new UsageError(
    `--source must be one of ${KINDS.map((k) => (WITHOUT_PATH.has(k) ? k : `${k}:PATH`)).join(', ')}`,
  );
}

/**
 * The remote source the settings name: Azure Data Explorer with `adx`, else Log Analytics; with a `shard`, only that
 * shard's users, chosen inside the query (`userShardKql`).
 */
export function openRemoteSource(
  kind: 'sentinel' | 'adx',
  remote: SentinelSettings,
  context: { env: NodeJS.ProcessEnv; info: (line: string) => void },
  shard?: UserShard,
): UserDaySource {
  if (kind === 'adx') {
    if (!remote.cluster || !remote.database) throw new UsageError('--source adx needs --cluster URL and --database DB');
    if (remote.endpoint !== undefined) {
      throw new UsageError(
        "--endpoint is for Log Analytics; an Azure Data Explorer cluster's URL already names its cloud (--cluster)",
      );
    }
  } else if (!remote.workspaceId) {
    throw new UsageError('--source sentinel needs --workspace ID');
  }
  const common = {
    table: remote.table,
    lookbackDays: remote.days,
    shard,
    credential: createCredential(remote.credential, context.env),
    onProgress: (report: Parameters<typeof sliceLine>[0]) => context.info(sliceLine(report)),
  };
  return kind === 'adx'
    ? readAdx({ ...common, cluster: remote.cluster!, database: remote.database! })
    : readLogAnalytics({ ...common, workspaceId: remote.workspaceId!, endpoint: remote.endpoint });
}

/** Opens the user-day source a spec names; `lenient` skips and counts bad rows of CSV and event files. */
export async function openSource(
  spec: SourceSpec,
  remote: SentinelSettings,
  context: { env: NodeJS.ProcessEnv; info: (line: string) => void },
  lenient = false,
): Promise<UserDaySource> {
  switch (spec.kind) {
    case 'demo':
      return readUserDayCsv(DEMO_DATA_CSV, { label: 'demo data' });
    case 'csv':
      return readUserDayCsv(spec.path, { lenient });
    case 'arrow':
      return readUserDayArrow(spec.path);
    case 'parquet':
      return readUserDayParquet(spec.path);
    case 'events':
      return readRawEventFiles(await listEventFiles([spec.path]), {
        lenient,
        onInput: (report) => context.info(inputLine(report)),
      });
    case 'sentinel':
    case 'adx':
      return openRemoteSource(spec.kind, remote, context);
  }
}
