import { IngestError } from '../errors.js';
import type { EventStreamItem } from '../events/aggregate.js';
import { normalizeEventRecord } from '../events/normalize.js';
import { DEFAULT_LOGON_TYPE } from '../windows.js';
import { countFiltered, countRejected, createStats, type IngestStats } from '../stats.js';
import { utcDayStart } from '../timeFormats.js';
import { matchesUserDay, UserDayDrillDownBuilder, type UserDayDrillDown, type UserDayKey } from './userDayDrillDown.js';

/** Options of a drill-down over raw event records. */
export interface DrillDownOptions {
  /** The logon type looked at; default 3 (network), as the hunt. */
  readonly logonType?: number;
  /** Skip and count malformed records instead of stopping at the first; default false. */
  readonly lenient?: boolean;
}

/** A drill-down and what reading its records did. */
export interface DrillDownResult {
  readonly drillDown: UserDayDrillDown;
  /**
   * `rowsRead` records read, `rowsKept` those of the user-day, `filtered.otherUserDay` the rest, `filtered.channel`
   * those of other logs, `rowsRejected` malformed or lost ones (messages in `firstErrors`).
   */
  readonly stats: IngestStats;
}

/** Drill-downs of several user-days, in the order of their keys, and what reading their records did. */
export interface DrillDownsResult {
  readonly drillDowns: readonly UserDayDrillDown[];
  readonly stats: IngestStats;
}

/** `Date|domain|user` ignoring letter case, as `matchesUserDay` compares accounts. */
function lookupKey(dayMs: number, domain: string, user: string): string {
  return `${dayMs}\u0000${domain.toLowerCase()}\u0000${user.toLowerCase()}`;
}

/**
 * The drill-downs of user-days from raw event records (`readEventRecords` of files, folders, archives or `.evtx`
 * logs), all in one pass: the report of a hunt drills into every flagged user-day at the cost of one more read.
 * Memory is bounded by the number of distinct values per user-day, not by events. Malformed records stop the
 * read with an `IngestError` naming file, row and field, or are counted with `lenient`; records a reader lost (a
 * damaged `.evtx` chunk) are counted as rejected. `stats.rowsKept` counts the events of any of the user-days,
 * `filtered.otherUserDay` the others.
 */
export async function drillDownEventRecordsMany(
  records: AsyncIterable<EventStreamItem>,
  keys: readonly UserDayKey[],
  options: DrillDownOptions = {},
): Promise<DrillDownsResult> {
  const logonType = options.logonType ?? DEFAULT_LOGON_TYPE;
  const builders = keys.map((key) => new UserDayDrillDownBuilder(key, logonType));
  const byKey = new Map(keys.map((key, k) => [lookupKey(key.dayMs, key.domain, key.user), builders[k]!]));
  const stats = createStats();
  for await (const item of records) {
    if ('lost' in item) {
      stats.rowsRead += item.lost;
      countRejected(stats, item.message, item.lost);
      continue;
    }
    stats.rowsRead += 1;
    const result = normalizeEventRecord(item.record, item.where);
    if (result.kind === 'skipped') {
      countFiltered(stats, result.rule);
      continue;
    }
    if (result.kind === 'rejected') {
      if (!options.lenient) throw new IngestError(item.where.file, item.where.row, result.field, result.problem);
      countRejected(stats, result.message);
      continue;
    }
    const { event } = result;
    const builder = byKey.get(lookupKey(utcDayStart(event.timeMs), event.targetDomainName, event.targetUserName));
    if (builder === undefined || !matchesUserDay(event, builder.key, logonType)) {
      countFiltered(stats, 'otherUserDay');
      continue;
    }
    stats.rowsKept += 1;
    builder.add({ ...event, count: 1, firstMs: event.timeMs, lastMs: event.timeMs });
  }
  return { drillDowns: builders.map((b) => b.result()), stats };
}

/** The drill-down of one user-day from raw event records; see `drillDownEventRecordsMany`. */
export async function drillDownEventRecords(
  records: AsyncIterable<EventStreamItem>,
  key: UserDayKey,
  options: DrillDownOptions = {},
): Promise<DrillDownResult> {
  const { drillDowns, stats } = await drillDownEventRecordsMany(records, [key], options);
  return { drillDown: drillDowns[0]!, stats };
}
