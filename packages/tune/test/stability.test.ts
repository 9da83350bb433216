import { describe, expect, it } from 'vitest';
import { bestSetting, seedStability, TuneError, type SettingResult } from '../src/index.js';

describe('seedStability', () => {
  it('is 1 and 1 for identical score vectors', () => {
    expect(
      seedStability(
        [
          [0.3, 0.1, 0.2],
          [0.3, 0.1, 0.2],
        ],
        2,
      ),
    ).toEqual({ topKOverlap: 1, spearman: 1 });
  });

  it('averages over every pair of seeds', () => {
    // Top-2 sets {0, 1}, {0, 1}, {2, 3}: pair overlaps 1, 0, 0 -> 1/3. Spearman 1, -1, -1 -> -1/3.
    const stability = seedStability(
      [
        [4, 3, 2, 1],
        [4, 3, 2, 1],
        [1, 2, 3, 4],
      ],
      2,
    )!;
    expect(stability.topKOverlap).toBeCloseTo(1 / 3, 15);
    expect(stability.spearman).toBeCloseTo(-1 / 3, 15);
  });

  it('is null for a single seed', () => {
    expect(seedStability([[1, 2]], 1)).toBeNull();
  });
});

describe('bestSetting', () => {
  const result = (trees: number, auc: number, overlap: number, ms: number): SettingResult => ({
    setting: { trees, maxSamples: 'auto', maxFeatures: 1, contamination: 'auto' },
    resolved: { maxSamples: 256, maxFeatures: 6 },
    warnings: [],
    fitMs: ms,
    scoreMs: ms,
    explainMs: null,
    stability: { topKOverlap: overlap, spearman: 0.9 },
    quality: {
      rocAuc: { mean: auc, std: 0 },
      averagePrecision: { mean: 1 - auc, std: 0 },
      precisionAtCut: { mean: 0.5, std: 0 },
      flagged: 3,
    },
  });
  const results = [result(50, 0.8, 0.9, 5), result(100, 0.9, 0.7, 9), result(200, 0.9, 0.95, 20)];

  it('picks by the chosen metric, ties going to the earlier setting', () => {
    expect(bestSetting(results, 'auc')).toBe(1);
    expect(bestSetting(results, 'ap')).toBe(0);
    expect(bestSetting(results, 'stability')).toBe(2);
    expect(bestSetting(results, 'speed')).toBe(0);
  });

  it('refuses auc without a label', () => {
    expect(() => bestSetting([{ ...results[0], quality: null }], 'auc')).toThrow(TuneError);
  });
});
