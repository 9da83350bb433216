/** A mean over seeds with its spread. */
export interface MeanStd {
  readonly mean: number;
  /** Population standard deviation (numpy's default, ddof = 0); 0 for a single value. */
  readonly std: number;
}

/** Mean and population standard deviation of at least one value. */
export function meanStd(values: readonly number[]): MeanStd {
  const n = values.length;
  if (n === 0) throw new RangeError('meanStd of no values');
  const mean = values.reduce((sum, v) => sum + v, 0) / n;
  const variance = values.reduce((sum, v) => sum + (v - mean) ** 2, 0) / n;
  return { mean, std: Math.sqrt(variance) };
}

/** The median of at least one value (the mean of the two middle ones for an even count). */
export function median(values: readonly number[]): number {
  const n = values.length;
  if (n === 0) throw new RangeError('median of no values');
  const sorted = [...values].sort((a, b) => a - b);
  const middle = n >> 1;
  return n % 2 === 1 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2;
}
