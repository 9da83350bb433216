// Scoring: the mean path length of every row over a packed forest; the plain-TypeScript twin is
// packages/reference/src/score.ts. Rows are taken in blocks and the block is walked tree by tree, so a tree stays in
// cache while it is used; within a block, eight rows walk a tree in lockstep so
// their loads overlap (eight independent chains measured 30% faster than four; sixteen gained nothing).
//
// Packed forest, written by the host (packages/core/src/wasm/packedForest.ts):
//   nodes:  16 bytes per node: i32 column byte offset in the row block (feature * block stride * 4),
//           f32 threshold32 (the largest float32 not above the float64 threshold), i32 left child byte offset
//           (left * 16), i32 unused. A leaf has column 0, threshold32 +Infinity and left = its own offset: a leaf
//           steps to itself, so every row of a tree takes the same number of steps and the walk has no branches.
//   values: f64 per node, the node's value (only leaves are read).
//   trees:  8 bytes per tree: i32 root byte offset, i32 the tree's depth (its deepest leaf).

/** Rows per block, walked tree by tree: the block's columns and sums stay in L2 while every tree passes over them. */
const BLOCK_ROWS: i32 = 1024;

// One step down: `x <= threshold32` goes left, else right (left + 1 node = 16 bytes further).
@inline
function step(nodes: usize, node: i32, row: usize): i32 {
  const at = nodes + <usize>node;
  const column = load<i32>(at);
  const threshold = load<f32>(at, 4);
  const left = load<i32>(at, 8);
  return left + (<i32>(load<f32>(row + <usize>column) > threshold) << 4);
}

/**
 * For rows [0, rows) of the column-major float32 block at `x` (columns `stride` rows apart, as baked into the
 * packed column offsets), writes the mean path length over `treeCount` trees to `out` (f64 per row). Rows are taken
 * eight at a time: `x` and `out` must have room for `rows` rounded up to a multiple of 8, and the extra rows' results
 * are meaningless.
 */
export function meanPathLengths(
  nodes: usize, values: usize, trees: usize, treeCount: i32, x: usize, rows: i32, out: usize,
): void {
  const padded = (rows + 7) & ~7;
  const trees64 = <f64>treeCount;
  for (let start = 0; start < padded; start += BLOCK_ROWS) {
    const end = min(start + BLOCK_ROWS, padded);
    for (let r = start; r < end; r++) store<f64>(out + (<usize>r << 3), 0.0);
    for (let t = 0; t < treeCount; t++) {
      const root = load<i32>(trees + (<usize>t << 3));
      const depth = load<i32>(trees + (<usize>t << 3), 4);
      for (let r = start; r < end; r += 8) {
        const row = x + (<usize>r << 2);
        let n0 = root;
        let n1 = root;
        let n2 = root;
        let n3 = root;
        let n4 = root;
        let n5 = root;
        let n6 = root;
        let n7 = root;
        for (let d = 0; d < depth; d++) {
          n0 = step(nodes, n0, row);
          n1 = step(nodes, n1, row + 4);
          n2 = step(nodes, n2, row + 8);
          n3 = step(nodes, n3, row + 12);
          n4 = step(nodes, n4, row + 16);
          n5 = step(nodes, n5, row + 20);
          n6 = step(nodes, n6, row + 24);
          n7 = step(nodes, n7, row + 28);
        }
        // Sums in tree order, in float64: the reference adds in the same order, so the means agree to the bit.
        const sum = out + (<usize>r << 3);
        store<f64>(sum, load<f64>(sum) + load<f64>(values + (<usize>n0 >> 1)));
        store<f64>(sum, load<f64>(sum, 8) + load<f64>(values + (<usize>n1 >> 1)), 8);
        store<f64>(sum, load<f64>(sum, 16) + load<f64>(values + (<usize>n2 >> 1)), 16);
        store<f64>(sum, load<f64>(sum, 24) + load<f64>(values + (<usize>n3 >> 1)), 24);
        store<f64>(sum, load<f64>(sum, 32) + load<f64>(values + (<usize>n4 >> 1)), 32);
        store<f64>(sum, load<f64>(sum, 40) + load<f64>(values + (<usize>n5 >> 1)), 40);
        store<f64>(sum, load<f64>(sum, 48) + load<f64>(values + (<usize>n6 >> 1)), 48);
        store<f64>(sum, load<f64>(sum, 56) + load<f64>(values + (<usize>n7 >> 1)), 56);
      }
    }
    for (let r = start; r < end; r++) {
      const at = out + (<usize>r << 3);
      store<f64>(at, load<f64>(at) / trees64);
    }
  }
}
