import { MODEL_FEATURES } from './featureList.js';

/** Below this many rows the notebook grows more trees for a smaller table; from it on, a fixed forest. */
export const NOTEBOOK_SMALL_TABLE_ROWS = 500;

/** The notebook's forest size for tables of at least {@link NOTEBOOK_SMALL_TABLE_ROWS} rows. */
export const NOTEBOOK_LARGE_TABLE_TREES = 100;

/**
 * The notebook's number of trees for a training table of `rows` user-days: `6 * 4 + 2 * rows` (6 being the number
 * of model features) below {@link NOTEBOOK_SMALL_TABLE_ROWS} rows, else {@link NOTEBOOK_LARGE_TABLE_TREES}.
 * For the demo data, 135 rows give 294 trees.
 */
export function notebookTreeCount(rows: number): number {
  if (!Number.isInteger(rows) || rows < 0) throw new RangeError(`rows must be a non-negative integer, got ${rows}`);
  return rows < NOTEBOOK_SMALL_TABLE_ROWS ? MODEL_FEATURES.length * 4 + 2 * rows : NOTEBOOK_LARGE_TABLE_TREES;
}
