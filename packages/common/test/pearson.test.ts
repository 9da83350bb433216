import { describe, expect, it } from 'vitest';
import { pearson } from '../src/pearson.js';

describe('pearson', () => {
  it('matches a hand computation: r = 4 / 5', () => {
    // Both have mean 2.5; deviations (-1.5, -0.5, 0.5, 1.5) and (-1.5, 0.5, -0.5, 1.5): sum dx dy = 4, sum dx^2 =
    // sum dy^2 = 5.
    expect(pearson([1, 2, 3, 4], [1, 3, 2, 4])).toBeCloseTo(0.8, 14);
  });

  it("gives r = 0.816 on Anscombe's first data set (numpy.corrcoef: 0.81642051634484)", () => {
    const x = [10, 8, 13, 9, 11, 14, 6, 4, 12, 7, 5];
    const y = [8.04, 6.95, 7.58, 8.81, 8.33, 9.96, 7.24, 4.26, 10.84, 4.82, 5.68];
    expect(pearson(x, y)).toBeCloseTo(0.81642051634484, 13);
    expect(pearson(Float64Array.from(y), Float64Array.from(x))).toBeCloseTo(0.81642051634484, 13);
  });

  it('is exactly 1 or -1 for a perfect linear relation, however large the values', () => {
    expect(pearson([1, 2, 3, 4], [4, 3, 2, 1])).toBe(-1);
    expect(pearson([1e9 + 1, 1e9 + 2, 1e9 + 3], [2, 4, 6])).toBe(1);
  });

  it('is NaN for a constant column or fewer than two values, and rejects columns of different lengths', () => {
    expect(pearson([1, 2, 3], [5, 5, 5])).toBeNaN();
    expect(pearson([1], [2])).toBeNaN();
    expect(() => pearson([1, 2], [1, 2, 3])).toThrow(RangeError);
  });
});
