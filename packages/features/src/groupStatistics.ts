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
  const count = new Float64Array(groups);
  const sum = new Float64Array(groups);
  const compensation = new Float64Array(groups);
  const runningMean = new Float64Array(groups);
  const squaredDeviations = new Float64Array(groups);
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
  const mean = new Float64Array(groups);
  const std = new Float64Array(groups);
  for (let g = 0; g < groups; g++) {
    mean[g] = sum[g] / count[g];
    std[g] = count[g] > 1 ? Math.sqrt(squaredDeviations[g] / (count[g] - 1)) : NaN;
  }
  return { mean, std };
}
