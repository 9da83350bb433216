// The flat forest of docs/forest.md as the core grows and reads it; the plain-TypeScript twin is
// packages/reference/src/forest.ts.

/** The `feature` and `left` of a leaf. */
export const LEAF: i32 = -1;

/** maxDepth = ceil(log2(max(maxSamples, 2))), on integers: the smallest d with 2^d >= max(maxSamples, 2). */
export function maxDepthFor(maxSamples: i32): i32 {
  const target = max(maxSamples, 2);
  let depth = 0;
  while ((<i64>1 << depth) < <i64>target) depth++;
  return depth;
}
