import { TuneError } from './errors.js';
import type { SettingResult, TuneMetric } from './result.js';

/**
 * The index of the best result by `metric`: the highest mean ROC AUC (`auc`) or average precision (`ap`), the
 * highest mean top-k overlap across seeds, then the highest Spearman (`stability`), or the lowest median fit plus
 * score time (`speed`). Ties go to the earlier result. Throws TuneError when the results lack what the metric
 * needs (a label for auc and ap, two seeds for stability).
 */
export function bestSetting(results: readonly SettingResult[], metric: TuneMetric): number {
  const key = sortKey(metric);
  let best = 0;
  let bestKey = key(results[0]);
  for (let i = 1; i < results.length; i++) {
    const candidate = key(results[i]);
    if (isBetter(candidate, bestKey)) {
      best = i;
      bestKey = candidate;
    }
  }
  return best;
}

/** Larger is better, compared element by element; NaN loses to any number. */
function sortKey(metric: TuneMetric): (result: SettingResult) => number[] {
  switch (metric) {
    case 'auc':
      return (r) => [requireQuality(r, metric).rocAuc.mean];
    case 'ap':
      return (r) => [requireQuality(r, metric).averagePrecision.mean];
    case 'stability':
      return (r) => {
        if (r.stability === null)
          throw new TuneError('metric stability needs at least two seeds', { option: 'metric' });
        return [r.stability.topKOverlap, r.stability.spearman];
      };
    case 'speed':
      return (r) => [-(r.fitMs + r.scoreMs)];
    default:
      throw new TuneError(`unknown metric ${String(metric)}`, { option: 'metric' });
  }
}

function requireQuality(result: SettingResult, metric: TuneMetric) {
  if (result.quality === null) throw new TuneError(`metric ${metric} needs a label column`, { option: 'metric' });
  return result.quality;
}

function isBetter(candidate: number[], incumbent: number[]): boolean {
  for (let i = 0; i < candidate.length; i++) {
    const c = Number.isNaN(candidate[i]) ? -Infinity : candidate[i];
    const b = Number.isNaN(incumbent[i]) ? -Infinity : incumbent[i];
    if (c !== b) return c > b;
  }
  return false;
}
