import { describe, expect, it } from 'vitest';
import { averagePathLength, maxDepthFor, scoreFromPathLength } from '../src/index.js';

describe('averagePathLength (c(n))', () => {
  it('is 0 for n <= 1 and 1 for n = 2, as scikit-learn special-cases them', () => {
    expect(averagePathLength(0)).toBe(0);
    expect(averagePathLength(1)).toBe(0);
    expect(averagePathLength(2)).toBe(1);
  });

  it('matches 2 (ln(n - 1) + gamma) - 2 (n - 1) / n worked by hand', () => {
    // n = 3: 2 (ln 2 + 0.5772156649015329) - 4/3, with ln 2 = 0.6931471805599453.
    expect(averagePathLength(3)).toBeCloseTo(2 * 1.2703628454614782 - 1.3333333333333333, 14);
    expect(averagePathLength(3)).toBeCloseTo(1.207392357589623, 14);
    // n = 256: 2 (ln 255 + gamma) - 510/256, with ln 255 = 5.541263545158426.
    expect(averagePathLength(256)).toBeCloseTo(2 * 6.118479210059959 - 1.9921875, 12);
    expect(averagePathLength(256)).toBeCloseTo(10.244770920119919, 12);
  });
});

describe('maxDepthFor', () => {
  it('is ceil(log2(max(maxSamples, 2)))', () => {
    expect([1, 2, 3, 4, 5, 255, 256, 257].map(maxDepthFor)).toEqual([1, 1, 2, 2, 3, 8, 8, 9]);
  });
});

describe('scoreFromPathLength', () => {
  it('is -0.5 when the mean path length equals c(maxSamples)', () => {
    expect(scoreFromPathLength(averagePathLength(256), averagePathLength(256))).toBe(-0.5);
  });
  it('tends to -1 for short paths and to 0 for long ones', () => {
    expect(scoreFromPathLength(0, averagePathLength(256))).toBe(-1);
    expect(scoreFromPathLength(2 * averagePathLength(256), averagePathLength(256))).toBe(-0.25);
  });
});
