/**
 * Test-only oracle: exact Shapley values by enumerating every subset of features, written independently of
 * Algorithm 2. The value of a coalition S is the path-dependent conditional expectation of the forest's output:
 * at a node splitting on a feature in S the row's own branch is followed, otherwise the two children are averaged
 * with their `nodeSamples` as weights. Exponential in the number of features, so only for small models.
 */
import type { FlatForest } from '../src/forest.js';

/** Path-dependent expectation of one tree below `node`, knowing only the features whose bit is set in `known`. */
function conditionalValue(forest: FlatForest, node: number, row: (feature: number) => number, known: number): number {
  const feature = forest.feature[node];
  if (feature < 0) return forest.value[node];
  const left = forest.left[node];
  if ((known >> feature) & 1) {
    return conditionalValue(forest, row(feature) <= forest.threshold[node] ? left : left + 1, row, known);
  }
  const nLeft = forest.nodeSamples[left];
  const nRight = forest.nodeSamples[left + 1];
  return (
    (nLeft * conditionalValue(forest, left, row, known) + nRight * conditionalValue(forest, left + 1, row, known)) /
    (nLeft + nRight)
  );
}

/** `k! (n - k - 1)! / n!`: the Shapley weight of a coalition of size k among n players. */
function shapleyWeight(k: number, n: number): number {
  let w = 1 / n;
  // k! (n-1-k)! / (n-1)! = 1 / binomial(n-1, k)
  for (let i = 1; i <= k; i++) w *= i / (n - i);
  return w;
}

/**
 * Shapley values of the forest's mean output for one row (`row(c)` returns column c), one per feature in
 * `[0, features)`, by enumerating all 2^features coalitions.
 */
export function bruteForceShap(forest: FlatForest, row: (feature: number) => number, features: number): Float64Array {
  if (features > 12) throw new Error(`bruteForceShap: ${features} features is too many to enumerate`);
  const trees = forest.treeOffsets.length - 1;
  const coalitions = 1 << features;
  const v = new Float64Array(coalitions);
  for (let known = 0; known < coalitions; known++) {
    let sum = 0;
    for (let t = 0; t < trees; t++) sum += conditionalValue(forest, forest.treeOffsets[t], row, known);
    v[known] = sum / trees;
  }
  const phi = new Float64Array(features);
  for (let i = 0; i < features; i++) {
    for (let known = 0; known < coalitions; known++) {
      if ((known >> i) & 1) continue;
      let size = 0;
      for (let b = known; b !== 0; b &= b - 1) size++;
      phi[i] += shapleyWeight(size, features) * (v[known | (1 << i)] - v[known]);
    }
  }
  return phi;
}
