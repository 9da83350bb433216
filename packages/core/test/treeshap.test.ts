import {
  averagePathLength,
  growForest,
  meanPathLength,
  treeShap as referenceTreeShap,
  treeShapExpectedValue,
} from '@isoforest/reference';
import { beforeAll, describe, expect, it } from 'vitest';
import { mulberry32 } from '@isoforest/common';
import type { Float32Columns } from '../src/engine.js';
import type { FlatForest } from '../src/forest.js';
import { createIsoforest } from '../src/isoforest.js';
import { loadEngine, type WasmEngine } from '../src/wasm/index.js';
import { MAX_SHAP_TREE_DEPTH, treeShapInCore, type TreeShapAlgorithm } from '../src/wasm/treeshap.js';
import { bruteForceShap } from './bruteforce.js';
import { goldenCaseNames, readGoldenCase } from './support/golden.js';

/** Against shap 0.43 and the brute-force oracle: the same exact quantity, summed in another order. */
const EXACT = 1e-9;
/** WASM Algorithm 2 against the reference Algorithm 2: the same operations in the same order. */
const SAME_ALGORITHM = 1e-12;

let engine: WasmEngine;
beforeAll(async () => {
  engine = await loadEngine();
});

function wasmShap(forest: FlatForest, x: Float32Columns, algorithm: TreeShapAlgorithm): Float64Array {
  return treeShapInCore(engine.claimMemory(), forest, x, algorithm);
}

function maxAbsDiff(actual: ArrayLike<number>, expected: ArrayLike<number>): number {
  expect(actual.length).toBe(expected.length);
  let max = 0;
  for (let i = 0; i < actual.length; i++) max = Math.max(max, Math.abs(actual[i] - expected[i]));
  return max;
}

/** Largest |sum over features + expectedValue - meanPathLength| over the rows. */
function localAccuracyError(shap: Float64Array, forest: FlatForest, x: Float32Columns): number {
  const pathLength = meanPathLength(forest, x);
  const base = treeShapExpectedValue(forest);
  let max = 0;
  for (let r = 0; r < x.rows; r++) {
    let sum = base;
    for (let c = 0; c < x.columns; c++) sum += shap[c * x.rows + r];
    max = Math.max(max, Math.abs(sum - pathLength[r]));
  }
  return max;
}

describe.each(goldenCaseNames())('golden case %s', (name) => {
  let forest: FlatForest;
  let x: Float32Columns;
  let expected: Float64Array;
  let expectedValue: number;
  let reference: Float64Array;
  beforeAll(() => {
    const golden = readGoldenCase(name);
    forest = createIsoforest(engine).importSklearn(golden.modelJson).forest;
    const rows = golden.x.rows;
    const columns = golden.x.names.length;
    const data = new Float32Array(rows * columns);
    golden.x.names.forEach((column, c) => data.set(golden.x.columns[column], c * rows));
    x = { data, rows, columns };
    expected = new Float64Array(rows * columns);
    golden.expected.shap_values.forEach((row, r) => row.forEach((v, c) => (expected[c * rows + r] = v)));
    expectedValue = golden.expected.shap_expected_value;
    reference = referenceTreeShap(forest, x);
  });

  it("reference Algorithm 2 matches shap 0.43's values and expected value", () => {
    expect(maxAbsDiff(reference, expected)).toBeLessThanOrEqual(EXACT);
    expect(Math.abs(treeShapExpectedValue(forest) - expectedValue)).toBeLessThanOrEqual(EXACT);
    expect(localAccuracyError(reference, forest, x)).toBeLessThanOrEqual(EXACT);
  });

  it('WASM Algorithm 2 matches the reference', () => {
    expect(maxAbsDiff(wasmShap(forest, x, 'algorithm2'), reference)).toBeLessThanOrEqual(SAME_ALGORITHM);
  });

  it('WASM fast variant (the engine default) matches shap 0.43 and Algorithm 2, and is locally accurate', () => {
    const fast = engine.treeShap(forest, x);
    expect(maxAbsDiff(fast, expected)).toBeLessThanOrEqual(EXACT);
    expect(maxAbsDiff(fast, wasmShap(forest, x, 'algorithm2'))).toBeLessThanOrEqual(EXACT);
    expect(localAccuracyError(fast, forest, x)).toBeLessThanOrEqual(EXACT);
  });
});

/** Random column-major float32 rows whose values fall on a coarse grid, so ties with thresholds are common. */
function gridColumns(
  rows: number,
  columns: number,
  next: () => number,
  constantColumns: number[] = [],
): Float32Columns {
  const data = new Float32Array(rows * columns);
  for (let c = 0; c < columns; c++) {
    for (let r = 0; r < rows; r++) data[c * rows + r] = constantColumns.includes(c) ? 3 : Math.floor(next() * 8) / 10;
  }
  return { data, rows, columns };
}

/**
 * A random forest built directly in the flat layout, with few features and deep paths so features repeat along
 * paths; thresholds are tenths (not float32-representable) and covers split at random. Leaf values are
 * `depth + c(cover)`, internal values the cover-weighted mean, as in an isolation forest.
 */
function randomForest(
  trees: number,
  features: number,
  maxDepth: number,
  next: () => number,
  distinctPath = false,
): FlatForest {
  const feature: number[] = [];
  const threshold: number[] = [];
  const left: number[] = [];
  const nodeSamples: number[] = [];
  const depth: number[] = [];
  const offsets = [0];
  for (let t = 0; t < trees; t++) {
    const add = (cover: number, d: number): number => {
      feature.push(-1);
      threshold.push(0);
      left.push(-1);
      nodeSamples.push(cover);
      depth.push(d);
      return feature.length - 1;
    };
    const pending = [add(distinctPath ? 400 : 2 + Math.floor(next() * 300), 0)];
    while (pending.length > 0) {
      const node = pending.pop()!;
      const cover = nodeSamples[node];
      if (depth[node] >= maxDepth || cover < 2 || (!distinctPath && depth[node] > 1 && next() < 0.15)) continue;
      // With distinctPath, the path to the rightmost leaf splits on features 0, 1, 2, ... in turn.
      feature[node] = distinctPath ? depth[node] % features : Math.floor(next() * features);
      threshold[node] = Math.floor(next() * 8) / 10 + 0.05 * Math.floor(next() * 2);
      // A distinct path keeps its cover on the right so that it reaches maxDepth.
      const leftCover = distinctPath ? 1 + Math.floor(next() * 3) : 1 + Math.floor(next() * (cover - 1));
      const l = add(leftCover, depth[node] + 1);
      add(cover - leftCover, depth[node] + 1);
      left[node] = l;
      if (distinctPath) pending.push(l + 1);
      else pending.push(l + 1, l);
    }
    offsets.push(feature.length);
  }
  const value = new Float64Array(feature.length);
  for (let n = feature.length - 1; n >= 0; n--) {
    if (feature[n] < 0) value[n] = depth[n] + averagePathLength(nodeSamples[n]);
    else
      value[n] =
        (nodeSamples[left[n]] * value[left[n]] + nodeSamples[left[n] + 1] * value[left[n] + 1]) / nodeSamples[n];
  }
  return {
    treeOffsets: Int32Array.from(offsets),
    feature: Int32Array.from(feature),
    threshold: Float64Array.from(threshold),
    left: Int32Array.from(left),
    nodeSamples: Int32Array.from(nodeSamples),
    value,
  };
}

/** Checks reference, WASM Algorithm 2 and WASM fast against the brute-force oracle on every row of `x`. */
function checkAgainstOracle(forest: FlatForest, x: Float32Columns): void {
  const reference = referenceTreeShap(forest, x);
  const algorithm2 = wasmShap(forest, x, 'algorithm2');
  const fast = wasmShap(forest, x, 'fast');
  for (let r = 0; r < x.rows; r++) {
    const oracle = bruteForceShap(forest, (c) => x.data[c * x.rows + r], x.columns);
    for (let c = 0; c < x.columns; c++) {
      expect(Math.abs(reference[c * x.rows + r] - oracle[c])).toBeLessThanOrEqual(EXACT);
    }
  }
  expect(maxAbsDiff(algorithm2, reference)).toBeLessThanOrEqual(SAME_ALGORITHM);
  expect(maxAbsDiff(fast, reference)).toBeLessThanOrEqual(EXACT);
  expect(localAccuracyError(fast, forest, x)).toBeLessThanOrEqual(EXACT);
}

describe('TreeSHAP against the brute-force Shapley oracle', () => {
  it.each([
    { features: 3, maxFeatures: 3, bootstrap: false, seed: 1 },
    { features: 6, maxFeatures: 6, bootstrap: true, seed: 2 },
    { features: 10, maxFeatures: 4, bootstrap: false, seed: 3 },
    { features: 7, maxFeatures: 5, bootstrap: true, seed: 4 },
  ])('on grown isolation forests: %o', ({ features, maxFeatures, bootstrap, seed }) => {
    const next = mulberry32(seed);
    // Column 1 is constant: never split on, so its attribution must be 0.
    const train = gridColumns(80, features, next, [1]);
    const forest = growForest(train, { trees: 4, maxSamples: 48, maxFeatures, bootstrap, seed });
    const x = gridColumns(12, features, next);
    checkAgainstOracle(forest, x);
    const reference = referenceTreeShap(forest, x);
    for (let r = 0; r < x.rows; r++) expect(reference[1 * x.rows + r]).toBe(0);
  });

  it.each([
    { trees: 3, features: 2, maxDepth: 9, seed: 11 },
    { trees: 4, features: 3, maxDepth: 8, seed: 12 },
    { trees: 2, features: 5, maxDepth: 10, seed: 13 },
    { trees: 5, features: 1, maxDepth: 6, seed: 14 },
  ])(
    'on random deep trees that split on the same feature many times along a path: %o',
    ({ trees, features, maxDepth, seed }) => {
      const next = mulberry32(seed);
      const forest = randomForest(trees, features, maxDepth, next);
      checkAgainstOracle(forest, gridColumns(10, features, next));
    },
  );
});

describe('TreeSHAP fallback and edge cases', () => {
  it('explains trees with more distinct features along a path than the fast tables cover (Algorithm 2 fallback)', () => {
    const next = mulberry32(21);
    // Paths of depth 16 over 14 features: 14 distinct features on the rightmost path (2^14-entry tables are not built).
    const deep = randomForest(2, 14, 16, next, true);
    const shallow = randomForest(3, 14, 6, next);
    const forest = concatForests(deep, shallow);
    const x = gridColumns(40, 14, next);
    const reference = referenceTreeShap(forest, x);
    expect(maxAbsDiff(wasmShap(forest, x, 'algorithm2'), reference)).toBeLessThanOrEqual(SAME_ALGORITHM);
    expect(maxAbsDiff(wasmShap(forest, x, 'fast'), reference)).toBeLessThanOrEqual(EXACT);
    expect(localAccuracyError(reference, forest, x)).toBeLessThanOrEqual(EXACT);
  });

  it('explains a forest whose trees are single leaves as all zeros', () => {
    const forest: FlatForest = {
      treeOffsets: Int32Array.from([0, 1, 2]),
      feature: Int32Array.from([-1, -1]),
      threshold: new Float64Array(2),
      left: Int32Array.from([-1, -1]),
      nodeSamples: Int32Array.from([5, 1]),
      value: Float64Array.from([averagePathLength(5), 0]),
    };
    const x = gridColumns(3, 2, mulberry32(5));
    expect(Array.from(wasmShap(forest, x, 'fast'))).toEqual(new Array(6).fill(0));
    expect(Array.from(wasmShap(forest, x, 'algorithm2'))).toEqual(new Array(6).fill(0));
  });

  it('returns no values for no rows, and rejects a forest that splits on a column x lacks', () => {
    const forest = randomForest(2, 3, 4, mulberry32(6));
    expect(engine.treeShap(forest, { data: new Float32Array(0), rows: 0, columns: 3 }).length).toBe(0);
    expect(() => engine.treeShap(forest, gridColumns(2, 2, mulberry32(7)))).toThrow(
      /splits on feature 2, x has 2 columns/,
    );
  });

  it('rejects trees deeper than any isolation tree grows, before the core sizes buffers by the depth', () => {
    const forest = randomForest(1, 2, MAX_SHAP_TREE_DEPTH + 1, mulberry32(10), true);
    expect(() => engine.treeShap(forest, gridColumns(2, 2, mulberry32(11)))).toThrow(
      `treeShap: forest tree 0 is deeper than ${MAX_SHAP_TREE_DEPTH} levels`,
    );
  });

  it('explains a forest again from its kept tables, also after other forests and other calls used the memory', () => {
    const next = mulberry32(9);
    const first = randomForest(4, 5, 8, next);
    const other = randomForest(3, 5, 6, next);
    const x = gridColumns(50, 5, next);
    const fresh = engine.treeShap(first, x);
    engine.treeShap(other, x);
    engine.meanPathLength(other, x);
    const again = engine.treeShap(first, x);
    expect(Array.from(again)).toEqual(Array.from(fresh));
    expect(maxAbsDiff(again, referenceTreeShap(first, x))).toBeLessThanOrEqual(EXACT);
  });

  it('streams many rows through the core in blocks', () => {
    const next = mulberry32(8);
    const forest = randomForest(3, 4, 7, next);
    const x = gridColumns(2500, 4, next);
    expect(maxAbsDiff(engine.treeShap(forest, x), referenceTreeShap(forest, x))).toBeLessThanOrEqual(EXACT);
  });
});

function concatForests(a: FlatForest, b: FlatForest): FlatForest {
  const shift = a.feature.length;
  const join = <T extends Int32Array | Float64Array>(p: T, q: T, make: (n: number) => T): T => {
    const out = make(p.length + q.length);
    out.set(p);
    out.set(q, p.length);
    return out;
  };
  return {
    treeOffsets: Int32Array.from([...a.treeOffsets, ...Array.from(b.treeOffsets.subarray(1), (o) => o + shift)]),
    feature: join(a.feature, b.feature, (n) => new Int32Array(n)),
    threshold: join(a.threshold, b.threshold, (n) => new Float64Array(n)),
    left: join(
      a.left,
      Int32Array.from(b.left, (l) => (l < 0 ? l : l + shift)),
      (n) => new Int32Array(n),
    ),
    nodeSamples: join(a.nodeSamples, b.nodeSamples, (n) => new Int32Array(n)),
    value: join(a.value, b.value, (n) => new Float64Array(n)),
  };
}
