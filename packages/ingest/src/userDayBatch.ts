import { type RecordBatch, vectorFromArray, Utf8, type Data, type Table } from 'apache-arrow';
import { structBatch, valuesData } from '@isoforest/common/arrow';
import { MS_PER_DAY, USER_DAY_COLUMNS, USER_DAY_SCHEMA, type UserDay, type UserDayTypeMap } from './schema.js';
import type { IngestStats } from './stats.js';

/** Rows per emitted record batch unless a source is told otherwise. */
export const DEFAULT_BATCH_ROWS = 65_536;

/**
 * Collects user-day rows column by column and turns them into one `RecordBatch` of `USER_DAY_SCHEMA`.
 * Numbers go straight into typed arrays (no per-cell Arrow builder), strings into a Utf8 vector at the end.
 */
export class UserDayBatchBuilder {
  private readonly capacity: number;
  private days: Int32Array;
  private readonly numbers = new Map<string, Float64Array>();
  private readonly times = new Map<string, BigInt64Array>();
  private readonly strings = new Map<string, string[]>();
  private rows = 0;

  constructor(capacity = DEFAULT_BATCH_ROWS) {
    this.capacity = capacity;
    this.days = new Int32Array(capacity);
    this.reset();
  }

  /** Rows collected since the last `finish()`. */
  get length(): number {
    return this.rows;
  }

  /** True when the batch holds `capacity` rows and should be finished. */
  get full(): boolean {
    return this.rows >= this.capacity;
  }

  /** Appends one row; `row.Date` must be a UTC midnight; times are truncated to the millisecond. */
  push(row: UserDay): void {
    const i = this.rows++;
    this.days[i] = Math.floor(row.Date / MS_PER_DAY);
    for (const c of USER_DAY_COLUMNS) {
      if (c.kind === 'count') this.numbers.get(c.name)![i] = row[c.name] as number;
      else if (c.kind === 'timestamp') this.times.get(c.name)![i] = BigInt(Math.floor(row[c.name] as number));
      else if (c.kind === 'string') this.strings.get(c.name)!.push(row[c.name] as string);
    }
  }

  /** Returns the collected rows as a batch and starts a new, empty one. */
  finish(): RecordBatch<UserDayTypeMap> {
    const n = this.rows;
    const children: Data[] = USER_DAY_COLUMNS.map((c, k) => {
      const type = USER_DAY_SCHEMA.fields[k]!.type;
      switch (c.kind) {
        case 'date':
          return valuesData(type, this.days.subarray(0, n));
        case 'count':
          return valuesData(type, this.numbers.get(c.name)!.subarray(0, n));
        case 'timestamp':
          return valuesData(type, this.times.get(c.name)!.subarray(0, n));
        case 'string':
          return vectorFromArray(this.strings.get(c.name)!, new Utf8()).data[0]!;
      }
    });
    const batch = structBatch(USER_DAY_SCHEMA, children, n);
    this.reset();
    return batch;
  }

  private reset(): void {
    // Fresh arrays: the finished batch keeps views on the old ones.
    this.rows = 0;
    this.days = new Int32Array(this.capacity);
    for (const c of USER_DAY_COLUMNS) {
      if (c.kind === 'count') this.numbers.set(c.name, new Float64Array(this.capacity));
      else if (c.kind === 'timestamp') this.times.set(c.name, new BigInt64Array(this.capacity));
      else if (c.kind === 'string') this.strings.set(c.name, []);
    }
  }
}

/** The rows `builder` holds as a batch, counted in `stats.rowsOut`; the builder starts a new one. */
export function takeBatch(builder: UserDayBatchBuilder, stats: IngestStats): RecordBatch<UserDayTypeMap> {
  stats.rowsOut += builder.length;
  return builder.finish();
}

/**
 * Appends `rows` to `builder`, yielding each batch as soon as it is full (counted in `stats.rowsOut`). The rows left
 * in the builder are for {@link flushBatch}, so that a source can append several runs of rows to one builder.
 */
export function* appendRows(
  builder: UserDayBatchBuilder,
  rows: Iterable<UserDay>,
  stats: IngestStats,
): Generator<RecordBatch<UserDayTypeMap>> {
  for (const row of rows) {
    builder.push(row);
    if (builder.full) yield takeBatch(builder, stats);
  }
}

/** The rows `builder` still holds, as a last batch (counted in `stats.rowsOut`); nothing when it is empty. */
export function* flushBatch(builder: UserDayBatchBuilder, stats: IngestStats): Generator<RecordBatch<UserDayTypeMap>> {
  if (builder.length > 0) yield takeBatch(builder, stats);
}

/**
 * Reads the rows of a user-day batch or table back as plain objects (times and `Date` in ms since the epoch, UTC).
 * Meant for tests and small tables; large consumers should read the columns.
 */
export function toUserDays(data: RecordBatch<UserDayTypeMap> | Table<UserDayTypeMap>): UserDay[] {
  const columns = USER_DAY_COLUMNS.map((c) => {
    const vector = data.getChild(c.name);
    if (vector === null) throw new Error(`missing user-day column ${c.name}`);
    return vector;
  });
  const out: UserDay[] = [];
  for (let i = 0; i < data.numRows; i++) {
    const row = {} as Record<string, unknown>;
    USER_DAY_COLUMNS.forEach((c, k) => {
      row[c.name] = columns[k]!.get(i);
    });
    out.push(row as unknown as UserDay);
  }
  return out;
}
