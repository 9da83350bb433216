import { averagePathLength as referenceAveragePathLength, maxDepthFor } from '@isoforest/reference';
import { describe, expect, it } from 'vitest';
import { averagePathLength, maxTreeDepth, scoreFromPathLength } from '../src/pathLength.js';

describe('averagePathLength c(n)', () => {
  it('is 0 for n <= 1 and 1 for n = 2', () => {
    expect(averagePathLength(0)).toBe(0);
    expect(averagePathLength(1)).toBe(0);
    expect(averagePathLength(2)).toBe(1);
  });

  it('matches hand-computed values', () => {
    // c(3) = 2 (ln 2 + gamma) - 4/3; c(256) = 2 (ln 255 + gamma) - 255/128 and c(135), evaluated in Python.
    expect(averagePathLength(3)).toBe(2 * (Math.log(2) + 0.5772156649015329) - 4 / 3);
    expect(averagePathLength(256)).toBeCloseTo(10.244770920119917, 13);
    expect(averagePathLength(135)).toBeCloseTo(8.964925744519702, 13);
  });

  it('agrees with the reference implementation to the bit', () => {
    for (const n of [3, 4, 17, 100, 135, 256, 4096, 1e6])
      expect(averagePathLength(n)).toBe(referenceAveragePathLength(n));
  });
});

describe('scoreFromPathLength', () => {
  it('is -0.5 at a path of c(maxSamples) and tends to -1 for short paths', () => {
    const c = averagePathLength(256);
    expect(scoreFromPathLength(c, c)).toBe(-0.5);
    expect(scoreFromPathLength(0, c)).toBe(-1);
    expect(scoreFromPathLength(2 * c, c)).toBe(-0.25);
  });
});

describe('maxTreeDepth', () => {
  it('is ceil(log2(max(n, 2)))', () => {
    expect([1, 2, 3, 4, 5, 128, 129, 256, 257, 4096].map(maxTreeDepth)).toEqual([1, 1, 2, 2, 3, 7, 8, 8, 9, 12]);
    for (const n of [2, 3, 100, 255, 256, 257, 4095]) expect(maxTreeDepth(n)).toBe(maxDepthFor(n));
  });
});
