/**
 * Cuts an input into the row ranges workers run. Rows are read (checked and converted to float32) in the model's
 * own blocks of BLOCK_ROWS, in order, so the first bad value found is the one a single thread finds; a block is
 * then cut into smaller tasks only when the input is too small to give every worker a couple of whole blocks.
 */
import type { Float32Columns } from '../engine.js';
import { BLOCK_ROWS, type ResolvedInput } from '../input.js';

/** Below this many rows a task costs more in messages than it gains in balance. */
export const MIN_TASK_ROWS = 1024;

/** Rows `[start, start + block.rows)` of the input, as column-major float32. */
export interface RowTask {
  readonly start: number;
  readonly block: Float32Columns;
}

/**
 * The most rows per task for `rows` rows on `workers` workers: about two tasks per worker, between MIN_TASK_ROWS
 * and BLOCK_ROWS rows each.
 */
export function taskRowsFor(rows: number, workers: number): number {
  return Math.min(BLOCK_ROWS, Math.max(MIN_TASK_ROWS, Math.ceil(rows / (2 * workers))));
}

/**
 * The tasks covering every row of `resolved` once, in input order, each at most `maxRows` rows. Lazy: a block is
 * read only when its first task is asked for; reading throws InputError for a bad value.
 */
export function* rowTasks(resolved: ResolvedInput, maxRows: number): Generator<RowTask> {
  for (let start = 0; start < resolved.rows; start += BLOCK_ROWS) {
    const block = resolved.readBlock(start, Math.min(resolved.rows, start + BLOCK_ROWS));
    yield* splitRows(block, start, maxRows);
  }
}

/** `block` (whose first row is row `start` of its input) as equal-sized tasks of at most `maxRows` rows; whole if it fits. */
export function* splitRows(block: Float32Columns, start: number, maxRows: number): Generator<RowTask> {
  if (block.rows <= maxRows) {
    yield { start, block };
    return;
  }
  const parts = Math.ceil(block.rows / maxRows);
  const partRows = Math.ceil(block.rows / parts);
  for (let from = 0; from < block.rows; from += partRows) {
    const rows = Math.min(partRows, block.rows - from);
    // Columns are strided by the block's row count, so a row range is one copy per column.
    const data = new Float32Array(rows * block.columns);
    for (let c = 0; c < block.columns; c++) {
      const at = c * block.rows + from;
      data.set(block.data.subarray(at, at + rows), c * rows);
    }
    yield { start: start + from, block: { data, rows, columns: block.columns } };
  }
}
