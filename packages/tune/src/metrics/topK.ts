import { TuneError } from '../errors.js';
import { checkSameLength } from './ranks.js';

/**
 * The rows of the `k` largest `values`, largest first; equal values are taken in ascending row order, so the
 * result is deterministic. Throws TuneError unless `k` is an integer in [1, values.length].
 */
export function topKIndices(values: ArrayLike<number>, k: number): Int32Array {
  checkK(k, values.length);
  const order = new Int32Array(values.length);
  for (let i = 0; i < order.length; i++) order[i] = i;
  order.sort((a, b) => values[b] - values[a] || a - b);
  return order.slice(0, k);
}

/**
 * `|top_k(a) ∩ top_k(b)| / k`: the share of the `k` highest-scoring rows (see {@link topKIndices}) two score
 * vectors agree on. In [0, 1]; 1 when both put the same rows on top (in any order).
 */
export function topKOverlap(a: ArrayLike<number>, b: ArrayLike<number>, k: number): number {
  checkSameLength('topKOverlap', a, b);
  const inA = new Set(topKIndices(a, k));
  let shared = 0;
  for (const row of topKIndices(b, k)) if (inA.has(row)) shared++;
  return shared / k;
}

function checkK(k: number, rows: number): void {
  if (!Number.isInteger(k) || k < 1 || k > rows) {
    throw new TuneError(`topK ${k} is not a whole number from 1 to the ${rows} rows`, { option: 'topK' });
  }
}
