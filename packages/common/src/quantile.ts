/**
 * The `q`-quantile (the `100 q`-th percentile) of `values` with numpy's default ("linear") interpolation, as
 * scikit-learn uses it for `offset_` when `contamination` is a number, and tinybench for its percentiles: sorted
 * values `s`, position `p = (n - 1) q`, `i = floor(p)`, result `s[i] + (s[i + 1] - s[i]) (p - i)`, or `s[i]` when
 * `i = n - 1`. Same units as `values`.
 *
 * @param values at least one finite number; not modified.
 * @param q the quantile in `[0, 1]` (0.01 is the 1st percentile).
 */
export function linearQuantile(values: ArrayLike<number>, q: number): number {
  const n = values.length;
  if (n === 0) throw new RangeError('linearQuantile of no values');
  if (!(q >= 0 && q <= 1)) throw new RangeError(`quantile ${q} is outside [0, 1]`);
  const sorted = Float64Array.from(values).sort();
  const position = (n - 1) * q;
  const i = Math.floor(position);
  if (i >= n - 1) return sorted[n - 1];
  return sorted[i] + (sorted[i + 1] - sorted[i]) * (position - i);
}
