import type { RecordBatch, Table } from 'apache-arrow';
import { BatchFeatures } from './batchFeatures.js';
import { readCountColumn, requireColumn } from './countColumn.js';
import { FeatureError } from './errors.js';
import { ZSCORE_SOURCES, zscoreColumn } from './featureList.js';
import { rejectDerivedColumns, zscoresOf } from './featureTable.js';
import { RunningGroupStatistics, type GroupStatistics } from './groupStatistics.js';
import { RowUsers } from './rowUsers.js';
import { UserGrouper } from './userGroups.js';

/**
 * The first pass of a streamed hunt: feed it a user-day table's record batches in order, then `finish()` gives the
 * per-user statistics {@link buildFeatureTable} computes over the whole table, to the bit. Memory grows with the
 * distinct users (their keys and five float64 per count), and by 4 bytes a row: each row's user, which later reads
 * of the table take instead of looking the user up again ({@link RowUsers}).
 */
export class UserStatisticsBuilder {
  private readonly grouper = new UserGrouper();
  private readonly running = ZSCORE_SOURCES.map(() => new RunningGroupStatistics());
  private readonly rowUsers = new RowUsers();

  /** Adds the table's next rows. Throws a {@link FeatureError} naming the row (counted over all batches). */
  add(batch: Table | RecordBatch): void {
    rejectDerivedColumns(batch);
    const firstRow = this.rowUsers.rows;
    const counts = ZSCORE_SOURCES.map((source) => readCountColumn(batch, source, 'reject', firstRow));
    const groupOf = this.grouper.groupOf(batch, firstRow);
    counts.forEach((values, k) => this.running[k].add(values, groupOf, this.grouper.groups));
    this.rowUsers.append(groupOf);
  }

  finish(): UserStatistics {
    return new UserStatistics(
      this.grouper,
      this.rowUsers,
      this.running.map((running) => running.finish()),
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
    /** Each row's user, as the first read found it. */
    private readonly rowUsers: RowUsers,
    /** Per count of {@link ZSCORE_SOURCES}, its per-user mean and standard deviation. */
    readonly statistics: readonly GroupStatistics[],
  ) {}

  /** Rows of the table. */
  get rows(): number {
    return this.rowUsers.rows;
  }

  /** Distinct (DstDomain, DstUser) users. */
  get users(): number {
    return this.grouper.groups;
  }

  /**
   * The features of the batch, whose first row is row `firstRow` of the table. Throws a {@link FeatureError} for a
   * bad count, or a row past the table's or of another user than the statistics' first read found there: the table
   * changed since they were made.
   */
  features(batch: Table | RecordBatch, firstRow: number): BatchFeatures {
    const counts = ZSCORE_SOURCES.map((source) => readCountColumn(batch, source, 'reject', firstRow));
    return new BatchFeatures(batch, counts, this.groupOf(batch, firstRow), this.statistics);
  }

  /** The batch, whose first row is row `firstRow` of the table, with the feature columns appended (see {@link features}). */
  featureBatch(batch: Table | RecordBatch, firstRow: number): Table {
    return this.features(batch, firstRow).table();
  }

  /**
   * The values of the feature columns `names` (z-scores or input columns) at the batch's rows `rows` (0-based in
   * the batch, ascending), one array per name: what a model reads of a few rows, without computing the features of
   * the others. Throws as {@link features} does, and for a null value.
   */
  featureRows(
    batch: Table | RecordBatch,
    firstRow: number,
    rows: ArrayLike<number>,
    names: readonly string[],
  ): Float64Array[] {
    const counts = ZSCORE_SOURCES.map((source) => readCountColumn(batch, source, 'reject', firstRow));
    const groupOf = this.groupOf(batch, firstRow, rows);
    return names.map((name) => {
      const k = ZSCORE_SOURCES.findIndex((source) => name === zscoreColumn(source));
      if (k >= 0) {
        const values = counts[k];
        return zscoresOf(
          Float64Array.from(rows, (row) => values[row]),
          groupOf,
          this.statistics[k],
        );
      }
      const column = requireColumn(batch, name);
      const out = new Float64Array(rows.length);
      for (let i = 0; i < rows.length; i++) {
        const value = column.get(rows[i]);
        if (value === null) {
          const row = firstRow + rows[i];
          throw new FeatureError(`column ${name}, row ${row}: value is null`, { column: name, row });
        }
        out[i] = Number(value);
      }
      return out;
    });
  }

  /** The users of the batch's rows `rows` (default all), checked against the first read's (see {@link features}). */
  private groupOf(batch: Table | RecordBatch, firstRow: number, rows?: ArrayLike<number>): Int32Array {
    const known = this.rowUsers.range(firstRow, batch.numRows);
    if (known === null) {
      throw new FeatureError(
        `rows ${firstRow} to ${firstRow + batch.numRows - 1} reach past the ${this.rows} rows of the first read of the input: the input changed while it was read`,
        { row: this.rows },
      );
    }
    return this.grouper.knownGroupOf(batch, firstRow, known, rows);
  }
}
