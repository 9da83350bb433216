import type { RecordBatch, Table, Vector } from 'apache-arrow';
import { meanColumn, stdColumn, ZSCORE_SOURCES, zscoreColumn } from './featureList.js';
import { appendFeatures, perUserColumn, zscoresOf } from './featureTable.js';
import type { GroupStatistics } from './groupStatistics.js';
import { resultRowsOf } from './successfulLogonFilter.js';
import { SUCCESSFUL_LOGONS } from './userDayColumns.js';

/**
 * One record batch of a user-day table with what its features are made of (its counts and each row's user) and the
 * per-user statistics of the whole table: gives the whole feature table ({@link table}), or only the columns a
 * model reads ({@link column}), each computed as {@link buildFeatureTable} computes it.
 */
export class BatchFeatures {
  private readonly zscores = new Map<string, Float64Array>();

  constructor(
    private readonly batch: Table | RecordBatch,
    /** Per count of {@link ZSCORE_SOURCES}, its values in the batch's rows (checked: finite, non-negative). */
    private readonly counts: readonly Float64Array[],
    /** Each row's user. */
    private readonly groupOf: Int32Array,
    /** Per count of {@link ZSCORE_SOURCES}, its per-user mean and standard deviation. */
    private readonly statistics: readonly GroupStatistics[],
  ) {}

  /** Rows of the batch. */
  get numRows(): number {
    return this.batch.numRows;
  }

  /** The rows the notebook keeps in its results, as {@link rowsWithSuccessfulLogons} finds them in the table. */
  resultRows(): Int32Array {
    return resultRowsOf(this.counts[ZSCORE_SOURCES.indexOf(SUCCESSFUL_LOGONS)]);
  }

  /**
   * The feature table's column `name`, as a model reads it: a z-score (plain float64), a per-user mean or standard
   * deviation (dictionary-encoded, as in the table), or a column of the input; `null` when there is none.
   */
  column(name: string): Float64Array | Vector | null {
    for (const [k, source] of ZSCORE_SOURCES.entries()) {
      if (name === zscoreColumn(source)) {
        let zscore = this.zscores.get(name);
        if (zscore === undefined) {
          zscore = zscoresOf(this.counts[k], this.groupOf, this.statistics[k]);
          this.zscores.set(name, zscore);
        }
        return zscore;
      }
      if (name === meanColumn(source)) return perUserColumn(this.groupOf, this.statistics[k].mean);
      if (name === stdColumn(source)) return perUserColumn(this.groupOf, this.statistics[k].std);
    }
    return this.batch.getChild(name);
  }

  /** The batch with every feature column appended: the rows of {@link buildFeatureTable}'s table. */
  table(): Table {
    return appendFeatures(this.batch, this.counts, this.groupOf, this.statistics);
  }
}
