/** Per-group mean and sample standard deviation of one column. */
export interface GroupStatistics {
  /** `mean[g]`: arithmetic mean of the group's values. */
  readonly mean: Float64Array;
  /** `std[g]`: sample standard deviation (ddof = 1) of the group's values; NaN for a group of one row. */
  readonly std: Float64Array;
}

/**
 * Mean and sample standard deviation per group, with pandas' own algorithms so that the results agree to the last
 * bits: a Kahan-compensated sum for the mean (pandas `group_mean`) and Welford's running update for the variance
 * (pandas `group_var`), both in row order. Welford gives exactly 0 for a constant group, where a two-pass variance
 * could leave rounding noise that would flip the zero-std rule.
 */
export function groupMeanAndStd(values: Float64Array, groupOf: Int32Array, groups: number): GroupStatistics {
  const running = new RunningGroupStatistics(groups);
  running.add(values, groupOf, groups);
  return running.finish();
}

/**
 * {@link groupMeanAndStd} over rows that arrive in batches: feeding the batches in row order gives the same bits as
 * one call over all the rows, since every group's sums are updated row by row in the same order. Holds five
 * float64 per group, whatever the number of rows.
 */
export class RunningGroupStatistics {
  private count: Float64Array;
  private sum: Float64Array;
  private compensation: Float64Array;
  private runningMean: Float64Array;
  private squaredDeviations: Float64Array;
  private groups = 0;

  constructor(capacity = 1024) {
    const size = Math.max(1, capacity);
    this.count = new Float64Array(size);
    this.sum = new Float64Array(size);
    this.compensation = new Float64Array(size);
    this.runningMean = new Float64Array(size);
    this.squaredDeviations = new Float64Array(size);
  }

  /** Adds the next rows: `values[i]` belongs to group `groupOf[i]`, every id below `groups`. */
  add(values: Float64Array, groupOf: Int32Array, groups: number): void {
    this.reserve(groups);
    const { count, sum, compensation, runningMean, squaredDeviations } = this;
    for (let row = 0; row < values.length; row++) {
      const g = groupOf[row];
      const value = values[row];
      const n = ++count[g];
      const y = value - compensation[g];
      const t = sum[g] + y;
      compensation[g] = t - sum[g] - y;
      sum[g] = t;
      const previousMean = runningMean[g];
      runningMean[g] += (value - previousMean) / n;
      squaredDeviations[g] += (value - runningMean[g]) * (value - previousMean);
    }
  }

  /** The mean and standard deviation of every group seen so far. */
  finish(): GroupStatistics {
    const { groups, count, sum, squaredDeviations } = this;
    const mean = new Float64Array(groups);
    const std = new Float64Array(groups);
    for (let g = 0; g < groups; g++) {
      mean[g] = sum[g] / count[g];
      std[g] = count[g] > 1 ? Math.sqrt(squaredDeviations[g] / (count[g] - 1)) : NaN;
    }
    return { mean, std };
  }

  private reserve(groups: number): void {
    this.groups = Math.max(this.groups, groups);
    if (groups <= this.count.length) return;
    const size = Math.max(groups, 2 * this.count.length);
    const grow = (old: Float64Array) => {
      const grown = new Float64Array(size);
      grown.set(old);
      return grown;
    };
    this.count = grow(this.count);
    this.sum = grow(this.sum);
    this.compensation = grow(this.compensation);
    this.runningMean = grow(this.runningMean);
    this.squaredDeviations = grow(this.squaredDeviations);
  }
}
