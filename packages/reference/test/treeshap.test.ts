import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { mulberry32 } from '@isoforest/common';
import { growForest, meanPathLength, type Columns, type FlatForest } from '../src/index.js';
import { treeDepths, treeShap, treeShapExpectedValue } from '../src/treeshap.js';

/** Builds a forest from per-tree node lists; each internal node's value is the cover-weighted mean of its children. */
function forestOf(
  trees: { feature: number[]; threshold: number[]; left: number[]; samples: number[]; leafValue: number[] }[],
): FlatForest {
  const offsets = [0];
  const feature: number[] = [];
  const threshold: number[] = [];
  const left: number[] = [];
  const nodeSamples: number[] = [];
  const value: number[] = [];
  for (const tree of trees) {
    const base = feature.length;
    const local = [...tree.leafValue];
    for (let n = tree.feature.length - 1; n >= 0; n--) {
      if (tree.feature[n] < 0) continue;
      const l = tree.left[n];
      local[n] = (tree.samples[l] * local[l] + tree.samples[l + 1] * local[l + 1]) / tree.samples[n];
    }
    for (let n = 0; n < tree.feature.length; n++) {
      feature.push(tree.feature[n]);
      threshold.push(tree.threshold[n]);
      left.push(tree.left[n] < 0 ? -1 : tree.left[n] + base);
      nodeSamples.push(tree.samples[n]);
      value.push(local[n]);
    }
    offsets.push(feature.length);
  }
  return {
    treeOffsets: Int32Array.from(offsets),
    feature: Int32Array.from(feature),
    threshold: Float64Array.from(threshold),
    left: Int32Array.from(left),
    nodeSamples: Int32Array.from(nodeSamples),
    value: Float64Array.from(value),
  };
}

function columnsOf(rows: number[][]): Columns {
  const columns = rows[0].length;
  const data = new Float32Array(rows.length * columns);
  rows.forEach((row, r) => row.forEach((v, c) => (data[c * rows.length + r] = v)));
  return { data, rows: rows.length, columns };
}

/*
 * Hand-computed tree (covers in brackets), splitting on f0 twice along one path:
 *   n0 f0<=0 [8] -> n1 leaf 1 [2] | n2 f1<=0 [6] -> (n3 f0<=1 [4] -> n5 leaf 3 [1] | n6 leaf 4 [3]) | n4 leaf 2 [2]
 * For x = (0.5, -1): f(x) = 3; v({}) = 21/8, v({0}) = 8/3, v({1}) = 49/16, v({0,1}) = 3, hence
 * phi0 = ((8/3 - 21/8) + (3 - 49/16)) / 2 = -1/96 and phi1 = ((49/16 - 21/8) + (3 - 8/3)) / 2 = 37/96.
 */
const handTree = {
  feature: [0, -1, 1, 0, -1, -1, -1],
  threshold: [0, 0, 0, 1, 0, 0, 0],
  left: [1, -1, 3, 5, -1, -1, -1],
  samples: [8, 2, 6, 4, 2, 1, 3],
  leafValue: [0, 1, 0, 0, 2, 3, 4],
};

describe('treeShap (reference, Algorithm 2)', () => {
  it('matches hand-computed Shapley values on a tree that splits on one feature twice', () => {
    const forest = forestOf([handTree]);
    const shap = treeShap(forest, columnsOf([[0.5, -1]]));
    expect(treeShapExpectedValue(forest)).toBeCloseTo(21 / 8, 14);
    expect(shap[0]).toBeCloseTo(-1 / 96, 14);
    expect(shap[1]).toBeCloseTo(37 / 96, 14);
  });

  it('averages over trees: a second tree on f1 alone adds half its attribution', () => {
    // n0 f1<=0 [4] -> leaf 1 [1] | leaf 5 [3]: for x1 = -1, v({}) = 4, f = 1, so phi1 = -3 for that tree.
    const stump = {
      feature: [1, -1, -1],
      threshold: [0, 0, 0],
      left: [1, -1, -1],
      samples: [4, 1, 3],
      leafValue: [0, 1, 5],
    };
    const forest = forestOf([handTree, stump]);
    const shap = treeShap(forest, columnsOf([[0.5, -1]]));
    expect(treeShapExpectedValue(forest)).toBeCloseTo((21 / 8 + 4) / 2, 14);
    expect(shap[0]).toBeCloseTo(-1 / 96 / 2, 14);
    expect(shap[1]).toBeCloseTo((37 / 96 - 3) / 2, 14);
  });

  it('sends x equal to a threshold left, as scikit-learn does', () => {
    const forest = forestOf([handTree]);
    // x0 = 1 sits on n3's threshold: the row lands in n5 (value 3) exactly as x0 = 0.5 does.
    const onThreshold = treeShap(forest, columnsOf([[1, -1]]));
    const inside = treeShap(forest, columnsOf([[0.5, -1]]));
    expect(Array.from(onThreshold)).toEqual(Array.from(inside));
  });

  it('measures tree depths in edges', () => {
    expect(
      Array.from(
        treeDepths(forestOf([handTree, { feature: [-1], threshold: [0], left: [-1], samples: [3], leafValue: [2] }])),
      ),
    ).toEqual([3, 0]);
  });

  it('is locally accurate and gives unused columns zero on grown forests', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 8, max: 60 }),
        fc.integer({ min: 1, max: 5 }),
        fc.integer({ min: 0, max: 0xffffffff }),
        fc.boolean(),
        (rows, features, seed, bootstrap) => {
          const columns = features + 1;
          const data = new Float32Array(rows * columns);
          const random = mulberry32(seed);
          // Few distinct values, so that ties and repeated splits on one feature are common.
          for (let i = 0; i < rows * features; i++) data[i] = Math.floor(random() * 7);
          // The last column is never split on: the forest only sees the first `features` columns.
          const train: Columns = { data: data.subarray(0, rows * features), rows, columns: features };
          const forest = growForest(train, {
            trees: 5,
            maxSamples: Math.min(rows, 32),
            maxFeatures: features,
            bootstrap,
            seed,
          });
          const x: Columns = { data, rows, columns };
          const shap = treeShap(forest, x);
          const expected = meanPathLength(forest, x);
          const base = treeShapExpectedValue(forest);
          for (let r = 0; r < rows; r++) {
            let sum = base;
            for (let c = 0; c < columns; c++) sum += shap[c * rows + r];
            expect(Math.abs(sum - expected[r])).toBeLessThan(1e-12);
            expect(shap[features * rows + r]).toBe(0);
          }
        },
      ),
      { numRuns: 40 },
    );
  });
});
