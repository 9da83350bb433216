import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { mulberry32 } from '@isoforest/common';
import {
  averagePathLength,
  createRng,
  growForest,
  growForestOnSample,
  trainingRowsOf,
  LEAF,
  maxDepthFor,
  treeCount,
  type Columns,
  type FlatForest,
  type Growth,
} from '../src/index.js';
import { splitThreshold } from '../src/train.js';

/** Column-major data from a generator of (row, column) values, rounded to float32. */
function columns(rows: number, cols: number, value: (r: number, c: number) => number): Columns {
  const data = new Float32Array(rows * cols);
  for (let c = 0; c < cols; c++) for (let r = 0; r < rows; r++) data[c * rows + r] = value(r, c);
  return { data, rows, columns: cols };
}

/** Depth of every node, from a forward pass over each tree. */
function depths(forest: FlatForest): Int32Array {
  const depth = new Int32Array(forest.feature.length);
  for (let node = 0; node < forest.feature.length; node++) {
    const l = forest.left[node];
    if (l !== LEAF) depth[l] = depth[l + 1] = depth[node] + 1;
  }
  return depth;
}

/** The leaf each training row reaches in tree `t`, counted per node (every node on the path). */
function arrivals(forest: FlatForest, x: Columns, t: number): Int32Array {
  const counts = new Int32Array(forest.feature.length);
  for (let r = 0; r < x.rows; r++) {
    let node = forest.treeOffsets[t];
    counts[node]++;
    while (forest.feature[node] !== LEAF) {
      const v = x.data[forest.feature[node] * x.rows + r];
      node = v <= forest.threshold[node] ? forest.left[node] : forest.left[node] + 1;
      counts[node]++;
    }
  }
  return counts;
}

const rand = mulberry32(11);
const blobs = columns(300, 4, (r, c) => (c === 3 ? 5 : Math.round(rand() * 40) / 4 + (r % 3) * c));
const cases: [string, Growth][] = [
  ['all rows', { trees: 6, maxSamples: 300, maxFeatures: 4, bootstrap: false, seed: 1 }],
  ['subsample', { trees: 6, maxSamples: 64, maxFeatures: 4, bootstrap: false, seed: 2 }],
  ['feature subset', { trees: 6, maxSamples: 100, maxFeatures: 2, bootstrap: false, seed: 3 }],
  ['bootstrap', { trees: 6, maxSamples: 200, maxFeatures: 3, bootstrap: true, seed: 4 }],
];

describe.each(cases)('growForest invariants: %s', (_name, growth) => {
  const forest = growForest(blobs, growth);
  const depth = depths(forest);
  const maxDepth = maxDepthFor(growth.maxSamples);

  it('has one tree per requested tree, with contiguous node ranges', () => {
    expect(treeCount(forest)).toBe(growth.trees);
    expect(forest.treeOffsets[0]).toBe(0);
    expect(forest.treeOffsets[growth.trees]).toBe(forest.feature.length);
    for (const field of [forest.threshold, forest.left, forest.nodeSamples, forest.value]) {
      expect(field.length).toBe(forest.feature.length);
    }
  });

  it('puts children after their parent, adjacent, inside the tree', () => {
    for (let t = 0; t < growth.trees; t++) {
      const end = forest.treeOffsets[t + 1];
      for (let node = forest.treeOffsets[t]; node < end; node++) {
        const l = forest.left[node];
        if (forest.feature[node] === LEAF) {
          expect(l).toBe(LEAF);
          expect(forest.threshold[node]).toBe(0);
        } else {
          expect(l).toBeGreaterThan(node);
          expect(l + 1).toBeLessThan(end);
          expect(forest.feature[node]).toBeGreaterThanOrEqual(0);
          expect(forest.feature[node]).toBeLessThan(blobs.columns);
        }
      }
    }
  });

  it('stays within maxDepth', () => {
    expect(Math.max(...depth)).toBeLessThanOrEqual(maxDepth);
  });

  it('gives leaves depth + c(nodeSamples) and internal nodes the weighted mean of their children', () => {
    for (let node = 0; node < forest.feature.length; node++) {
      const l = forest.left[node];
      if (l === LEAF) {
        expect(forest.value[node]).toBe(depth[node] + averagePathLength(forest.nodeSamples[node]));
      } else {
        const [nl, nr] = [forest.nodeSamples[l], forest.nodeSamples[l + 1]];
        expect(forest.value[node]).toBeCloseTo((nl * forest.value[l] + nr * forest.value[l + 1]) / (nl + nr), 12);
      }
    }
  });

  it("splits every node's samples between its two children, both non-empty", () => {
    for (let node = 0; node < forest.feature.length; node++) {
      const l = forest.left[node];
      if (l === LEAF) continue;
      expect(forest.nodeSamples[l] + forest.nodeSamples[l + 1]).toBe(forest.nodeSamples[node]);
      expect(forest.nodeSamples[l]).toBeGreaterThan(0);
      expect(forest.nodeSamples[l + 1]).toBeGreaterThan(0);
    }
  });

  it('roots hold the distinct sampled rows', () => {
    for (let t = 0; t < growth.trees; t++) {
      const root = forest.nodeSamples[forest.treeOffsets[t]];
      if (!growth.bootstrap) {
        expect(root).toBe(growth.maxSamples);
        continue;
      }
      // Replay the draws: no feature shuffle happens when maxFeatures = F, else it comes first.
      const rng = createRng(growth.seed, t);
      for (let i = 0; i < growth.maxFeatures && growth.maxFeatures < blobs.columns; i++)
        rng.nextBelow(blobs.columns - i);
      const drawn = new Set<number>();
      for (let d = 0; d < growth.maxSamples; d++) drawn.add(rng.nextBelow(blobs.rows));
      expect(root).toBe(drawn.size);
      expect(root).toBeLessThan(growth.maxSamples);
    }
  });

  it('never splits on a constant column', () => {
    for (let node = 0; node < forest.feature.length; node++) {
      expect(forest.feature[node]).not.toBe(3); // column 3 is constant
    }
  });
});

describe('growForest on every row', () => {
  it('routes each training row to exactly the nodes whose nodeSamples count it', () => {
    const growth: Growth = { trees: 4, maxSamples: blobs.rows, maxFeatures: 4, bootstrap: false, seed: 99 };
    const forest = growForest(blobs, growth);
    for (let t = 0; t < growth.trees; t++) {
      const counts = arrivals(forest, blobs, t);
      for (let node = forest.treeOffsets[t]; node < forest.treeOffsets[t + 1]; node++) {
        expect(counts[node]).toBe(forest.nodeSamples[node]);
      }
    }
  });

  it('is deterministic in the seed and changes with it', () => {
    const growth: Growth = { trees: 3, maxSamples: 50, maxFeatures: 3, bootstrap: false, seed: 5 };
    expect(growForest(blobs, growth)).toEqual(growForest(blobs, growth));
    expect(growForest(blobs, { ...growth, seed: 6 }).threshold).not.toEqual(growForest(blobs, growth).threshold);
  });

  it('makes a single leaf of a constant input', () => {
    const flat = columns(20, 2, () => 1.5);
    const forest = growForest(flat, { trees: 2, maxSamples: 20, maxFeatures: 2, bootstrap: false, seed: 0 });
    expect(Array.from(forest.treeOffsets)).toEqual([0, 1, 2]);
    expect(forest.value[0]).toBe(averagePathLength(20));
  });

  it('rejects parameters outside docs/forest.md ranges', () => {
    const growth: Growth = { trees: 1, maxSamples: 10, maxFeatures: 1, bootstrap: false, seed: 0 };
    expect(() => growForest(blobs, { ...growth, maxSamples: 301 })).toThrow(/maxSamples/);
    expect(() => growForest(blobs, { ...growth, maxFeatures: 5 })).toThrow(/maxFeatures/);
    expect(() => growForest(blobs, { ...growth, trees: 0 })).toThrow(/trees/);
    expect(() => growForest(blobs, { ...growth, seed: -1 })).toThrow(/seed/);
  });
});

describe('splitThreshold', () => {
  /** The largest nextDouble(): (2^27 - 1) 2^26 + (2^26 - 1), over 2^53. */
  const LARGEST_DRAW = (2 ** 53 - 1) / 2 ** 53;
  const positiveFloat32 = fc.float({ min: 2 ** -149, max: 3.4028234663852886e38, noNaN: true });

  it('is min + (max - min) u, and falls back to min where rounding lands on max', () => {
    expect(splitThreshold(1, 3, 0.25)).toBe(1.5);
    expect(splitThreshold(-4, 4, 0)).toBe(-4);
    // 2^33 and the next float32 up, 2^33 + 2^10: the largest draw rounds 2^33 + 2^10 (1 - 2^-53) up to max.
    expect(2 ** 33 + 2 ** 10 * LARGEST_DRAW).toBe(2 ** 33 + 2 ** 10);
    expect(splitThreshold(2 ** 33, 2 ** 33 + 2 ** 10, LARGEST_DRAW)).toBe(2 ** 33);
  });

  it('never falls back from a zero minimum, and ignores its sign, so no -0 threshold depends on the scan order', () => {
    const edges = [2 ** -149, 2 ** -126, 1, 1.5, 2 ** 127, 3.4028234663852886e38];
    for (const max of edges) {
      expect(splitThreshold(-0, max, LARGEST_DRAW)).toBeLessThan(max);
      expect(splitThreshold(0, max, LARGEST_DRAW)).toBeLessThan(max);
    }
    fc.assert(
      fc.property(positiveFloat32, fc.double({ min: 0, max: LARGEST_DRAW, noNaN: true }), (max, u) => {
        const fromMinusZero = splitThreshold(-0, max, u);
        expect(fromMinusZero).toBeLessThan(max);
        expect(Object.is(fromMinusZero, splitThreshold(0, max, u))).toBe(true);
        expect(Object.is(fromMinusZero, -0)).toBe(false);
      }),
      { numRuns: 5000 },
    );
  });
});

describe.each(cases)('growForestOnSample: %s', (_name, growth) => {
  it('grows, from only the rows trainingRowsOf names, the forest growForest grows on every row', () => {
    const rows = trainingRowsOf(blobs.rows, blobs.columns, growth);
    expect(rows.length).toBeLessThanOrEqual(Math.min(blobs.rows, growth.trees * growth.maxSamples));
    for (let k = 1; k < rows.length; k++) expect(rows[k]).toBeGreaterThan(rows[k - 1]);
    const sample = columns(rows.length, blobs.columns, (r, c) => blobs.data[c * blobs.rows + rows[r]]);
    expect(growForestOnSample(sample, rows, blobs.rows, growth)).toEqual(growForest(blobs, growth));
  });
});

it('growForestOnSample refuses a sample that lacks a drawn row', () => {
  const growth: Growth = { trees: 3, maxSamples: 64, maxFeatures: 4, bootstrap: false, seed: 2 };
  const rows = trainingRowsOf(blobs.rows, blobs.columns, growth).slice(1);
  const sample = columns(rows.length, blobs.columns, (r, c) => blobs.data[c * blobs.rows + rows[r]]);
  expect(() => growForestOnSample(sample, rows, blobs.rows, growth)).toThrow(/is drawn but not in the sample/);
});
