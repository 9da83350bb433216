/**
 * scikit-learn's own IsolationForest tests (`sklearn/ensemble/tests/test_iforest.py`, 1.1 to 1.2), ported to the
 * library: each `describe` is named after the test it ports and asserts the same property, over the WebAssembly
 * engine and over the plain-TypeScript reference alike. isoforest draws its own random numbers (docs/forest.md), so
 * the trees are not scikit-learn's; the properties hold for any seed, and the tests that depend on the draw check
 * several. The datasets are generated stand-ins (support/peerData.ts).
 *
 * Not ported, and why:
 * - test_iforest_sparse, test_iforest_with_n_jobs (1.1) / test_iforest_with_n_jobs_does_not_segfault (1.2),
 *   test_iforest_sparse_input_float_contamination (1.3): sparse (CSC/CSR) input, which isoforest does not take;
 *   their dense halves (every parameter grid fits and predicts, thread counts change nothing) are covered by
 *   test_iforest and test_iforest_parallel_regression below.
 * - test_iforest_warm_start: models are immutable; there is no warm start that adds trees to a fitted forest.
 * - test_n_features_deprecation, test_base_estimator_property_deprecated, the `behaviour` deprecation of older
 *   versions: deprecations of scikit-learn attributes isoforest never had.
 * - the call counts of test_iforest_chunks_works1/2 (a mocked `get_chunk_n_rows`): isoforest's blocks are not
 *   configurable; what the tests protect, that scores do not depend on how rows are chunked, is ported.
 * - test_iforest_preserve_feature_names (1.3): a warning about pandas feature names; isoforest always reads
 *   columns by name.
 */
import { readFileSync } from 'node:fs';
import { beforeAll, describe, expect, it } from 'vitest';
import { averagePathLength as referenceAveragePathLength } from '@isoforest/reference';
import { createParallelModel, loadIsoforest } from '@isoforest/core';
import type { Engine } from '../src/engine.js';
import { InputError, OptionsError } from '../src/errors.js';
import type { FitOptions } from '../src/fit.js';
import { BLOCK_ROWS } from '../src/input.js';
import { createIsoforest, type Isoforest } from '../src/isoforest.js';
import type { IsolationForestModel } from '../src/model.js';
import { averagePathLength } from '../src/pathLength.js';
import { loadEngine } from '../src/wasm/index.js';
import { loadCore } from '../src/wasm/load-node.js';
import {
  columnsOf,
  diabetesLike,
  draws,
  irisLike,
  matrix,
  rocAuc,
  trainTestSplit,
  type Columns,
} from './support/peerData.js';
import { referenceEngine } from './support/referenceEngine.js';

const EULER_GAMMA = 0.5772156649015329;

/** Per tree, the depth of its deepest leaf (children come after their parent, so one forward pass). */
function treeDepths(model: IsolationForestModel): number[] {
  const { treeOffsets, feature, left } = model.forest;
  const depth = new Int32Array(feature.length);
  const deepest: number[] = [];
  for (let t = 0; t + 1 < treeOffsets.length; t++) {
    let max = 0;
    for (let i = treeOffsets[t]; i < treeOffsets[t + 1]; i++) {
      max = Math.max(max, depth[i]);
      if (feature[i] >= 0) depth[left[i]] = depth[left[i] + 1] = depth[i] + 1;
    }
    deepest.push(max);
  }
  return deepest;
}

/** The features each tree splits on. */
function treeFeatures(model: IsolationForestModel): Set<number>[] {
  const { treeOffsets, feature } = model.forest;
  return Array.from({ length: treeOffsets.length - 1 }, (_, t) => {
    const used = new Set<number>();
    for (let i = treeOffsets[t]; i < treeOffsets[t + 1]; i++) if (feature[i] >= 0) used.add(feature[i]);
    return used;
  });
}

const SEEDS = [0, 1, 2, 3, 4, 5, 6, 7];
/** scikit-learn's toy sample of test_iforest_works and test_iforest_chunks_works (fixtures/sklearn/README.md). */
const TOY = readFileSync(new URL('../../../fixtures/sklearn/toy-sample.csv', import.meta.url), 'utf8')
  .trim()
  .split('\n')
  .slice(1)
  .map((line) => line.split(',').map(Number));
/** Its last two rows are the outliers. */
const TOY_PREDICT = TOY.map((_, r) => (r < TOY.length - 2 ? 1 : -1));
const iris = columnsOf(irisLike());
const IRIS_ROWS = 150;
const diabetes = diabetesLike();

describe.each([
  ['WebAssembly engine', () => loadEngine()],
  ['reference engine', async () => referenceEngine],
] as [string, () => Promise<Engine>][])('scikit-learn test_iforest.py on the %s', (_name, makeEngine) => {
  let isoforest: Isoforest;
  beforeAll(async () => {
    isoforest = createIsoforest(await makeEngine());
  });

  describe('test_iforest: every parameter setting fits and predicts', () => {
    const train = columnsOf([
      [0, 1],
      [1, 2],
    ]);
    const test = columnsOf([
      [2, 1],
      [1, 1],
    ]);
    // scikit-learn's grid {n_estimators: [3], max_samples: [0.5, 1.0, 3], bootstrap: [True, False]}.
    const grid: [FitOptions['maxSamples'], number][] = [
      [{ fraction: 0.5 }, 1],
      [{ fraction: 1 }, 2],
      [{ count: 3 }, 2],
    ];
    for (const [maxSamples, resolved] of grid) {
      for (const bootstrap of [true, false]) {
        it(`max_samples ${JSON.stringify(maxSamples)}, bootstrap ${bootstrap}`, () => {
          const model = isoforest.fit(train, { nEstimators: 3, maxSamples, bootstrap });
          expect(model.maxSamples).toBe(resolved);
          const predict = Array.from(model.predict(test));
          expect(predict).toHaveLength(2);
          for (const p of predict) expect([-1, 1]).toContain(p);
          // One row per tree (0.5 of 2 rows): every row scores -0.5, an inlier.
          if (resolved === 1) expect(Array.from(model.scoreSamples(test))).toEqual([-0.5, -0.5]);
          if (resolved === 1) expect(predict).toEqual([1, 1]);
        });
      }
    }
  });

  describe('test_iforest_error: bad max_samples and feature mismatches are errors, a large count only warns', () => {
    it('refuses max_samples -1, 0.0, 2.0 (a float), "foobar" and 1.5', () => {
      for (const maxSamples of [-1, 0, { fraction: 0 }, { fraction: 2 }, 'foobar', 1.5] as unknown[]) {
        expect(() => isoforest.fit(iris, { maxSamples } as FitOptions)).toThrow(OptionsError);
        expect(() => isoforest.fit(iris, { maxSamples } as FitOptions)).toThrow(/^invalid option maxSamples: /);
      }
    });

    it('warns "max_samples will be set to n_samples for estimation" for 1000 on 150 rows, and not for auto or 2', () => {
      const capped = isoforest.fit(iris, { maxSamples: 1000 });
      expect(capped.warnings.map((w) => w.message)).toEqual([
        'max_samples (1000) is greater than the total number of samples (150). max_samples will be set to n_samples for estimation.',
      ]);
      expect(capped.warnings[0]).toMatchObject({ code: 'max-samples-capped', option: 'maxSamples' });
      expect(isoforest.fit(iris, { maxSamples: 'auto' }).warnings).toEqual([]);
      expect(isoforest.fit(iris, { maxSamples: 2 }).warnings).toEqual([]);
      expect(isoforest.fit(iris, { maxSamples: { count: 2 } }).warnings).toEqual([]);
    });

    it('refuses to predict rows without the features it was fitted on', () => {
      const model = isoforest.fit(iris, { nEstimators: 10 });
      const { x0: _dropped, ...fewer } = iris;
      expect(() => model.predict(fewer)).toThrow(InputError);
      expect(() => model.predict(fewer)).toThrow(/x0/);
    });
  });

  describe('test_recalculate_max_depth: the depth limit is ceil(log2(max_samples_)) after max_samples is reset', () => {
    it.each([
      ['auto', IRIS_ROWS],
      [1000, IRIS_ROWS],
      [64, 64],
      [{ count: 3 }, 3],
    ] as const)('max_samples %j', (maxSamples, resolved) => {
      const model = isoforest.fit(iris, { maxSamples });
      expect(model.maxSamples).toBe(resolved);
      const limit = Math.ceil(Math.log2(resolved));
      const depths = treeDepths(model);
      expect(Math.max(...depths)).toBe(limit);
    });
  });

  describe('test_max_samples_attribute', () => {
    it('max_samples_ is the rows for auto and for 500, and 0.4 of them for 0.4', () => {
      expect(isoforest.fit(iris).maxSamples).toBe(IRIS_ROWS);
      const capped = isoforest.fit(iris, { maxSamples: 500 });
      expect(capped.warnings).toHaveLength(1);
      expect(capped.maxSamples).toBe(IRIS_ROWS);
      expect(isoforest.fit(iris, { maxSamples: 0.4 }).maxSamples).toBe(0.4 * IRIS_ROWS);
    });
  });

  describe('test_iforest_performance: ROC AUC above 0.98 on novel outliers', () => {
    // X = 0.3 randn(120, 2); train on the first 100; test on the other 20 and 20 uniform(-4, 4) outliers.
    const d = draws(2);
    const x = matrix(120, 2, () => 0.3 * d.normal());
    const outliers = matrix(20, 2, () => d.uniform(-4, 4));
    const train = columnsOf(x.slice(0, 100));
    const test = columnsOf([...x.slice(100), ...outliers]);
    const labels = [...new Array(20).fill(0), ...new Array(20).fill(1)];
    it.each(SEEDS.slice(0, 4))('random state %i', (randomState) => {
      const model = isoforest.fit(train, { maxSamples: 100, randomState });
      const decision = model.decisionFunction(test);
      expect(
        rocAuc(
          decision.map((v) => -v),
          labels,
        ),
      ).toBeGreaterThan(0.98);
    });
  });

  describe('test_iforest_works: the two outliers of the toy sample score worst and are the ones predicted', () => {
    const toy = columnsOf(TOY);
    for (const contamination of [0.25, 'auto'] as const) {
      it.each(SEEDS)(`contamination ${contamination}, random state %i`, (randomState) => {
        const model = isoforest.fit(toy, { contamination, randomState });
        const anomaly = Array.from(model.decisionFunction(toy), (v) => -v);
        expect(Math.min(...anomaly.slice(-2))).toBeGreaterThan(Math.max(...anomaly.slice(0, -2)));
        expect(Array.from(model.predict(toy))).toEqual(TOY_PREDICT);
      });
    }
  });

  describe('test_max_samples_consistency', () => {
    it('the model and its params report the same max_samples', () => {
      const model = isoforest.fit(iris);
      expect(model.maxSamples).toBe(model.params.maxSamples);
    });
  });

  describe('test_iforest_subsampled_features: max_features 0.8 fits and predicts (non-regression for #5732)', () => {
    it('each tree splits on at most floor(0.8 * 10) features, and prediction works', () => {
      const { train, test } = trainTestSplit(diabetes.slice(0, 50), 0);
      const model = isoforest.fit(columnsOf(train), { maxFeatures: 0.8 });
      expect(model.params.maxFeatures).toBe(8);
      for (const used of treeFeatures(model)) expect(used.size).toBeLessThanOrEqual(8);
      expect(new Set(treeFeatures(model).flatMap((used) => [...used])).size).toBe(10);
      const predict = model.predict(columnsOf(test));
      expect(predict).toHaveLength(test.length);
      for (const p of predict) expect([-1, 1]).toContain(p);
    });
  });

  describe('test_score_samples: score_samples = decision_function + offset_', () => {
    it('holds exactly for contamination 0.1 and auto, and both forests score alike', () => {
      const train = columnsOf([
        [1, 1],
        [1, 2],
        [2, 1],
      ]);
      const point = columnsOf([[2, 2]]);
      const clf1 = isoforest.fit(train, { contamination: 0.1 });
      const clf2 = isoforest.fit(train);
      for (const clf of [clf1, clf2]) {
        expect(clf.scoreSamples(point)[0]).toBe(clf.decisionFunction(point)[0] + clf.offset);
      }
      expect(clf1.scoreSamples(point)).toEqual(clf2.scoreSamples(point));
      expect(clf1.offset).not.toBe(clf2.offset);
    });
  });

  describe('test_iforest_chunks_works1/2: scores do not depend on how the rows are chunked', () => {
    for (const contamination of [0.25, 'auto'] as const) {
      it(`contamination ${contamination}: chunks of 3 and 10 rows, and inputs over a block of ${BLOCK_ROWS} rows`, () => {
        const model = isoforest.fit(columnsOf(TOY), { contamination });
        const whole = model.score(columnsOf(TOY));
        for (const chunk of [3, 10]) {
          const pieces: number[] = [];
          for (let start = 0; start < TOY.length; start += chunk)
            pieces.push(...model.scoreSamples(columnsOf(TOY.slice(start, start + chunk))));
          expect(pieces).toEqual(Array.from(whole.scoreSamples));
        }
        // Many copies of the toy rows, so the input spans several blocks: each copy scores as the original.
        const copies = Math.ceil((BLOCK_ROWS * 2 + 5) / TOY.length);
        const big = model.score(columnsOf(Array.from({ length: copies * TOY.length }, (_, r) => TOY[r % TOY.length])));
        for (let r = 0; r < big.scoreSamples.length; r++) {
          if (big.scoreSamples[r] !== whole.scoreSamples[r % TOY.length])
            throw new Error(`row ${r} scores differently`);
        }
        expect(Array.from(big.predict.subarray(-TOY.length))).toEqual(TOY_PREDICT);
      }, 120_000);
    }
  });

  describe('test_iforest_with_uniform_data: uniform data makes every row an inlier', () => {
    const d = draws(0);
    const randn = () => columnsOf(matrix(100, 10, () => d.normal()));
    const constant = (value: number) => columnsOf(matrix(100, 10, () => value));
    it('all ones', () => {
      const model = isoforest.fit(constant(1));
      for (const x of [constant(1), randn(), constant(2), constant(0)])
        expect(Array.from(model.predict(x))).toEqual(new Array(100).fill(1));
    });
    it('each column one value, repeated over 100 rows', () => {
      const row = Array.from({ length: 10 }, () => d.normal());
      const model = isoforest.fit(columnsOf(new Array(100).fill(row)));
      for (const x of [columnsOf(new Array(100).fill(row)), randn(), constant(1)])
        expect(Array.from(model.predict(x))).toEqual(new Array(100).fill(1));
    });
    it('a single row: one-row trees, every row scores -0.5', () => {
      const single = columnsOf([Array.from({ length: 10 }, () => d.normal())]);
      const model = isoforest.fit(single);
      expect(model.maxSamples).toBe(1);
      for (const x of [single, randn(), constant(1)]) {
        expect(Array.from(model.predict(x))).toEqual(new Array(x.x0.length).fill(1));
        expect(Array.from(model.scoreSamples(x))).toEqual(new Array(x.x0.length).fill(-0.5));
      }
    });
  });
});

describe('scikit-learn test_iforest.py: test_iforest_average_path_length (non-regression for #8549 and #11839)', () => {
  const resultOne = 2.0 * (Math.log(4.0) + EULER_GAMMA) - (2.0 * 4.0) / 5.0;
  const resultTwo = 2.0 * (Math.log(998.0) + EULER_GAMMA) - (2.0 * 998.0) / 999.0;
  it.each([
    ['the core', async () => averagePathLength],
    ['the reference', async () => referenceAveragePathLength],
    ['the WebAssembly core', async () => (await loadCore()).averagePathLength],
  ] as [string, () => Promise<(n: number) => number>][])('c(n) of %s', async (_name, load) => {
    const c = await load();
    expect(c(0)).toBe(0);
    expect(c(1)).toBe(0);
    expect(c(2)).toBe(1);
    expect(c(5)).toBeCloseTo(resultOne, 14);
    expect(c(999)).toBeCloseTo(resultTwo, 12);
    const increasing = [0, 1, 2, 3, 4].map(c);
    expect(increasing).toEqual([...increasing].sort((a, b) => a - b));
  });
});

describe('scikit-learn test_iforest.py: test_iforest_parallel_regression (n_jobs, here threads, changes nothing)', () => {
  it('predicts the same on 1 and 2 threads, and a refit with the same seed predicts the same', async () => {
    const { train, test } = trainTestSplit(diabetes, 0);
    const isoforest = await loadIsoforest();
    const ensemble = isoforest.fit(columnsOf(train), { randomState: 0 });
    const testColumns: Columns = columnsOf(test);
    const y1 = ensemble.predict(testColumns);
    const parallel = await createParallelModel(ensemble, { threads: 2 });
    try {
      const y2 = (await parallel.score(testColumns)).predict;
      expect(Array.from(y2)).toEqual(Array.from(y1));
    } finally {
      await parallel.close();
    }
    const y3 = isoforest.fit(columnsOf(train), { randomState: 0 }).predict(testColumns);
    expect(Array.from(y3)).toEqual(Array.from(y1));
    expect(ensemble.save()).toEqual(isoforest.fit(columnsOf(train), { randomState: 0 }).save());
  }, 120_000);
});
