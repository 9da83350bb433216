/**
 * Growing an isolation forest exactly as docs/forest.md, "Growing tree t", specifies: the oracle the WebAssembly
 * core (`assembly/train.ts`) is held to, node for node.
 */
import { averagePathLength } from './averagePathLength.js';
import { LEAF, maxDepthFor, type Columns, type FlatForest, type Growth } from './forest.js';
import { createRng, type Rng } from './rng.js';

/** One tree before it is concatenated into the forest; `left` indices are local to the tree. */
interface Tree {
  feature: number[];
  threshold: number[];
  left: number[];
  nodeSamples: number[];
  value: number[];
}

/** A node waiting on the stack: its slot in the tree, the rows that reached it and its depth (root = 0). */
interface PendingNode {
  node: number;
  rows: number[];
  depth: number;
}

/** Step 2: the features tree `t` may split on, ascending. */
function treeFeatures(rng: Rng, columns: number, maxFeatures: number): number[] {
  const all = Array.from({ length: columns }, (_, c) => c);
  if (maxFeatures === columns) return all;
  // Partial Fisher-Yates: the first maxFeatures entries become a uniform sample without replacement.
  for (let i = 0; i < maxFeatures; i++) {
    const j = i + rng.nextBelow(columns - i);
    const swap = all[i];
    all[i] = all[j];
    all[j] = swap;
  }
  return all.slice(0, maxFeatures).sort((a, b) => a - b);
}

/** Step 3: the distinct training rows tree `t` is grown on, ascending. */
function treeRows(rng: Rng, rows: number, maxSamples: number, bootstrap: boolean): number[] {
  const chosen = new Set<number>();
  if (bootstrap) {
    for (let draw = 0; draw < maxSamples; draw++) chosen.add(rng.nextBelow(rows));
  } else if (maxSamples === rows) {
    for (let r = 0; r < rows; r++) chosen.add(r);
  } else {
    // Floyd's algorithm: maxSamples distinct rows with exactly maxSamples draws.
    for (let j = rows - maxSamples; j < rows; j++) {
      const r = rng.nextBelow(j + 1);
      chosen.add(chosen.has(r) ? j : r);
    }
  }
  return [...chosen].sort((a, b) => a - b);
}

/**
 * Step 4's split value for a node whose chosen feature spans `[min, max]` (`min < max`), from a draw `u` in `[0, 1)`:
 * `min + (max - min) u` in float64, or `min` when rounding lands on `max` (scikit-learn's fallback), so both children
 * get rows. A zero `min` never takes the fallback, since `u <= 1 - 2^-53` keeps `(max - min) u` below `max`; and
 * `-0 + p` is `+0 + p`, so the sign of a zero minimum, which depends on the order a node's rows are scanned, never
 * reaches the threshold.
 */
export function splitThreshold(min: number, max: number, u: number): number {
  const threshold = min + (max - min) * u;
  return threshold >= max ? min : threshold;
}

/** Step 4: one tree, depth first, left before right; children are allocated in pairs at the next free slots. */
function growTree(x: Columns, features: number[], rows: number[], maxDepth: number, rng: Rng): Tree {
  const tree: Tree = { feature: [], threshold: [], left: [], nodeSamples: [], value: [] };
  const allocate = (samples: number): number => {
    tree.feature.push(LEAF);
    tree.threshold.push(0);
    tree.left.push(LEAF);
    tree.nodeSamples.push(samples);
    tree.value.push(0);
    return tree.feature.length - 1;
  };
  const column = (c: number, r: number): number => x.data[c * x.rows + r];

  const stack: PendingNode[] = [{ node: allocate(rows.length), rows, depth: 0 }];
  while (stack.length > 0) {
    const { node, rows: nodeRows, depth } = stack.pop()!;
    const leafValue = depth + averagePathLength(nodeRows.length);
    if (depth >= maxDepth || nodeRows.length <= 1) {
      tree.value[node] = leafValue;
      continue;
    }
    const candidates: { feature: number; min: number; max: number }[] = [];
    for (const f of features) {
      let min = Infinity;
      let max = -Infinity;
      for (const r of nodeRows) {
        const v = column(f, r);
        if (v < min) min = v;
        if (v > max) max = v;
      }
      if (max > min) candidates.push({ feature: f, min, max });
    }
    if (candidates.length === 0) {
      tree.value[node] = leafValue;
      continue;
    }
    const { feature, min, max } = candidates[rng.nextBelow(candidates.length)];
    const threshold = splitThreshold(min, max, rng.nextDouble());

    const leftRows = nodeRows.filter((r) => column(feature, r) <= threshold);
    const rightRows = nodeRows.filter((r) => column(feature, r) > threshold);
    const leftChild = allocate(leftRows.length);
    allocate(rightRows.length);
    tree.feature[node] = feature;
    tree.threshold[node] = threshold;
    tree.left[node] = leftChild;
    stack.push({ node: leftChild + 1, rows: rightRows, depth: depth + 1 });
    stack.push({ node: leftChild, rows: leftRows, depth: depth + 1 });
  }

  // Children come after their parent, so one backward pass sees both children before the parent.
  for (let node = tree.feature.length - 1; node >= 0; node--) {
    const l = tree.left[node];
    if (l === LEAF) continue;
    const nl = tree.nodeSamples[l];
    const nr = tree.nodeSamples[l + 1];
    tree.value[node] = (nl * tree.value[l] + nr * tree.value[l + 1]) / (nl + nr);
  }
  return tree;
}

const isInt = (v: number, lo: number, hi: number): boolean => Number.isInteger(v) && v >= lo && v <= hi;

/** Throws a RangeError unless `x` holds `rows * columns` values, with at least one row and one column. */
function checkColumns(x: Columns): void {
  if (!isInt(x.rows, 1, 2 ** 31 - 1) || !isInt(x.columns, 1, 2 ** 31 - 1))
    throw new RangeError(`growForest: need at least one row and one column, got ${x.rows} x ${x.columns}`);
  if (x.data.length !== x.rows * x.columns)
    throw new RangeError(
      `growForest: data has ${x.data.length} values, expected rows * columns = ${x.rows * x.columns}`,
    );
}

/** Throws a RangeError unless `growth` describes a forest docs/forest.md can grow on `rows` rows of `columns` features. */
function checkGrowth(rows: number, columns: number, growth: Growth): void {
  if (!isInt(growth.trees, 1, 2 ** 31 - 1)) throw new RangeError(`growForest: trees must be >= 1, got ${growth.trees}`);
  if (!isInt(growth.maxSamples, 1, rows))
    throw new RangeError(`growForest: maxSamples must be an integer in [1, ${rows}], got ${growth.maxSamples}`);
  if (!isInt(growth.maxFeatures, 1, columns))
    throw new RangeError(`growForest: maxFeatures must be an integer in [1, ${columns}], got ${growth.maxFeatures}`);
  if (!isInt(growth.seed, 0, 0xffffffff)) throw new RangeError(`growForest: seed must be a u32, got ${growth.seed}`);
}

/**
 * Grows `growth.trees` isolation trees on the float32 rows of `x` (docs/forest.md, "Growing tree t") and
 * concatenates them into one flat forest with forest-wide `left` indices. Throws a RangeError naming the parameter
 * when a size or the seed is out of the ranges docs/forest.md gives.
 */
export function growForest(x: Columns, growth: Growth): FlatForest {
  checkColumns(x);
  checkGrowth(x.rows, x.columns, growth);
  return growOnRows(x, (row) => row, x.rows, growth);
}

/**
 * Every row that some tree of a forest grown on `rows` rows of `columns` features would be trained on, ascending:
 * steps 1 to 3 of docs/forest.md for each tree, which depend on the row count and the seed but never on the data.
 * At most `trees * maxSamples` rows, so a caller that streams its data can gather just these before growing.
 */
export function trainingRowsOf(rows: number, columns: number, growth: Growth): Int32Array {
  checkGrowth(rows, columns, growth);
  const union = new Set<number>();
  // Once every row is drawn, later trees can add none (a tree drawing all of them, maxSamples = rows, is common).
  for (let t = 0; t < growth.trees && union.size < rows; t++) {
    const rng = createRng(growth.seed, t);
    treeFeatures(rng, columns, growth.maxFeatures);
    for (const row of treeRows(rng, rows, growth.maxSamples, growth.bootstrap)) union.add(row);
  }
  return Int32Array.from(union).sort();
}

/**
 * The forest {@link growForest} grows on a table of `rows` rows, given only the rows it trains on: `sample` holds
 * the rows `sampleRows` (ascending, as {@link trainingRowsOf} returns them) of that table, in that order. The
 * forest is the one `growForest` grows on the whole table, node for node: a tree reads only its own rows.
 */
export function growForestOnSample(sample: Columns, sampleRows: Int32Array, rows: number, growth: Growth): FlatForest {
  checkColumns(sample);
  checkGrowth(rows, sample.columns, growth);
  if (sampleRows.length !== sample.rows)
    throw new RangeError(`growForestOnSample: ${sampleRows.length} row numbers for ${sample.rows} rows`);
  const local = (row: number): number => {
    // Binary search: the sample's rows are ascending, and every row a tree draws is among them.
    let lo = 0;
    let hi = sampleRows.length - 1;
    while (lo <= hi) {
      const mid = (lo + hi) >>> 1;
      if (sampleRows[mid] < row) lo = mid + 1;
      else if (sampleRows[mid] > row) hi = mid - 1;
      else return mid;
    }
    throw new RangeError(`growForestOnSample: row ${row} is drawn but not in the sample`);
  };
  return growOnRows(sample, local, rows, growth);
}

/** Grows every tree, drawing among `rows` rows and reading row `r` of the table at row `localRow(r)` of `x`. */
function growOnRows(x: Columns, localRow: (row: number) => number, rows: number, growth: Growth): FlatForest {
  const maxDepth = maxDepthFor(growth.maxSamples);
  const trees: Tree[] = [];
  for (let t = 0; t < growth.trees; t++) {
    const rng = createRng(growth.seed, t);
    const features = treeFeatures(rng, x.columns, growth.maxFeatures);
    // Mapping ascending table rows to ascending sample rows keeps their order: the tree is the same.
    const drawn = treeRows(rng, rows, growth.maxSamples, growth.bootstrap).map(localRow);
    trees.push(growTree(x, features, drawn, maxDepth, rng));
  }

  const nodes = trees.reduce((sum, tree) => sum + tree.feature.length, 0);
  const forest: FlatForest = {
    treeOffsets: new Int32Array(trees.length + 1),
    feature: new Int32Array(nodes),
    threshold: new Float64Array(nodes),
    left: new Int32Array(nodes),
    nodeSamples: new Int32Array(nodes),
    value: new Float64Array(nodes),
  };
  let offset = 0;
  trees.forEach((tree, t) => {
    forest.treeOffsets[t] = offset;
    forest.feature.set(tree.feature, offset);
    forest.threshold.set(tree.threshold, offset);
    forest.left.set(
      tree.left.map((l) => (l === LEAF ? LEAF : l + offset)),
      offset,
    );
    forest.nodeSamples.set(tree.nodeSamples, offset);
    forest.value.set(tree.value, offset);
    offset += tree.feature.length;
  });
  forest.treeOffsets[trees.length] = offset;
  return forest;
}
