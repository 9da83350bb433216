import { describe, expect, it } from 'vitest';
import {
  TuneError,
  averagePrecision,
  averageRanks,
  countLabels,
  meanStd,
  median,
  precisionAtCut,
  rocAuc,
  spearman,
  topKIndices,
  topKOverlap,
} from '../src/index.js';

describe('averageRanks', () => {
  it('gives tied values the mean of the ranks they span', () => {
    // Sorted: 10 (rank 1), 20 and 20 (ranks 2 and 3, mean 2.5), 30 (rank 4).
    expect([...averageRanks([10, 20, 20, 30])]).toEqual([1, 2.5, 2.5, 4]);
    // Sorted: rows 1 and 3 (value 1, ranks 1 and 2 -> 1.5), row 2 (value 2, rank 3), row 0 (value 3, rank 4).
    expect([...averageRanks([3, 1, 2, 1])]).toEqual([4, 1.5, 3, 1.5]);
  });

  it('refuses NaN, naming its index', () => {
    expect(() => averageRanks([1, Number.NaN])).toThrow(/index 1/);
  });
});

describe('rocAuc', () => {
  it("matches the pair count on scikit-learn's documentation example", () => {
    // Positives score 0.35 and 0.8, negatives 0.1 and 0.4. Of the 4 (positive, negative) pairs the positive wins
    // 3 (0.35 > 0.1, 0.8 > 0.1, 0.8 > 0.4) and loses 1 (0.35 < 0.4): AUC = 3/4.
    expect(rocAuc([0.1, 0.4, 0.35, 0.8], [0, 0, 1, 1])).toBe(0.75);
  });

  it('counts a tie between a positive and a negative as half a win', () => {
    // Positives 2 and 3, negatives 1 and 2. Pairs: 2>1 (1), 2=2 (0.5), 3>1 (1), 3>2 (1): 3.5 / 4.
    expect(rocAuc([1, 2, 2, 3], [0, 1, 0, 1])).toBe(0.875);
    // Every score equal: every pair is a tie.
    expect(rocAuc([5, 5, 5, 5], [0, 1, 0, 1])).toBe(0.5);
  });

  it('is 1 for a perfect ranking and 0 for a reversed one', () => {
    expect(rocAuc([0.1, 0.2, 0.9], [0, 0, 1])).toBe(1);
    expect(rocAuc([0.9, 0.2, 0.1], [0, 0, 1])).toBe(0);
  });

  it('refuses labels other than 0 and 1, a single class and mismatched lengths', () => {
    expect(() => rocAuc([1, 2, 3], [0, 2, 1])).toThrow(/row 1: label 2 is not 0 or 1/);
    expect(() => rocAuc([1, 2, 3], [0, 0, 0])).toThrow(TuneError);
    expect(() => rocAuc([1, 2, 3], [0, 1])).toThrow(/3 and 2 values/);
  });
});

describe('averagePrecision', () => {
  it("matches the step sum on scikit-learn's documentation example", () => {
    // Thresholds from the top: 0.8 (a 1): P = 1/1, R = 1/2, adds (1/2 - 0) * 1 = 1/2. 0.4 (a 0): R unchanged, adds 0.
    // 0.35 (a 1): P = 2/3, R = 1, adds (1 - 1/2) * 2/3 = 1/3. 0.1: R unchanged. AP = 1/2 + 1/3 = 5/6.
    expect(averagePrecision([0.1, 0.4, 0.35, 0.8], [0, 0, 1, 1])).toBeCloseTo(5 / 6, 15);
  });

  it('flags tied rows together, at one threshold', () => {
    // Thresholds: 3 (a 0): P = 0, R = 0, adds 0. 2 (a 1 and a 0 at once): P = 1/3, R = 1/2, adds 1/2 * 1/3 = 1/6.
    // 1 (a 1): P = 2/4, R = 1, adds 1/2 * 1/2 = 1/4. AP = 1/6 + 1/4 = 5/12. (Breaking the tie with the 1 first
    // would give 1/2 * 1/2 + 1/2 * 2/4 = 1/2 instead.)
    expect(averagePrecision([3, 2, 2, 1], [0, 1, 0, 1])).toBeCloseTo(5 / 12, 15);
  });

  it('is 1 when every anomaly outscores every normal row', () => {
    expect(averagePrecision([0.9, 0.1, 0.8, 0.2], [1, 0, 1, 0])).toBe(1);
  });
});

describe('spearman', () => {
  it('is 1 - 6 sum(d^2) / (n (n^2 - 1)) without ties', () => {
    // Ranks of b: [1, 3, 2, 4]; differences from a's ranks [1, 2, 3, 4]: 0, -1, 1, 0. 1 - 6 * 2 / (4 * 15) = 0.8.
    expect(spearman([10, 20, 30, 40], [1, 3, 2, 4])).toBeCloseTo(0.8, 15);
    expect(spearman([1, 2, 3, 4, 5], [5, 4, 3, 2, 1])).toBeCloseTo(-1, 15);
  });

  it('is the Pearson correlation of average ranks with ties', () => {
    // Ranks of b = [5, 6, 7, 8, 7]: [1, 2, 3.5, 5, 3.5]. Deviations from the mean rank 3: a (-2, -1, 0, 1, 2), b (-2, -1,
    // 0.5, 2, 0.5). Sum of products 4 + 1 + 0 + 2 + 1 = 8; sums of squares 10 and 9.5. r = 8 / sqrt(95).
    expect(spearman([1, 2, 3, 4, 5], [5, 6, 7, 8, 7])).toBeCloseTo(8 / Math.sqrt(95), 15);
  });

  it('is NaN when a vector is constant', () => {
    expect(spearman([1, 1, 1], [1, 2, 3])).toBeNaN();
  });
});

describe('topKIndices and topKOverlap', () => {
  const a = [0.9, 0.1, 0.8, 0.7, 0.2];
  const b = [0.1, 0.9, 0.8, 0.2, 0.7];

  it('takes the k largest, ties in row order', () => {
    expect([...topKIndices(a, 3)]).toEqual([0, 2, 3]);
    expect([...topKIndices([1, 1, 1, 0], 2)]).toEqual([0, 1]);
  });

  it('is the shared share of the two top-k sets', () => {
    // top-2: {0, 2} and {1, 2} share row 2: 1/2. top-3: {0, 2, 3} and {1, 2, 4} share row 2: 1/3.
    expect(topKOverlap(a, b, 2)).toBe(0.5);
    expect(topKOverlap(a, b, 3)).toBeCloseTo(1 / 3, 15);
    expect(topKOverlap(a, a, 5)).toBe(1);
  });

  it('refuses a k outside 1..rows', () => {
    expect(() => topKOverlap(a, b, 0)).toThrow(/topK 0/);
    expect(() => topKOverlap(a, b, 6)).toThrow(/topK 6/);
  });
});

describe('precisionAtCut', () => {
  it('is the share of flagged rows labelled 1', () => {
    // Flagged rows 0, 2, 3 carry labels 1, 0, 1: 2/3.
    const cut = precisionAtCut([-1, 1, -1, -1, 1], [1, 0, 0, 1, 1]);
    expect(cut.flagged).toBe(3);
    expect(cut.precision).toBeCloseTo(2 / 3, 15);
  });

  it('is 0 when nothing is flagged', () => {
    expect(precisionAtCut([1, 1], [1, 0])).toEqual({ precision: 0, flagged: 0 });
  });
});

describe('summaries', () => {
  it('median, mean and population std', () => {
    expect(median([3, 1, 2])).toBe(2);
    expect(median([4, 1, 3, 2])).toBe(2.5);
    // Mean 2.5; squared deviations 2.25, 0.25, 0.25, 2.25 average 1.25.
    const { mean, std } = meanStd([1, 2, 3, 4]);
    expect(mean).toBe(2.5);
    expect(std).toBeCloseTo(Math.sqrt(1.25), 15);
    expect(meanStd([7]).std).toBe(0);
  });

  it('countLabels counts 1s and 0s', () => {
    expect(countLabels([1, 0, 0, 1, 1])).toEqual({ positives: 3, negatives: 2 });
  });
});
