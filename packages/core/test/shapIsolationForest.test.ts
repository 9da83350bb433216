/**
 * shap's own isolation-forest tests (`tests/explainers/test_tree.py`, shap 0.4x), ported to the library over the
 * WebAssembly engine and the plain-TypeScript reference: `shap.TreeExplainer(iso)` with no background data is
 * path-dependent TreeSHAP of the mean path length, which is what `model.explain` computes. The california data is a
 * generated stand-in (support/peerData.ts). golden.test.ts holds the same explanations to shap's own numbers on
 * scikit-learn's trees (the `feature-subsample` case has max_features < 1).
 *
 * Not ported: test_pyod_isolation_forest, the same test on pyod's `IForest`, which wraps scikit-learn's
 * IsolationForest (isoforest has no pyod models to import; the property is the one test_isolation_forest checks).
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { createParallelModel, loadIsoforest } from '@isoforest/core';
import type { Engine } from '../src/engine.js';
import { createIsoforest, type Isoforest } from '../src/isoforest.js';
import type { Explanation } from '../src/model.js';
import { averagePathLength } from '../src/pathLength.js';
import { loadEngine } from '../src/wasm/index.js';
import { californiaLike, columnsOf, draws, matrix } from './support/peerData.js';
import { referenceEngine } from './support/referenceEngine.js';

/** shap's `-2 ** (-(explanation.values.sum(1) + explanation.base_values) / path_length)`, one score per row. */
function scoreFromShap(explanation: Explanation, pathLength: number): Float64Array {
  const rows = explanation.values[0].length;
  return Float64Array.from({ length: rows }, (_, r) => {
    const total = explanation.values.reduce((sum, column) => sum + column[r], 0);
    return -(2 ** (-(total + explanation.expectedValue) / pathLength));
  });
}

function maxAbsDifference(a: ArrayLike<number>, b: ArrayLike<number>): number {
  let max = 0;
  for (let i = 0; i < a.length; i++) max = Math.max(max, Math.abs(a[i] - b[i]));
  return max;
}

const california = columnsOf(californiaLike(500));
const FEATURES = Object.keys(california);

describe.each([
  ['WebAssembly engine', () => loadEngine()],
  ['reference engine', async () => referenceEngine],
] as [string, () => Promise<Engine>][])('shap test_tree.py on the %s', (_name, makeEngine) => {
  let isoforest: Isoforest;
  beforeAll(async () => {
    isoforest = createIsoforest(await makeEngine());
  });

  describe('test_isolation_forest: scores rebuilt from background-free path-dependent SHAP values', () => {
    it.each(['1.0', '0.75'])(
      'max_features %s: shapes, and score_samples = -2^(-(sum(shap) + base) / c(max_samples_))',
      (text) => {
        const maxFeatures = Number(text);
        const iso = isoforest.fit(california, { maxFeatures });
        expect(iso.params.maxFeatures).toBe(Math.floor(maxFeatures * FEATURES.length));
        const explanation = iso.explain(california);
        // Explanation shapes: one value per row and feature; one base value (shap repeats it per row).
        expect(explanation.values).toHaveLength(FEATURES.length);
        for (const column of explanation.values) expect(column).toHaveLength(500);
        expect(Number.isFinite(explanation.expectedValue)).toBe(true);
        const pathLength = averagePathLength(iso.maxSamples);
        // shap asserts atol 1e-7; the exact TreeSHAP here is held to 1e-12.
        expect(maxAbsDifference(iso.scoreSamples(california), scoreFromShap(explanation, pathLength))).toBeLessThan(
          1e-12,
        );
        // The scaled values are the same identity in the score's exponent.
        const scaledTotal = (r: number) =>
          explanation.scaled.reduce((sum, column) => sum + column[r], 0) + explanation.scaledExpectedValue;
        const fromScaled = Float64Array.from({ length: 500 }, (_, r) => -(2 ** -scaledTotal(r)));
        expect(maxAbsDifference(iso.scoreSamples(california), fromScaled)).toBeLessThan(1e-12);
      },
      120_000,
    );
  });

  describe('feature subsets (max_features < 1): a tree attributes nothing to the features it does not draw', () => {
    it('one tree on 2 of 8 features: the other 6 get exactly 0 for every row', () => {
      const iso = isoforest.fit(california, { nEstimators: 1, maxFeatures: 0.25, randomState: 11 });
      const used = new Set(Array.from(iso.forest.feature).filter((f) => f >= 0));
      expect(used.size).toBeGreaterThan(0);
      expect(used.size).toBeLessThanOrEqual(2);
      const explanation = iso.explain(california);
      explanation.values.forEach((column, c) => {
        if (!used.has(c)) expect(column.every((v) => v === 0)).toBe(true);
      });
      expect(explanation.values.some((column, c) => used.has(c) && column.some((v) => v !== 0))).toBe(true);
    });
  });

  describe('background-free explanations: the base value is the forest itself, not a data set', () => {
    it('expected value = mean over trees of the root value (training-weighted mean of the leaf values)', () => {
      const iso = isoforest.fit(california, { nEstimators: 20, maxFeatures: 0.75, randomState: 5 });
      const { treeOffsets, value } = iso.forest;
      let sum = 0;
      for (let t = 0; t + 1 < treeOffsets.length; t++) sum += value[treeOffsets[t]];
      expect(iso.explain(columnsOf([[1, 2, 3, 4, 5, 6, 7, 8]])).expectedValue).toBeCloseTo(sum / iso.nEstimators, 12);
      // Whatever rows are explained, the base value is the same.
      const d = draws(1);
      expect(iso.explain(columnsOf(matrix(3, 8, () => d.normal()))).expectedValue).toBe(iso.expectedValue);
    });

    it('one-row trees (max_samples 1): nothing to attribute, and the scaled base value gives the score -0.5', () => {
      const iso = isoforest.fit(california, { nEstimators: 10, maxSamples: { count: 1 } });
      const explanation = iso.explain(california);
      for (const column of explanation.values) expect(column.every((v) => v === 0)).toBe(true);
      expect(explanation.expectedValue).toBe(0);
      expect(explanation.scaledExpectedValue).toBe(1);
      for (const column of explanation.scaled) expect(column.every((v) => v === 0)).toBe(true);
      expect(
        Array.from(iso.scoreSamples(california)).every((s) => s === -(2 ** -explanation.scaledExpectedValue)),
      ).toBe(true);
    });
  });
});

describe('shap test_tree.py test_isolation_forest on worker threads', () => {
  it('explains on 2 threads exactly as on one', async () => {
    const iso = (await loadIsoforest()).fit(california, { maxFeatures: 0.75 });
    const parallel = await createParallelModel(iso, { threads: 2 });
    try {
      const explanation = await parallel.explain(california);
      const single = iso.explain(california);
      expect(explanation.expectedValue).toBe(single.expectedValue);
      explanation.values.forEach((column, c) => expect(Array.from(column)).toEqual(Array.from(single.values[c])));
    } finally {
      await parallel.close();
    }
  }, 120_000);
});
