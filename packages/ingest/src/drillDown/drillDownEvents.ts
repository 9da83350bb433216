import { IngestError } from '../errors.js';
import type { EventStreamItem } from '../events/aggregate.js';
import { normalizeEventRecord } from '../events/normalize.js';
import { DEFAULT_LOGON_TYPE } from '../logonDay.js';
import { countFiltered, countRejected, createStats, type IngestStats } from '../stats.js';
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

/**
 * The drill-down of one user-day from raw event records (`readEventRecords` of files, folders, archives or
 * `.evtx` logs): one pass, memory bounded by the number of distinct values, not events. Malformed records stop
 * the read with an `IngestError` naming file, row and field, or are counted with `lenient`; records a reader lost
 * (a damaged `.evtx` chunk) are counted as rejected.
 */
export async function drillDownEventRecords(
  records: AsyncIterable<EventStreamItem>,
  key: UserDayKey,
  options: DrillDownOptions = {},
): Promise<DrillDownResult> {
  const logonType = options.logonType ?? DEFAULT_LOGON_TYPE;
  const builder = new UserDayDrillDownBuilder(key, logonType);
  const stats = createStats();
  for await (const item of records) {
    if ('lost' in item) {
      stats.rowsRead += item.lost;
      countRejected(stats, item.message, item.lost);
      continue;
    }
    stats.rowsRead += 1;
    const result = normalizeEventRecord(item.record, item.where);
    if (result.kind === 'skipped') countFiltered(stats, result.rule);
    else if (result.kind === 'rejected') {
      if (!options.lenient) throw new IngestError(item.where.file, item.where.row, result.field, result.problem);
      countRejected(stats, result.message);
    } else if (!matchesUserDay(result.event, key, logonType)) countFiltered(stats, 'otherUserDay');
    else {
      stats.rowsKept += 1;
      const { event } = result;
      builder.add({ ...event, count: 1, firstMs: event.timeMs, lastMs: event.timeMs });
    }
  }
  return { drillDown: builder.result(), stats };
}
