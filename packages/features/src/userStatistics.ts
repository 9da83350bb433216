import type { RecordBatch, Table } from 'apache-arrow';
import { readCountColumn } from './countColumn.js';
import { FeatureError } from './errors.js';
import { ZSCORE_SOURCES } from './featureList.js';
import { appendFeatures, rejectDerivedColumns } from './featureTable.js';
import { RunningGroupStatistics, type GroupStatistics } from './groupStatistics.js';
import { UserGrouper } from './userGroups.js';

/**
 * The first pass of a streamed hunt: feed it a user-day table's record batches in order, then `finish()` gives the
 * per-user statistics {@link buildFeatureTable} computes over the whole table, to the bit. Memory grows with the
 * distinct users (their keys and five float64 per count), not with the rows.
 */
export class UserStatisticsBuilder {
  private readonly grouper = new UserGrouper();
  private readonly running = ZSCORE_SOURCES.map(() => new RunningGroupStatistics());
  private rows = 0;

  /** Adds the table's next rows. Throws a {@link FeatureError} naming the row (counted over all batches). */
  add(batch: Table | RecordBatch): void {
    rejectDerivedColumns(batch);
    const counts = ZSCORE_SOURCES.map((source) => readCountColumn(batch, source, 'reject', this.rows));
    const groupOf = this.grouper.groupOf(batch, this.rows);
    counts.forEach((values, k) => this.running[k].add(values, groupOf, this.grouper.groups));
    this.rows += batch.numRows;
  }

  finish(): UserStatistics {
    return new UserStatistics(
      this.grouper,
      this.running.map((running) => running.finish()),
      this.rows,
    );
  }
}

/**
 * Per-user statistics of a whole user-day table: appends the feature columns to any batch of the same table, as
 * {@link buildFeatureTable} computes them on the whole.
 */
export class UserStatistics {
  constructor(
    private readonly grouper: UserGrouper,
    /** Per count of {@link ZSCORE_SOURCES}, its per-user mean and standard deviation. */
    readonly statistics: readonly GroupStatistics[],
    /** Rows of the table. */
    readonly rows: number,
  ) {}

  /** Distinct (DstDomain, DstUser) users. */
  get users(): number {
    return this.grouper.groups;
  }

  /**
   * The batch, whose first row is row `firstRow` of the table, with the feature columns appended. Throws a
   * {@link FeatureError} when it holds a user the statistics have not seen: the table changed since they were made.
   */
  featureBatch(batch: Table | RecordBatch, firstRow: number): Table {
    const counts = ZSCORE_SOURCES.map((source) => readCountColumn(batch, source, 'reject', firstRow));
    const users = this.grouper.groups;
    const groupOf = this.grouper.groupOf(batch, firstRow);
    if (this.grouper.groups !== users) {
      throw new FeatureError(
        `rows ${firstRow} to ${firstRow + batch.numRows - 1} hold a user the first read of the input did not: the input changed while it was read`,
      );
    }
    return appendFeatures(batch, counts, groupOf, this.statistics);
  }
}
