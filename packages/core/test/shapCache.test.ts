// The cache of distinct rows' SHAP values against the engine's TreeSHAP of every row, no row skipped: whatever
// repeats, the values must be the engine's to the bit (Object.is, so -0 and 0 differ too).
import { beforeAll, describe, expect, it } from 'vitest';
import { mulberry32 } from '@isoforest/common';
import type { Float32Columns } from '../src/engine.js';
import { BLOCK_ROWS } from '../src/input.js';
import { createIsoforest } from '../src/isoforest.js';
import type { IsolationForestModel } from '../src/model.js';
import { averagePathLength } from '../src/pathLength.js';
import { cacheRowsFor, ShapCache } from '../src/shapCache.js';
import { loadEngine, type WasmEngine } from '../src/wasm/index.js';
import { expectBitIdentical } from './support/bitIdentical.js';

const FEATURES = ['failed', 'success', 'hosts'];
const COLUMNS = FEATURES.length;
let engine: WasmEngine;
let model: IsolationForestModel;

beforeAll(async () => {
  engine = await loadEngine();
  const train = repeatedRows(2000, 1);
  model = createIsoforest(engine).fit(named(train), { nEstimators: 25, randomState: 9 });
});

/**
 * Rows shaped like user-day features, column-major: two z-scores that are mostly 0 (clipped) and otherwise one of a
 * few values, and a small count. About a tenth of the possible rows; they repeat in a random order.
 */
function repeatedRows(rows: number, seed: number): Float32Columns {
  const uniform = mulberry32(seed);
  const data = new Float32Array(rows * COLUMNS);
  for (let r = 0; r < rows; r++) {
    data[r] = uniform() < 0.7 ? 0 : Math.floor(uniform() * 6) * 0.37;
    data[rows + r] = uniform() < 0.6 ? 0 : Math.floor(uniform() * 5) * 0.71;
    data[2 * rows + r] = 1 + Math.floor(uniform() * 4);
  }
  return { data, rows, columns: COLUMNS };
}

/** Continuous rows: every one distinct. */
function distinctRows(rows: number, seed: number): Float32Columns {
  const uniform = mulberry32(seed);
  const data = new Float32Array(rows * COLUMNS);
  for (let i = 0; i < data.length; i++) data[i] = uniform() * 4;
  return { data, rows, columns: COLUMNS };
}

function fromRows(rows: readonly number[][]): Float32Columns {
  const data = new Float32Array(rows.length * COLUMNS);
  rows.forEach((row, r) => row.forEach((value, c) => (data[c * rows.length + r] = value)));
  return { data, rows: rows.length, columns: COLUMNS };
}

function columnsOf(x: Float32Columns): Float32Array[] {
  return Array.from({ length: x.columns }, (_, c) => x.data.slice(c * x.rows, (c + 1) * x.rows));
}

/** The columns named as the model's features. */
function named(x: Float32Columns): Record<string, Float32Array> {
  return Object.fromEntries(columnsOf(x).map((column, c) => [FEATURES[c], column]));
}

/** The independent truth: the engine's TreeSHAP of every row, as columns. */
function direct(x: Float32Columns): Float64Array[] {
  const shap = engine.treeShap(model.forest, x);
  return Array.from({ length: x.columns }, (_, c) => shap.slice(c * x.rows, (c + 1) * x.rows));
}

/** Plans `x` against `cache`, explains what it lacks with the engine and returns every row's values. */
function throughCache(cache: ShapCache, x: Float32Columns): { values: Float64Array[]; explained: number } {
  const plan = cache.plan(x);
  const values = Array.from({ length: x.columns }, () => new Float64Array(x.rows));
  const shap = plan.missing.rows === 0 ? new Float64Array(0) : engine.treeShap(model.forest, plan.missing);
  cache.finish(plan, shap, values, 0);
  return { values, explained: plan.missing.rows };
}

/** The distinct rows of `x` as text keys, in order of first appearance. */
function distinctKeys(x: Float32Columns): string[] {
  const columns = columnsOf(x);
  return [...new Set(Array.from({ length: x.rows }, (_, r) => columns.map((column) => column[r]).join()))];
}

function distinctCount(x: Float32Columns): number {
  return distinctKeys(x).length;
}

describe('ShapCache', () => {
  it('explains each distinct row once and gives every row the engine values, on rows that repeat a lot', () => {
    const x = repeatedRows(5000, 2);
    const distinct = distinctCount(x);
    expect(distinct).toBeLessThan(x.rows / 10);
    const cache = new ShapCache(COLUMNS, 100_000);
    const { values, explained } = throughCache(cache, x);
    expect(explained).toBe(distinct);
    expect(cache.rows).toBe(distinct);
    expectBitIdentical(values, direct(x));
  });

  it('gives all-distinct rows the engine values in order', () => {
    const x = distinctRows(3000, 3);
    const cache = new ShapCache(COLUMNS, 100_000);
    const { values, explained } = throughCache(cache, x);
    expect(explained).toBe(x.rows);
    expectBitIdentical(values, direct(x));
  });

  it('explains a block of identical rows once, and a single row', () => {
    const same = fromRows(Array.from({ length: 700 }, () => [0.37, 0, 2]));
    const cache = new ShapCache(COLUMNS, 10);
    const { values, explained } = throughCache(cache, same);
    expect(explained).toBe(1);
    expectBitIdentical(values, direct(same));
    const one = fromRows([[1.11, 2.13, 3]]);
    const single = throughCache(cache, one);
    expect(single.explained).toBe(1);
    expectBitIdentical(single.values, direct(one));
  });

  it('tells -0 from 0 (distinct bits, so explained apart) and gives each its engine values', () => {
    const x = fromRows([
      [0, 0, 1],
      [-0, 0, 1],
      [0, -0, 1],
      [-0, 0, 1],
      [0, 0, 1],
    ]);
    const cache = new ShapCache(COLUMNS, 10);
    const { values, explained } = throughCache(cache, x);
    expect(explained).toBe(3);
    expectBitIdentical(values, direct(x));
  });

  it('reuses rows across blocks, explaining only the new ones', () => {
    const first = repeatedRows(4000, 4);
    const second = repeatedRows(4000, 5);
    const cache = new ShapCache(COLUMNS, 100_000);
    throughCache(cache, first);
    const held = cache.rows;
    const { values, explained } = throughCache(cache, second);
    expect(explained).toBe(cache.rows - held);
    expect(explained).toBeLessThan(distinctCount(second));
    expectBitIdentical(values, direct(second));
    // A block of rows all seen before needs no engine at all.
    const again = throughCache(cache, first);
    expect(again.explained).toBe(0);
    expectBitIdentical(again.values, direct(first));
  });

  it.each([40, 0])(
    'stays within a capacity of %i rows, keeps what it holds and still finds repeats in a block',
    (capacity) => {
      const cache = new ShapCache(COLUMNS, capacity);
      const x = repeatedRows(6000, 6);
      const { values, explained } = throughCache(cache, x);
      expect(cache.rows).toBe(capacity);
      expect(explained).toBe(distinctCount(x));
      expectBitIdentical(values, direct(x));
      // Full, it keeps the first rows it held: a later block explains its distinct rows but those.
      const held = new Set(distinctKeys(x).slice(0, capacity));
      const later = repeatedRows(6000, 7);
      const next = throughCache(cache, later);
      expect(cache.rows).toBe(capacity);
      expect(next.explained).toBe(distinctKeys(later).filter((key) => !held.has(key)).length);
      expectBitIdentical(next.values, direct(later));
    },
  );

  it('finishes blocks planned ahead in order, the later reusing rows the earlier is still explaining', () => {
    const cache = new ShapCache(COLUMNS, 100_000);
    const a = repeatedRows(3000, 9);
    const b = repeatedRows(3000, 10);
    const planA = cache.plan(a);
    const planB = cache.plan(b);
    expect(planB.missing.rows).toBeLessThan(distinctCount(b));
    const outA = direct(a).map((column) => new Float64Array(column.length));
    const outB = direct(b).map((column) => new Float64Array(column.length));
    cache.finish(planA, engine.treeShap(model.forest, planA.missing), outA, 0);
    cache.finish(planB, engine.treeShap(model.forest, planB.missing), outB, 0);
    expectBitIdentical(outA, direct(a));
    expectBitIdentical(outB, direct(b));
  });

  it('forgets everything on clear', () => {
    const cache = new ShapCache(COLUMNS, 100);
    const x = repeatedRows(500, 11);
    throughCache(cache, x);
    cache.clear();
    expect(cache.rows).toBe(0);
    const { values, explained } = throughCache(cache, x);
    expect(explained).toBe(distinctCount(x));
    expectBitIdentical(values, direct(x));
  });

  it('sizes itself by bytes: a float32 key, float64 values and up to four table slots a row', () => {
    expect(cacheRowsFor(6, 64 * 1024 * 1024)).toBe(762_600);
    expect(cacheRowsFor(6, 87)).toBe(0);
    expect(cacheRowsFor(6, 88)).toBe(1);
  });
});

describe('IsolationForestModel.explain and importance with the cache', () => {
  it('explains a call of several blocks as the engine does row by row, finding repeats across blocks', () => {
    const x = repeatedRows(BLOCK_ROWS * 2 + 1234, 12);
    const { values, scaled } = model.explain(named(x));
    const expected = direct(x);
    expectBitIdentical(values, expected);
    const normaliser = averagePathLength(model.maxSamples);
    expectBitIdentical(
      scaled,
      expected.map((column) => column.map((v) => v / normaliser)),
    );
  });

  it('explains all-distinct rows and one row as the engine does', () => {
    const x = distinctRows(2500, 13);
    expectBitIdentical(model.explain(named(x)).values, direct(x));
    const one = fromRows([[0.5, 0, 2]]);
    expectBitIdentical(model.explain(named(one)).values, direct(one));
  });

  it('sums the same absolute values into the importance, in the same order', () => {
    const x = repeatedRows(BLOCK_ROWS + 500, 14);
    const expected = direct(x);
    const sums = expected.map((column) => {
      // Block by block, as importance streams: the sum of each block's absolute values, added to the total.
      let total = 0;
      for (let start = 0; start < x.rows; start += BLOCK_ROWS) {
        let sum = 0;
        for (let r = start; r < Math.min(x.rows, start + BLOCK_ROWS); r++) sum += Math.abs(column[r]);
        total += sum;
      }
      return total / x.rows;
    });
    expect(Array.from(model.importance(named(x)))).toEqual(sums);
  });

  it('still names the row of a NaN, which the API refuses', () => {
    const x = named(repeatedRows(BLOCK_ROWS + 10, 15));
    x.success[BLOCK_ROWS + 3] = Number.NaN;
    expect(() => model.explain(x)).toThrow(`column "success", row ${BLOCK_ROWS + 3}: value is NaN`);
  });
});
