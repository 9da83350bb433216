import { IngestError } from '../errors.js';
import { createLogonDayAggregator, type LogonDayOptions } from '../logonDay.js';
import { makeSource, type UserDaySource } from '../source.js';
import { countFiltered, countRejected, createStats, type IngestStats } from '../stats.js';
import { appendRows, DEFAULT_BATCH_ROWS, flushBatch, UserDayBatchBuilder } from '../userDayBatch.js';
import type { UserDay } from '../schema.js';
import type { LogonEvent, RecordLocation } from '../logonEvent.js';
import { normalizeEventRecord } from './normalize.js';

/** Options of the raw-event to user-day path. */
export interface EventAggregationOptions extends LogonDayOptions {
  /** Skip and count malformed records instead of throwing an `IngestError` on the first; default false. */
  lenient?: boolean;
  /** Rows per emitted batch; default 65,536. */
  batchRows?: number;
}

/** A flat event record and where it was read. */
export interface LocatedRecord {
  readonly record: Record<string, unknown>;
  readonly where: RecordLocation;
}

/**
 * Records a reader knows it could not read (e.g. those of a corrupt `.evtx` chunk), so that they are counted as
 * read and rejected rather than lost silently.
 */
export interface LostRecords {
  /** How many records were lost; at least 1 (a loss of unknown size counts as 1 and its message says so). */
  readonly lost: number;
  /** One line naming the file and the place in it, and what was wrong. */
  readonly message: string;
}

/** What a raw-event reader hands to the aggregation: a record, or a report of records it lost. */
export type EventStreamItem = LocatedRecord | LostRecords;

/** The finished user-days as batches of at most `batchRows` rows (no larger than needed for a small result). */
function* emit(userDays: UserDay[], stats: IngestStats, batchRows: number) {
  const builder = new UserDayBatchBuilder(Math.max(1, Math.min(batchRows, userDays.length)));
  yield* appendRows(builder, userDays, stats);
  yield* flushBatch(builder, stats);
}

/**
 * Aggregates normalised logon events to user-days exactly as the notebook's KQL (see `../logonDay.ts`).
 * `stats.rowsRead` counts events in, `filtered` the events each KQL filter dropped, `rowsOut` the user-days.
 * The batches come after the last event has been read (a user-day is complete only then), sorted by
 * Date, DstDomain, DstUser, LogonTypeName.
 */
export function aggregateLogonEvents(
  events: AsyncIterable<LogonEvent>,
  options: EventAggregationOptions = {},
): UserDaySource {
  const stats = createStats();
  return makeSource(stats, async function* () {
    const aggregator = createLogonDayAggregator(stats, options);
    for await (const event of events) {
      stats.rowsRead += 1;
      aggregator.add(event);
    }
    yield* emit(aggregator.userDays(), stats, options.batchRows ?? DEFAULT_BATCH_ROWS);
  });
}

/**
 * Normalises flat event records (`normalizeEventRecord`) and aggregates them to user-days. `stats.rowsRead`
 * counts records; records from other logs are counted under `filtered.channel`; malformed Security records throw
 * an `IngestError` naming file, row and field, or with `lenient` are counted in `rowsRejected`. Records a reader
 * reports as lost (`LostRecords`) are counted in `rowsRead` and `rowsRejected`, their message in `firstErrors`,
 * in strict mode too: the reader has already recovered from them.
 */
export function userDaysFromRecords(
  records: AsyncIterable<EventStreamItem>,
  options: EventAggregationOptions = {},
): UserDaySource {
  const stats = createStats();
  return makeSource(stats, async function* () {
    const aggregator = createLogonDayAggregator(stats, options);
    for await (const item of records) {
      if ('lost' in item) {
        stats.rowsRead += item.lost;
        countRejected(stats, item.message, item.lost);
        continue;
      }
      const { record, where } = item;
      stats.rowsRead += 1;
      const result = normalizeEventRecord(record, where);
      if (result.kind === 'event') aggregator.add(result.event);
      else if (result.kind === 'skipped') countFiltered(stats, result.rule);
      else if (options.lenient) countRejected(stats, result.message);
      else throw new IngestError(where.file, where.row, result.field, result.problem);
    }
    yield* emit(aggregator.userDays(), stats, options.batchRows ?? DEFAULT_BATCH_ROWS);
  });
}
