import { Table, type RecordBatch } from 'apache-arrow';
import { USER_DAY_SCHEMA, type UserDayTypeMap } from './schema.js';
import type { IngestStats } from './stats.js';

/**
 * A stream of user-day record batches (all of `USER_DAY_SCHEMA`) with the counts of what was read and dropped.
 * `stats` is updated while the batches are consumed and is final once iteration ends.
 * A source can be iterated once.
 */
export interface UserDaySource extends AsyncIterable<RecordBatch<UserDayTypeMap>> {
  readonly stats: IngestStats;
}

/** Wraps an async generator of batches and the stats object it updates into a `UserDaySource`. */
export function makeSource(
  stats: IngestStats,
  batches: () => AsyncGenerator<RecordBatch<UserDayTypeMap>>,
): UserDaySource {
  return {
    stats,
    [Symbol.asyncIterator]: () => batches(),
  };
}

/**
 * Drains a source into one Arrow table of `USER_DAY_SCHEMA` (possibly zero rows). The source's `stats` are final
 * when the promise resolves.
 */
export async function readAll(source: UserDaySource): Promise<Table<UserDayTypeMap>> {
  const batches: RecordBatch<UserDayTypeMap>[] = [];
  for await (const batch of source) {
    if (batch.numRows > 0) batches.push(batch);
  }
  return batches.length > 0 ? new Table(batches) : new Table(USER_DAY_SCHEMA);
}
