import { meanPathLength as referenceMeanPathLength } from '@isoforest/reference';
import { tableFromArrays } from 'apache-arrow';
import { beforeAll, describe, expect, it } from 'vitest';
import { mulberry32 } from '@isoforest/common';
import type { Engine, Float32Columns } from '../src/engine.js';
import { InputError } from '../src/errors.js';
import { BLOCK_ROWS } from '../src/input.js';
import { createIsoforest } from '../src/isoforest.js';
import type { Explanation, IsolationForestModel } from '../src/model.js';
import { averagePathLength } from '../src/pathLength.js';
import { loadEngine } from '../src/wasm/index.js';
import { readGoldenCase, type CsvColumns } from './support/golden.js';

let wasm: Engine;
let golden: CsvColumns;
let model: IsolationForestModel;

beforeAll(async () => {
  wasm = await loadEngine();
  const demo = readGoldenCase('notebook-demo');
  golden = demo.x;
  model = createIsoforest(wasm).importSklearn(demo.modelJson);
});

/** An engine that records the size of every block it is given, around another engine. */
function recordingEngine(inner: Engine): { engine: Engine; blocks: number[] } {
  const blocks: number[] = [];
  const record = (x: Float32Columns) => blocks.push(x.rows);
  return {
    blocks,
    engine: {
      growForest: (x, growth) => inner.growForest(x, growth),
      meanPathLength: (forest, x) => (record(x), inner.meanPathLength(forest, x)),
      treeShap: (forest, x) => (record(x), inner.treeShap(forest, x)),
    },
  };
}

/** Deterministic pseudo-random columns, `rows` long. */
function syntheticColumns(rows: number, columns: number): Float64Array[] {
  const uniform = mulberry32(12345);
  return Array.from({ length: columns }, () => Float64Array.from({ length: rows }, uniform));
}

describe('IsolationForestModel scores', () => {
  it('derives every score from the mean path length as scikit-learn does', () => {
    const scores = model.score(golden.columns);
    const c = averagePathLength(model.maxSamples);
    scores.meanPathLength.forEach((m, r) => {
      expect(scores.scoreSamples[r]).toBe(-Math.pow(2, -m / c));
      expect(scores.decisionFunction[r]).toBe(scores.scoreSamples[r] - model.offset);
      expect(scores.score[r]).toBe(-scores.decisionFunction[r]);
      expect(scores.predict[r]).toBe(scores.decisionFunction[r] < 0 ? -1 : 1);
      expect(scores.scoreSamples[r]).toBeLessThan(0);
      expect(scores.scoreSamples[r]).toBeGreaterThanOrEqual(-1);
    });
    expect(model.meanPathLength(golden.columns)).toEqual(scores.meanPathLength);
    expect(model.scoreSamples(golden.columns)).toEqual(scores.scoreSamples);
    expect(model.decisionFunction(golden.columns)).toEqual(scores.decisionFunction);
    expect(model.predict(golden.columns)).toEqual(scores.predict);
  });

  it('scores a table, a record and an array of columns alike', () => {
    const table = tableFromArrays(Object.fromEntries(golden.names.map((n) => [n, golden.columns[n]])));
    const fromRecord = model.scoreSamples(golden.columns);
    expect(model.scoreSamples(table)).toEqual(fromRecord);
    expect(model.scoreSamples(golden.names.map((n) => golden.columns[n]))).toEqual(fromRecord);
  });

  it('has the expected value the mean of the root values', () => {
    const { treeOffsets, value } = model.forest;
    let sum = 0;
    for (let t = 0; t < model.nEstimators; t++) sum += value[treeOffsets[t]];
    expect(model.expectedValue).toBe(sum / model.nEstimators);
  });

  it('scores large inputs in blocks of BLOCK_ROWS rows, losing no row', () => {
    const rows = 2 * BLOCK_ROWS + 1234;
    const columns = syntheticColumns(rows, 2);
    const { engine, blocks } = recordingEngine(wasm);
    const fitted = createIsoforest(engine).fit(columns, { features: ['u', 'v'], nEstimators: 8, maxSamples: 64 });
    blocks.length = 0;
    const lengths = fitted.meanPathLength(columns);
    expect(blocks).toEqual([BLOCK_ROWS, BLOCK_ROWS, 1234]);
    const data = new Float32Array(rows * 2);
    columns.forEach((column, c) => data.set(column, c * rows));
    expect(lengths).toEqual(referenceMeanPathLength(fitted.forest, { data, rows, columns: 2 }));
  });

  it('names the global row of a bad value beyond the first block', () => {
    const rows = BLOCK_ROWS + 10;
    const columns = syntheticColumns(rows, 2);
    const fitted = createIsoforest(wasm).fit(columns, { features: ['u', 'v'], nEstimators: 2, maxSamples: 32 });
    columns[1][BLOCK_ROWS + 3] = Number.NaN;
    expect(() => fitted.scoreSamples(columns)).toThrow(InputError);
    expect(() => fitted.scoreSamples(columns)).toThrow(`column "v", row ${BLOCK_ROWS + 3}: value is NaN`);
  });
});

describe('IsolationForestModel explanations (TreeSHAP)', () => {
  let explained: IsolationForestModel;
  let explanation: Explanation;
  beforeAll(() => {
    explained = createIsoforest(wasm).importSklearn(readGoldenCase('notebook-demo').modelJson);
    explanation = explained.explain(golden.columns);
  });

  it('returns one column of SHAP values per feature that add up to the mean path length (local accuracy)', () => {
    const lengths = explained.meanPathLength(golden.columns);
    expect(explanation.values).toHaveLength(golden.names.length);
    expect(explanation.expectedValue).toBe(explained.expectedValue);
    for (let r = 0; r < golden.rows; r++) {
      const sum = explanation.values.reduce((s, column) => s + column[r], 0);
      expect(Math.abs(sum + explanation.expectedValue - lengths[r])).toBeLessThan(1e-9);
    }
  });

  it('matches the engine output, transposed to one column per feature', () => {
    const data = new Float32Array(golden.rows * golden.names.length);
    golden.names.forEach((n, c) => data.set(golden.columns[n], c * golden.rows));
    const raw = wasm.treeShap(explained.forest, { data, rows: golden.rows, columns: golden.names.length });
    explanation.values.forEach((column, c) =>
      expect(column).toEqual(raw.subarray(c * golden.rows, (c + 1) * golden.rows)),
    );
  });

  it('scales by c(maxSamples)', () => {
    const c = averagePathLength(explained.maxSamples);
    expect(explanation.scaledExpectedValue).toBe(explanation.expectedValue / c);
    explanation.scaled.forEach((column, f) => column.forEach((v, r) => expect(v).toBe(explanation.values[f][r] / c)));
  });

  it('gives as importance the mean absolute SHAP value of each feature', () => {
    const importance = explained.importance(golden.columns);
    expect(importance).toHaveLength(golden.names.length);
    explanation.values.forEach((column, c) => {
      const mean = column.reduce((s, v) => s + Math.abs(v), 0) / column.length;
      expect(Math.abs(importance[c] - mean)).toBeLessThan(1e-12);
    });
  });

  it('explains large inputs block by block', () => {
    const rows = BLOCK_ROWS + 7;
    const columns = syntheticColumns(rows, 2);
    const { engine, blocks } = recordingEngine(wasm);
    const fitted = createIsoforest(engine).fit(columns, { features: ['u', 'v'], nEstimators: 3, maxSamples: 8 });
    const explanation = fitted.explain(columns);
    expect(blocks).toEqual([BLOCK_ROWS, 7]);
    const lengths = fitted.meanPathLength(columns);
    for (const r of [0, 1, BLOCK_ROWS - 1, BLOCK_ROWS, rows - 1]) {
      expect(
        Math.abs(explanation.values[0][r] + explanation.values[1][r] + explanation.expectedValue - lengths[r]),
      ).toBeLessThan(1e-9);
    }
  });
});
