import type { HuntResult } from '@isoforest/hunt';
import {
  createCredential,
  drillDownAdx,
  drillDownEventRecordsMany,
  drillDownLogAnalytics,
  listEventFiles,
  parseUtcDate,
  readEventRecords,
  type UserDayDrillDown,
  type UserDayKey,
} from '@isoforest/ingest';
import { userDayView } from '@isoforest/hunt';
import { UsageError } from '../command.js';
import type { SentinelSettings } from '../commands/sentinel.js';
import type { SourceSpec } from './sourceSpec.js';

/** Flagged user-days drilled into for the report, most anomalous first; the rest are in `investigate`'s reach. */
export const MAX_DRILLDOWNS = 50;

/**
 * The raw logons behind the hunt's flagged user-days, for the report, when the source holds raw events: one more
 * pass over event files, or one summarizing query per user-day to Sentinel or ADX. Undefined for sources of
 * aggregated user-days, which have no events to show, and for remote tables other than `SecurityEvent`.
 */
export async function huntDrillDowns(
  spec: SourceSpec,
  result: HuntResult,
  sentinel: SentinelSettings,
  env: NodeJS.ProcessEnv,
  lenient: boolean,
): Promise<UserDayDrillDown[] | undefined> {
  if (spec.kind !== 'events' && spec.kind !== 'sentinel' && spec.kind !== 'adx') return undefined;
  const keys: UserDayKey[] = Array.from(
    result.ranking.filter((row) => result.scores.predict[row] === -1).subarray(0, MAX_DRILLDOWNS),
    (row) => {
      const view = userDayView(result, row);
      return { domain: view.domain, user: view.user, dayMs: parseUtcDate(view.date)! };
    },
  );
  if (keys.length === 0) return undefined;
  if (spec.kind === 'events') {
    const files = await listEventFiles([spec.path]);
    return [...(await drillDownEventRecordsMany(readEventRecords(files), keys, { lenient })).drillDowns];
  }
  if (sentinel.table !== 'SecurityEvent') return undefined;
  const drillDowns: UserDayDrillDown[] = [];
  for (const key of keys) drillDowns.push(await drillDownRemote(spec.kind, sentinel, key, env));
  return drillDowns;
}

/**
 * One user-day's drill-down from Sentinel's `SecurityEvent` table, in a Log Analytics workspace or an Azure Data
 * Explorer database (the drill-down reads the table's raw columns, which only `SecurityEvent` has as such).
 */
export function drillDownRemote(
  kind: 'sentinel' | 'adx',
  remote: SentinelSettings,
  key: UserDayKey,
  env: NodeJS.ProcessEnv,
): Promise<UserDayDrillDown> {
  if (remote.table !== 'SecurityEvent')
    throw new UsageError('the drill-down reads the SecurityEvent table (--table SecurityEvent)');
  const credential = createCredential(remote.credential, env);
  if (kind === 'adx') {
    if (!remote.cluster || !remote.database) throw new UsageError('--source adx needs --cluster URL and --database DB');
    return drillDownAdx({ cluster: remote.cluster, database: remote.database, key, credential });
  }
  if (!remote.workspaceId) throw new UsageError('--source sentinel needs --workspace ID');
  return drillDownLogAnalytics({ workspaceId: remote.workspaceId, endpoint: remote.endpoint, key, credential });
}
