/**
 * The `q`-quantile (the `100 q`-th percentile) of `values` with numpy's default ("linear") interpolation, as
 * scikit-learn uses it for `offset_` when `contamination` is a number, and tinybench for its percentiles: sorted
 * values `s`, position `p = (n - 1) q`, `i = floor(p)`, result `s[i] + (s[i + 1] - s[i]) (p - i)`, or `s[i]` when
 * `i = n - 1`. Same units as `values`.
 *
 * The two order statistics are selected rather than sorted for (linear time: a hunt takes the percentile of
 * millions of scores); the result is the sorted computation's, bit for bit.
 *
 * @param values at least one finite number; not modified.
 * @param q the quantile in `[0, 1]` (0.01 is the 1st percentile).
 */
export function linearQuantile(values: ArrayLike<number>, q: number): number {
  const n = values.length;
  if (n === 0) throw new RangeError('linearQuantile of no values');
  if (!(q >= 0 && q <= 1)) throw new RangeError(`quantile ${q} is outside [0, 1]`);
  const copy = Float64Array.from(values);
  const position = (n - 1) * q;
  const i = Math.min(Math.floor(position), n - 1);
  // Selection compares with `<`, which tells neither -0 from 0 nor NaN from anything: such values are sorted.
  const select = !copy.some((v) => Number.isNaN(v) || Object.is(v, -0));
  if (select) selectNth(copy, i);
  else copy.sort();
  if (i === n - 1) return copy[i];
  // After a selection the next order statistic is the least value after position i.
  let next = copy[i + 1];
  if (select) for (let k = i + 2; k < n; k++) if (copy[k] < next) next = copy[k];
  return copy[i] + (next - copy[i]) * (position - i);
}

/**
 * Reorders `a` so that `a[k]` is the value a sort would put there, every value before it no greater and every value
 * after it no smaller (Hoare's selection, median-of-three pivots; a range still large after twice the rounds a
 * balanced split would need is sorted, so hostile orders cost O(n log n) at most).
 */
function selectNth(a: Float64Array, k: number): void {
  let lo = 0;
  let hi = a.length - 1;
  let rounds = 2 * Math.ceil(Math.log2(a.length + 1));
  while (hi > lo) {
    if (rounds-- === 0) {
      a.subarray(lo, hi + 1).sort();
      return;
    }
    const mid = lo + ((hi - lo) >> 1);
    // Median of three to a[mid], with a[lo] <= a[mid] <= a[hi].
    if (a[mid] < a[lo]) swap(a, mid, lo);
    if (a[hi] < a[lo]) swap(a, hi, lo);
    if (a[hi] < a[mid]) swap(a, hi, mid);
    const pivot = a[mid];
    let i = lo;
    let j = hi;
    while (i <= j) {
      while (a[i] < pivot) i++;
      while (pivot < a[j]) j--;
      if (i <= j) swap(a, i++, j--);
    }
    // Now a[lo..j] <= pivot <= a[i..hi], and a[j+1..i-1] (if any) equal the pivot.
    if (k <= j) hi = j;
    else if (k >= i) lo = i;
    else return;
  }
}

function swap(a: Float64Array, i: number, j: number): void {
  const t = a[i];
  a[i] = a[j];
  a[j] = t;
}
