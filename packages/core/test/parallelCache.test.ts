// The parallel model's cache of distinct rows, through the worker pool and on one thread, against the engine's
// TreeSHAP of every row. Workers run from the built package: build first (`npx tsc -b packages/core`).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mulberry32 } from '@isoforest/common';
import {
  BLOCK_ROWS,
  createParallelModel,
  loadIsoforest,
  OptionsError,
  type IsolationForestModel,
  type ParallelModel,
} from '@isoforest/core';
import { loadEngine, type WasmEngine } from '../dist/wasm/index.js';
import { expectBitIdentical } from './support/bitIdentical.js';

const FEATURES = ['failed', 'success', 'hosts', 'domains'];

let engine: WasmEngine;
let model: IsolationForestModel;
const parallel: Record<'one' | 'two' | 'uncached', ParallelModel> = {} as never;

/** User-day-like rows (clipped z-scores, small counts) that repeat in a random order, as named columns. */
function repeatedColumns(rows: number, seed: number): Record<string, Float64Array> {
  const uniform = mulberry32(seed);
  const column = (draw: () => number) => Float64Array.from({ length: rows }, draw);
  return {
    failed: column(() => (uniform() < 0.7 ? 0 : Math.floor(uniform() * 8) * 0.413)),
    success: column(() => (uniform() < 0.5 ? 0 : Math.floor(uniform() * 6) * 0.29)),
    hosts: column(() => 1 + Math.floor(uniform() * 4)),
    domains: column(() => (uniform() < 0.9 ? 1 : 2)),
  };
}

/** The engine's TreeSHAP of every row, no row skipped or reused: the independent truth. */
function direct(columns: Record<string, Float64Array>): Float64Array[] {
  const rows = columns.failed.length;
  const data = new Float32Array(rows * FEATURES.length);
  FEATURES.forEach((name, c) => data.set(columns[name], c * rows));
  const shap = engine.treeShap(model.forest, { data, rows, columns: FEATURES.length });
  return FEATURES.map((_, c) => shap.slice(c * rows, (c + 1) * rows));
}

beforeAll(async () => {
  engine = await loadEngine();
  const isoforest = await loadIsoforest();
  model = isoforest.fit(repeatedColumns(3000, 1), { nEstimators: 20, randomState: 3 });
  parallel.one = await createParallelModel(model, { threads: 1 });
  parallel.two = await createParallelModel(model, { threads: 2 });
  parallel.uncached = await createParallelModel(model, { threads: 2, explainCacheBytes: 0 });
});

afterAll(async () => {
  await Promise.all(Object.values(parallel).map((p) => p.close()));
});

describe.each(['one', 'two', 'uncached'] as const)('a parallel model (%s) explaining repeated rows', (which) => {
  it('gives every row of a call of several blocks the engine values, and the same on a second call', async () => {
    const first = repeatedColumns(BLOCK_ROWS * 2 + 777, 2);
    const expected = direct(first);
    expectBitIdentical((await parallel[which].explain(first)).values, expected);
    // Everything now cached (except with no cache): the same values again.
    expectBitIdentical((await parallel[which].explain(first)).values, expected);
    const second = repeatedColumns(5000, 3);
    const explanation = await parallel[which].explain(second);
    expectBitIdentical(explanation.values, direct(second));
    expect(explanation).toMatchObject({
      expectedValue: model.expectedValue,
      scaledExpectedValue: model.explain(second).scaledExpectedValue,
    });
    expectBitIdentical(explanation.scaled, model.explain(second).scaled);
  });

  it('gives calls made at once their own rows', async () => {
    const inputs = [repeatedColumns(20_000, 4), repeatedColumns(300, 5), repeatedColumns(9000, 4)];
    const results = await Promise.all(inputs.map((input) => parallel[which].explain(input)));
    results.forEach((result, i) => expectBitIdentical(result.values, direct(inputs[i])));
  });

  it('refuses a NaN in a later block by its row, then explains those rows right (nothing half-cached kept)', async () => {
    const input = repeatedColumns(BLOCK_ROWS * 2 + 5, 6);
    const bad = { ...input, success: input.success.slice() };
    bad.success[BLOCK_ROWS + 9] = Number.NaN;
    await expect(parallel[which].explain(bad)).rejects.toMatchObject({ name: 'InputError', row: BLOCK_ROWS + 9 });
    expectBitIdentical((await parallel[which].explain(input)).values, direct(input));
  });

  it('explains one row, and a call of identical rows', async () => {
    const one = { failed: [0.826], success: [0], hosts: [3], domains: [1] };
    expectBitIdentical((await parallel[which].explain(one)).values, direct(mapValues(one)));
    const same = { failed: new Array(5000).fill(0), success: new Array(5000).fill(0.58) };
    const identical = { ...same, hosts: new Array(5000).fill(2), domains: new Array(5000).fill(1) };
    expectBitIdentical((await parallel[which].explain(identical)).values, direct(mapValues(identical)));
  });
});

it('rejects a negative or non-numeric explainCacheBytes with an OptionsError', async () => {
  await expect(createParallelModel(model, { threads: 1, explainCacheBytes: -1 })).rejects.toBeInstanceOf(OptionsError);
  await expect(createParallelModel(model, { threads: 1, explainCacheBytes: Number.NaN })).rejects.toBeInstanceOf(
    OptionsError,
  );
});

function mapValues(columns: Record<string, number[]>): Record<string, Float64Array> {
  return Object.fromEntries(Object.entries(columns).map(([name, values]) => [name, Float64Array.from(values)]));
}
