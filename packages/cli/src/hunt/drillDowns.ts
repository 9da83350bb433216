import type { HuntResult } from '@isoforest/hunt';
import {
  createCredential,
  drillDownEventRecordsMany,
  drillDownLogAnalytics,
  listEventFiles,
  parseUtcDate,
  readEventRecords,
  type UserDayDrillDown,
  type UserDayKey,
} from '@isoforest/ingest';
import { userDayView } from '@isoforest/hunt';
import type { SentinelSettings } from '../commands/sentinel.js';
import type { SourceSpec } from './sourceSpec.js';

/** Flagged user-days drilled into for the report, most anomalous first; the rest are in `investigate`'s reach. */
export const MAX_DRILLDOWNS = 50;

/**
 * The raw logons behind the hunt's flagged user-days, for the report, when the source holds raw events: one more
 * pass over event files, or one summarizing query per user-day to Sentinel. Undefined for sources of aggregated
 * user-days, which have no events to show.
 */
export async function huntDrillDowns(
  spec: SourceSpec,
  result: HuntResult,
  sentinel: SentinelSettings,
  env: NodeJS.ProcessEnv,
  lenient: boolean,
): Promise<UserDayDrillDown[] | undefined> {
  if (spec.kind !== 'events' && spec.kind !== 'sentinel') return undefined;
  const keys: UserDayKey[] = Array.from(result.ranking.filter((row) => result.scores.predict[row] === -1).subarray(0, MAX_DRILLDOWNS), (row) => {
    const view = userDayView(result, row);
    return { domain: view.domain, user: view.user, dayMs: parseUtcDate(view.date)! };
  });
  if (keys.length === 0) return undefined;
  if (spec.kind === 'events') {
    const files = await listEventFiles([spec.path]);
    return [...(await drillDownEventRecordsMany(readEventRecords(files), keys, { lenient })).drillDowns];
  }
  const credential = createCredential(sentinel.credential, env);
  const drillDowns: UserDayDrillDown[] = [];
  for (const key of keys) drillDowns.push(await drillDownLogAnalytics({ workspaceId: sentinel.workspaceId!, key, credential }));
  return drillDowns;
}
