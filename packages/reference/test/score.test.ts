import { describe, expect, it } from 'vitest';
import { averagePathLength, growForest, meanPathLength, scoreFromPathLength, type FlatForest } from '../src/index.js';

describe('meanPathLength', () => {
  // Tree 0 splits column 0 at 0.5 (leaves 1 and 2); tree 1 is one leaf of value 4.
  const forest: FlatForest = {
    treeOffsets: Int32Array.from([0, 3, 4]),
    feature: Int32Array.from([0, -1, -1, -1]),
    threshold: Float64Array.from([0.5, 0, 0, 0]),
    left: Int32Array.from([1, -1, -1, -1]),
    nodeSamples: Int32Array.from([4, 2, 2, 4]),
    value: Float64Array.from([1.5, 1, 2, 4]),
  };

  it('averages the leaf values over the trees, sending x <= threshold left', () => {
    const x = { data: Float32Array.from([0.25, 0.5, 0.75]), rows: 3, columns: 1 };
    expect(Array.from(meanPathLength(forest, x))).toEqual([(1 + 4) / 2, (1 + 4) / 2, (2 + 4) / 2]);
  });

  it('scores a clearly separated point as more anomalous than the cluster', () => {
    const rows = 201;
    const data = new Float32Array(rows * 2);
    for (let r = 0; r < 200; r++) {
      data[r] = Math.sin(r) * 0.5; // column 0
      data[rows + r] = Math.cos(r * 1.7) * 0.5; // column 1
    }
    data[200] = 8;
    data[rows + 200] = -8;
    const x = { data, rows, columns: 2 };
    const forest = growForest(x, { trees: 100, maxSamples: 128, maxFeatures: 2, bootstrap: false, seed: 3 });
    const scores = Array.from(meanPathLength(forest, x), (m) => -scoreFromPathLength(m, averagePathLength(128)));
    const cluster = scores.slice(0, 200);
    expect(scores[200]).toBeGreaterThan(Math.max(...cluster));
    expect(scores[200]).toBeGreaterThan(0.6);
    // An outlier is isolated in a few splits, far below c(128), the expected depth of an ordinary point.
    expect(meanPathLength(forest, x)[200]).toBeLessThan(averagePathLength(128) / 2);
  });
});
