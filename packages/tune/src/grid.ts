import type { MaxSamples } from '@isoforest/core';
import { TuneError } from './errors.js';

/** The values to sweep, one list per fit option (see `FitOptions` of `@isoforest/core` for what each means). */
export interface TuneGrid {
  /** Numbers of trees (`nEstimators`). */
  readonly trees: readonly number[];
  /** Rows per tree (the core's `MaxSamples`): `"auto"` (min(256, rows)), a fraction in (0, 1], a count, `{ count }` or `{ fraction }`. */
  readonly maxSamples: readonly MaxSamples[];
  /** Features per tree: a fraction in (0, 1] or a count. */
  readonly maxFeatures: readonly number[];
  /** Expected share of outliers, setting the cut (`offset`): `"auto"` or a number in (0, 0.5]. */
  readonly contamination: readonly ('auto' | number)[];
}

/** One point of the grid: the fit options of one setting. */
export interface TuneSetting {
  readonly trees: number;
  readonly maxSamples: MaxSamples;
  readonly maxFeatures: number;
  readonly contamination: 'auto' | number;
}

/** The grid `isoforest tune` sweeps unless told otherwise: 3 x 3 x 2 x 2 = 36 settings around scikit-learn's defaults. */
export const DEFAULT_GRID: TuneGrid = {
  trees: [50, 100, 200],
  maxSamples: [128, 256, 512],
  maxFeatures: [0.5, 1],
  contamination: ['auto', 0.01],
};

const GRID_KEYS = ['trees', 'maxSamples', 'maxFeatures', 'contamination'] as const;

/** `grid` with every list it leaves out taken from {@link DEFAULT_GRID}. */
export function completeGrid(grid: Partial<TuneGrid> = {}): TuneGrid {
  for (const key of Object.keys(grid)) {
    if (!(GRID_KEYS as readonly string[]).includes(key)) {
      throw new TuneError(`unknown grid option ${key}; the grid options are ${GRID_KEYS.join(', ')}`, {
        option: `grid.${key}`,
      });
    }
  }
  return { ...DEFAULT_GRID, ...grid };
}

/**
 * Every setting of the grid, trees varying slowest and contamination fastest. Throws TuneError for an empty list
 * or a repeated value; the values themselves are checked by the core when fitting.
 */
export function expandGrid(grid: TuneGrid): TuneSetting[] {
  for (const key of GRID_KEYS) {
    const values: readonly unknown[] = grid[key];
    if (!Array.isArray(values) || values.length === 0) {
      throw new TuneError(`grid.${key} must list at least one value`, { option: `grid.${key}` });
    }
    const labels = values.map((value) => (key === 'maxSamples' ? maxSamplesLabel(value as MaxSamples) : String(value)));
    const repeated = labels.find((label, i) => labels.indexOf(label) !== i);
    if (repeated !== undefined) throw new TuneError(`grid.${key} lists ${repeated} twice`, { option: `grid.${key}` });
  }
  const settings: TuneSetting[] = [];
  for (const trees of grid.trees) {
    for (const maxSamples of grid.maxSamples) {
      for (const maxFeatures of grid.maxFeatures) {
        for (const contamination of grid.contamination)
          settings.push({ trees, maxSamples, maxFeatures, contamination });
      }
    }
  }
  return settings;
}

/**
 * A `maxSamples` value as scikit-learn would write it: `auto`, a count as an integer (`256`, `1` = one row), a
 * fraction with a decimal point (`0.5`, `1.0` = all rows). A bare number means what the core reads it as.
 */
export function maxSamplesLabel(value: MaxSamples): string {
  const fraction = (f: number): string => (Number.isInteger(f) ? f.toFixed(1) : String(f));
  if (value === 'auto') return value;
  if (typeof value === 'number') return value <= 1 ? fraction(value) : String(value);
  if ('count' in value) return String(value.count);
  return fraction(value.fraction);
}
