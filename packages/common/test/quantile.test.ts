import { describe, expect, it } from 'vitest';
import { linearQuantile } from '../src/quantile.js';

describe('linearQuantile (numpy.percentile, linear)', () => {
  it('interpolates between order statistics at (n - 1) q', () => {
    // numpy.percentile([1, 2, 3, 4], 10) = 1.3; ([1, 2, 3, 4], 50) = 2.5; ([7], 1) = 7.
    expect(linearQuantile([4, 1, 3, 2], 0.1)).toBeCloseTo(1.3, 15);
    expect(linearQuantile([4, 1, 3, 2], 0.5)).toBe(2.5);
    expect(linearQuantile([7], 0.01)).toBe(7);
  });

  it('hits an order statistic exactly when (n - 1) q is whole, and handles the ends', () => {
    const values = [-0.9, -0.3, -0.5, -0.7, -0.4];
    expect(linearQuantile(values, 0.25)).toBe(-0.7);
    expect(linearQuantile(values, 0)).toBe(-0.9);
    expect(linearQuantile(values, 1)).toBe(-0.3);
  });

  it('does not reorder its input', () => {
    const values = Float64Array.of(3, 1, 2);
    linearQuantile(values, 0.5);
    expect(Array.from(values)).toEqual([3, 1, 2]);
  });

  it('rejects no values and quantiles outside [0, 1]', () => {
    expect(() => linearQuantile([], 0.5)).toThrow(RangeError);
    expect(() => linearQuantile([1], 1.5)).toThrow(RangeError);
    expect(() => linearQuantile([1], Number.NaN)).toThrow(RangeError);
  });
});

describe('linearQuantile selects the order statistics a sort gives', () => {
  /** The definition itself: a full sort, then the interpolation. */
  function sortedQuantile(values: Float64Array, q: number): number {
    const sorted = Float64Array.from(values).sort();
    const position = (sorted.length - 1) * q;
    const i = Math.floor(position);
    if (i >= sorted.length - 1) return sorted[sorted.length - 1];
    return sorted[i] + (sorted[i + 1] - sorted[i]) * (position - i);
  }

  /** Deterministic pseudo-random values in [0, 1) (a 32-bit LCG). */
  function uniforms(n: number, seed: number): Float64Array {
    let s = seed >>> 0;
    return Float64Array.from({ length: n }, () => {
      s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
      return s / 2 ** 32;
    });
  }

  const cases: [string, Float64Array][] = [
    ['distinct values', uniforms(10_001, 1).map((u) => -Math.pow(2, -u * 12))],
    ['many ties', uniforms(5_000, 2).map((u) => Math.floor(u * 7) / 7)],
    ['ascending', Float64Array.from({ length: 4_096 }, (_, i) => i / 3)],
    ['descending', Float64Array.from({ length: 4_096 }, (_, i) => -i)],
    ['all equal', new Float64Array(1_000).fill(-0.5)],
    ['organ pipe', Float64Array.from({ length: 4_097 }, (_, i) => Math.min(i, 4_096 - i))],
    ['signed zeros', Float64Array.of(0, -0, 1, -0, 0, -1, 0)],
    ['two values', Float64Array.of(2, 1)],
  ];
  it.each(cases)('%s', (_, values) => {
    for (const q of [0, 0.001, 0.01, 0.25, 0.5, 0.99, 1]) {
      expect(Object.is(linearQuantile(values, q), sortedQuantile(values, q)), `q = ${q}`).toBe(true);
    }
  });
});
