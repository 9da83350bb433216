/**
 * The engine's guards on what it is handed: a shape that matches its data, and a forest whose arrays span its
 * trees. The core trusts both to stay inside its memory, so they are checked here, as one-line RangeErrors that
 * name the engine method (`caller`), the tree and the node.
 */
import type { Float32Columns } from '../engine.js';
import { treeCount, type FlatForest } from '../forest.js';

/** Throws unless `x` is `rows x columns` (at least one column) and `data` holds exactly that many values. */
export function checkColumns(x: Float32Columns, caller: string): void {
  if (!Number.isInteger(x.rows) || x.rows < 0 || !Number.isInteger(x.columns) || x.columns < 1) {
    throw new RangeError(`${caller}: invalid shape ${x.rows} x ${x.columns}`);
  }
  if (x.data.length !== x.rows * x.columns) {
    throw new RangeError(
      `${caller}: data has ${x.data.length} values, expected rows * columns = ${x.rows * x.columns}`,
    );
  }
}

/**
 * Throws unless the forest has at least one tree, every node array is as long as `feature`, and `treeOffsets`
 * starts at 0, ends at the node count and gives every tree at least one node. Per-node checks (children after
 * their parent and inside the tree) are left to the loop that lays the forest out, which visits every node anyway.
 */
export function checkForestSpan(forest: FlatForest, caller: string): void {
  const { treeOffsets, feature } = forest;
  const nodes = feature.length;
  const trees = treeCount(forest);
  if (trees < 1) throw new RangeError(`${caller}: forest has no trees`);
  for (const field of ['threshold', 'left', 'nodeSamples', 'value'] as const) {
    if (forest[field].length !== nodes) {
      throw new RangeError(`${caller}: forest ${field} has ${forest[field].length} entries, feature has ${nodes}`);
    }
  }
  if (treeOffsets[0] !== 0 || treeOffsets[trees] !== nodes) {
    throw new RangeError(
      `${caller}: forest treeOffsets run from ${treeOffsets[0]} to ${treeOffsets[trees]}, not 0 to ${nodes}`,
    );
  }
  for (let t = 0; t < trees; t++) {
    if (!(treeOffsets[t] < treeOffsets[t + 1])) throw new RangeError(`${caller}: forest tree ${t} has no nodes`);
  }
}
