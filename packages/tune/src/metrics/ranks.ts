import { TuneError } from '../errors.js';

/**
 * 1-based ranks of `values` in ascending order, tied values sharing the mean of the ranks they span (scipy's
 * `rankdata(method="average")`): `[10, 20, 20, 30]` ranks `[1, 2.5, 2.5, 4]`. Throws TuneError on a NaN, which
 * has no place in an order.
 */
export function averageRanks(values: ArrayLike<number>): Float64Array {
  const n = values.length;
  for (let i = 0; i < n; i++) {
    if (Number.isNaN(values[i])) throw new TuneError(`cannot rank NaN (at index ${i})`, { row: i });
  }
  const order = ascendingOrder(values);
  const ranks = new Float64Array(n);
  let start = 0;
  while (start < n) {
    let end = start + 1;
    while (end < n && values[order[end]] === values[order[start]]) end++;
    // Positions start..end-1 (0-based) hold ranks start+1..end; their mean is (start + 1 + end) / 2.
    const shared = (start + 1 + end) / 2;
    for (let i = start; i < end; i++) ranks[order[i]] = shared;
    start = end;
  }
  return ranks;
}

/** Indices of `values` sorted by ascending value, equal values by ascending index. */
export function ascendingOrder(values: ArrayLike<number>): Int32Array {
  const order = new Int32Array(values.length);
  for (let i = 0; i < order.length; i++) order[i] = i;
  return order.sort((a, b) => values[a] - values[b] || a - b);
}

/** Throws TuneError unless `a` and `b` have the same, non-zero length. */
export function checkSameLength(what: string, a: ArrayLike<unknown>, b: ArrayLike<unknown>): void {
  if (a.length !== b.length) throw new TuneError(`${what}: the two vectors have ${a.length} and ${b.length} values`);
  if (a.length === 0) throw new TuneError(`${what}: the vectors are empty`);
}
