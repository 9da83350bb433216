import { growForest } from '@isoforest/reference';
import { tableFromArrays } from 'apache-arrow';
import { beforeAll, describe, expect, it } from 'vitest';
import type { Engine } from '../src/engine.js';
import { InputError, OptionsError } from '../src/errors.js';
import type { FitOptions } from '../src/fit.js';
import { createIsoforest, type Isoforest } from '../src/isoforest.js';
import type { IsolationForestModel } from '../src/model.js';
import { loadEngine } from '../src/wasm/index.js';
import { readGoldenCase, type CsvColumns } from './support/golden.js';

let engine: Engine;
let isoforest: Isoforest;
/** 1030 rows x 6 features: gaussian blobs and outliers, from the golden fixtures. */
let blobs: CsvColumns;

beforeAll(async () => {
  engine = await loadEngine();
  isoforest = createIsoforest(engine);
  blobs = readGoldenCase('blobs-outliers').x;
});

function float32Columns(x: CsvColumns, names = x.names) {
  const data = new Float32Array(x.rows * names.length);
  names.forEach((name, c) => data.set(x.columns[name], c * x.rows));
  return { data, rows: x.rows, columns: names.length };
}

/** Per tree: the node count and the features its splits use. */
function treeShapes(model: IsolationForestModel): { nodes: number; rootSamples: number; features: Set<number> }[] {
  const { treeOffsets, feature, nodeSamples } = model.forest;
  return Array.from({ length: model.nEstimators }, (_, t) => {
    const features = new Set<number>();
    for (let i = treeOffsets[t]; i < treeOffsets[t + 1]; i++) if (feature[i] >= 0) features.add(feature[i]);
    return { nodes: treeOffsets[t + 1] - treeOffsets[t], rootSamples: nodeSamples[treeOffsets[t]], features };
  });
}

describe('fit', () => {
  it('uses scikit-learn defaults: 100 trees, maxSamples auto = min(256, n), all features, contamination auto', () => {
    const model = isoforest.fit(blobs.columns);
    expect(model.nEstimators).toBe(100);
    expect(model.maxSamples).toBe(256);
    expect(model.offset).toBe(-0.5);
    expect(model.featureNames).toEqual(blobs.names);
    expect(model.params).toEqual({
      source: 'fit',
      nEstimators: 100,
      maxSamples: 256,
      maxFeatures: 6,
      bootstrap: false,
      contamination: 'auto',
      randomState: 0,
    });
    for (const tree of treeShapes(model)) expect(tree.rootSamples).toBe(256);
  });

  it('grows the forest docs/forest.md defines, node for node the reference implementation', () => {
    const options = { nEstimators: 25, maxSamples: 0.3, maxFeatures: 4, bootstrap: true, randomState: 12345 } as const;
    const model = isoforest.fit(blobs.columns, options);
    const reference = growForest(float32Columns(blobs), {
      trees: 25,
      maxSamples: Math.floor(0.3 * blobs.rows),
      maxFeatures: 4,
      bootstrap: true,
      seed: 12345,
    });
    expect(model.forest).toEqual(reference);
  });

  it('keeps the values the engine computed, to the bit', () => {
    const model = isoforest.fit(blobs.columns, { nEstimators: 10, randomState: 3 });
    const grown = engine.growForest(float32Columns(blobs), {
      trees: 10,
      maxSamples: 256,
      maxFeatures: 6,
      bootstrap: false,
      seed: 3,
    });
    expect(model.forest.value).toEqual(grown.value);
  });

  it('is deterministic: the same seed gives the same model bytes, another seed another forest', () => {
    const a = isoforest.fit(blobs.columns, { nEstimators: 20, randomState: 99 }).save();
    const b = isoforest.fit(blobs.columns, { nEstimators: 20, randomState: 99 }).save();
    const c = isoforest.fit(blobs.columns, { nEstimators: 20, randomState: 100 }).save();
    expect(b).toEqual(a);
    expect(c).not.toEqual(a);
  });

  it('resolves maxSamples as a count, a fraction (floor) or auto', () => {
    const rows = blobs.rows;
    expect(isoforest.fit(blobs.columns, { nEstimators: 3, maxSamples: 100 }).maxSamples).toBe(100);
    expect(isoforest.fit(blobs.columns, { nEstimators: 3, maxSamples: 0.33 }).maxSamples).toBe(Math.floor(0.33 * rows));
    expect(isoforest.fit(blobs.columns, { nEstimators: 3, maxSamples: 1 }).maxSamples).toBe(rows);
    expect(isoforest.fit(blobs.columns, { nEstimators: 3, maxSamples: { fraction: 1 } }).maxSamples).toBe(rows);
    expect(isoforest.fit(blobs.columns, { nEstimators: 3, maxSamples: { fraction: 0.33 } }).maxSamples).toBe(
      Math.floor(0.33 * rows),
    );
    expect(isoforest.fit(blobs.columns, { nEstimators: 3, maxSamples: { count: 1 } }).maxSamples).toBe(1);
    expect(isoforest.fit(blobs.columns, { nEstimators: 3, maxSamples: { count: 100 } }).maxSamples).toBe(100);
    const small = {
      a: Float64Array.from({ length: 40 }, (_, i) => i),
      b: Float64Array.from({ length: 40 }, (_, i) => i % 7),
    };
    expect(isoforest.fit(small, { nEstimators: 3 }).maxSamples).toBe(40);
    for (const tree of treeShapes(isoforest.fit(blobs.columns, { nEstimators: 5, maxSamples: 64 }))) {
      expect(tree.rootSamples).toBe(64);
      expect(tree.nodes).toBeLessThanOrEqual(2 * 64 - 1);
    }
  });

  it('lowers a maxSamples count above the rows to the rows, with a warning on the model (scikit-learn UserWarning)', () => {
    const rows = blobs.rows;
    for (const maxSamples of [rows + 1, 100_000, { count: 100_000 }] as const) {
      const model = isoforest.fit(blobs.columns, { nEstimators: 3, maxSamples, randomState: 4 });
      expect(model.maxSamples).toBe(rows);
      expect(model.warnings).toEqual([
        {
          code: 'max-samples-capped',
          option: 'maxSamples',
          message: `max_samples (${typeof maxSamples === 'number' ? maxSamples : maxSamples.count}) is greater than the total number of samples (${rows}). max_samples will be set to n_samples for estimation.`,
        },
      ]);
      // All rows for all trees: the same forest as asking for all rows.
      expect(model.forest).toEqual(
        isoforest.fit(blobs.columns, { nEstimators: 3, maxSamples: 1, randomState: 4 }).forest,
      );
    }
    expect(isoforest.fit(blobs.columns, { nEstimators: 3, maxSamples: rows }).warnings).toEqual([]);
    expect(isoforest.fit(blobs.columns, { nEstimators: 3 }).warnings).toEqual([]);
  });

  it('resolves maxFeatures: each tree splits on at most that many features', () => {
    const one = isoforest.fit(blobs.columns, { nEstimators: 30, maxFeatures: 1 / 6 });
    expect(one.params.maxFeatures).toBe(1);
    const used = new Set<number>();
    for (const tree of treeShapes(one)) {
      expect(tree.features.size).toBe(1);
      used.add([...tree.features][0]);
    }
    expect(used.size).toBeGreaterThan(1);
    const three = isoforest.fit(blobs.columns, { nEstimators: 30, maxFeatures: 3 });
    for (const tree of treeShapes(three)) expect(tree.features.size).toBeLessThanOrEqual(3);
    expect(isoforest.fit(blobs.columns, { nEstimators: 2, maxFeatures: 0.5 }).params.maxFeatures).toBe(3);
  });

  it('sets the offset to the contamination percentile of the training scores', () => {
    for (const q of [0.01, 0.02, 0.1, 0.5]) {
      const model = isoforest.fit(blobs.columns, { nEstimators: 50, contamination: q, randomState: 5 });
      const scores = model.scoreSamples(blobs.columns);
      // numpy's linear percentile, written out independently of src/percentile.ts.
      const sorted = Array.from(scores).sort((a, b) => a - b);
      const position = (sorted.length - 1) * q;
      const low = Math.floor(position);
      const high = Math.min(low + 1, sorted.length - 1);
      const expected = sorted[low] + (sorted[high] - sorted[low]) * (position - low);
      expect(model.offset).toBe(expected);
      // With distinct scores, exactly ceil((n - 1) q) training rows fall strictly below the offset.
      expect(new Set(sorted).size).toBe(sorted.length);
      const outliers = Array.from(model.predict(blobs.columns)).filter((p) => p === -1).length;
      expect(outliers).toBe(Math.ceil(position));
    }
  });

  it('trains on the named features of an Arrow table, in the order given', () => {
    const table = tableFromArrays(Object.fromEntries(blobs.names.map((n) => [n, blobs.columns[n]])));
    const features = [blobs.names[3], blobs.names[0]];
    const fromTable = isoforest.fit(table, { features, nEstimators: 10 });
    const fromArrays = isoforest.fit(
      features.map((n) => blobs.columns[n]),
      { features, nEstimators: 10 },
    );
    expect(fromTable.featureNames).toEqual(features);
    expect(fromTable.forest).toEqual(fromArrays.forest);
  });
});

describe('fit rejects bad options with the option named', () => {
  const bad: [keyof FitOptions | string, unknown][] = [
    ['nEstimators', 0],
    ['nEstimators', 2.5],
    ['nEstimators', '100'],
    ['nEstimators', 2 ** 23], // 2^23 trees of up to 511 nodes overflow int32 node indices
    ['maxSamples', 0],
    ['maxSamples', -1],
    ['maxSamples', 1.5],
    ['maxSamples', 0.0001],
    ['maxSamples', 'all'],
    ['maxSamples', { count: 0 }],
    ['maxSamples', { count: 2.5 }],
    ['maxSamples', { fraction: 0 }],
    ['maxSamples', { fraction: 1.5 }],
    ['maxSamples', { count: 3, fraction: 0.5 }],
    ['maxSamples', { rows: 3 }],
    ['maxFeatures', 0],
    ['maxFeatures', 7],
    ['maxFeatures', Number.NaN],
    ['bootstrap', 'yes'],
    ['contamination', 0],
    ['contamination', 0.6],
    ['contamination', 'none'],
    ['randomState', -1],
    ['randomState', 2 ** 32],
    ['randomState', 0.5],
    ['features', []],
    ['features', ['a', 'a']],
    ['n_estimators', 10],
  ];
  it.each(bad)('%s = %j', (option, value) => {
    try {
      isoforest.fit(blobs.columns, { [option]: value } as FitOptions);
      throw new Error('accepted');
    } catch (error) {
      expect(error).toBeInstanceOf(OptionsError);
      expect((error as OptionsError).option).toBe(option);
      expect((error as Error).message).toMatch(new RegExp(`^invalid option ${option}: `));
    }
  });

  it('needs feature names for an array of columns, and at least 1 row', () => {
    expect(() => isoforest.fit([[1, 2, 3]])).toThrow(OptionsError);
    expect(() => isoforest.fit([[1, 2, 3]])).toThrow(/features: required/);
    expect(() => isoforest.fit({ a: [] })).toThrow(InputError);
    expect(() => isoforest.fit({ a: [] })).toThrow(/input has no rows/);
    expect(() => isoforest.fit({ a: [1, 2], b: [1, Number.NaN] })).toThrow(/column "b", row 1: value is NaN/);
  });
});
