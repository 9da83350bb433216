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
