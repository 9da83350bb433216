import { meanPathLength as referenceMeanPathLength } from '@isoforest/reference';
import { beforeAll, describe, expect, it } from 'vitest';
import type { Engine } from '../src/engine.js';
import { createIsoforest } from '../src/isoforest.js';
import { type IsolationForestModel } from '../src/model.js';
import { linearQuantile } from '@isoforest/common';
import { loadEngine } from '../src/wasm/index.js';
import { goldenCaseNames, readGoldenCase, type GoldenCase } from './support/golden.js';
import { referenceEngine } from './support/referenceEngine.js';

/** Scores must match scikit-learn to this absolute error (they are the same float64 operations in the same order). */
const SCORE_TOLERANCE = 1e-12;
/** TreeSHAP sums in a different order than shap's C++; its values agree to rounding. */
const SHAP_TOLERANCE = 1e-10;

const caseNames = goldenCaseNames();

function maxAbsDiff(actual: ArrayLike<number>, expected: ArrayLike<number>): number {
  expect(actual.length).toBe(expected.length);
  let max = 0;
  for (let i = 0; i < actual.length; i++) max = Math.max(max, Math.abs(actual[i] - expected[i]));
  return max;
}

function checkCase(engineName: string, getEngine: () => Engine, { explain }: { explain: boolean }): void {
  describe.each(caseNames)(`%s (${engineName} engine)`, (name) => {
    let golden: GoldenCase;
    let model: IsolationForestModel;
    beforeAll(() => {
      golden = readGoldenCase(name);
      model = createIsoforest(getEngine()).importSklearn(golden.modelJson);
    });

    it('imports every tree and node', () => {
      expect(model.nEstimators).toBe(golden.meta.n_estimators);
      expect(model.forest.feature.length).toBe(golden.meta.total_nodes);
      expect(model.featureNames).toEqual(golden.x.names);
      expect(model.offset).toBe(golden.expected.offset);
    });

    it('matches score_samples, decision_function and predict', () => {
      const scores = model.score(golden.x.columns);
      expect(maxAbsDiff(scores.scoreSamples, golden.expected.score_samples)).toBeLessThanOrEqual(SCORE_TOLERANCE);
      expect(maxAbsDiff(scores.decisionFunction, golden.expected.decision_function)).toBeLessThanOrEqual(
        SCORE_TOLERANCE,
      );
      expect(Array.from(scores.predict)).toEqual(golden.expected.predict);
      expect(
        maxAbsDiff(
          scores.score,
          golden.expected.decision_function.map((d) => -d),
        ),
      ).toBeLessThanOrEqual(SCORE_TOLERANCE);
      expect(maxAbsDiff(model.scoreSamples(golden.x.columns), golden.expected.score_samples)).toBeLessThanOrEqual(
        SCORE_TOLERANCE,
      );
      expect(Array.from(model.predict(golden.x.columns))).toEqual(golden.expected.predict);
    });

    it('has the path lengths of the reference implementation, bit for bit', () => {
      const input = golden.x.names.map((n) => golden.x.columns[n]);
      const fromModel = model.meanPathLength(input);
      const rows = golden.x.rows;
      const data = new Float32Array(rows * input.length);
      input.forEach((column, c) => data.set(column, c * rows));
      expect(fromModel).toEqual(referenceMeanPathLength(model.forest, { data, rows, columns: input.length }));
    });

    it('re-derives a contamination offset from the training rows', () => {
      const json = JSON.parse(golden.modelJson) as { contamination: 'auto' | number };
      const trainRows = golden.meta.n_train_rows;
      const startsWithTraining =
        golden.meta.X_starts_with_training_rows === true || golden.meta.X_is_training_data === true;
      if (json.contamination === 'auto') {
        expect(model.offset).toBe(-0.5);
        return;
      }
      expect(startsWithTraining).toBe(true);
      const training = model.scoreSamples(golden.x.columns).subarray(0, trainRows);
      expect(Math.abs(linearQuantile(training, json.contamination) - golden.expected.offset)).toBeLessThanOrEqual(
        SCORE_TOLERANCE,
      );
    });

    // The reference TreeSHAP is an oracle, too slow to run on every case here; its own tests hold it to shap.
    if (explain) {
      it("matches shap's TreeSHAP values and expected value", () => {
        const explanation = model.explain(golden.x.columns);
        expect(Math.abs(explanation.expectedValue - golden.expected.shap_expected_value)).toBeLessThanOrEqual(
          SHAP_TOLERANCE,
        );
        golden.x.names.forEach((_, c) => {
          const expected = golden.expected.shap_values.map((row) => row[c]);
          expect(maxAbsDiff(explanation.values[c], expected)).toBeLessThanOrEqual(SHAP_TOLERANCE);
        });
      });
    }
  });
}

describe('golden cases against scikit-learn', () => {
  it('covers every case of fixtures/golden/index.json', () => {
    expect(caseNames.length).toBeGreaterThanOrEqual(11);
  });

  it('predicts exactly 2 outliers on the notebook demo', () => {
    const golden = readGoldenCase('notebook-demo');
    const model = createIsoforest(referenceEngine).importSklearn(golden.modelJson);
    const outliers = Array.from(model.predict(golden.x.columns)).filter((p) => p === -1).length;
    expect(outliers).toBe(2);
    expect(outliers).toBe(golden.meta.n_predicted_outliers);
  });
});

let wasmEngine: Engine;
beforeAll(async () => {
  wasmEngine = await loadEngine();
});
checkCase('wasm', () => wasmEngine, { explain: true });
checkCase('reference', () => referenceEngine, { explain: false });
