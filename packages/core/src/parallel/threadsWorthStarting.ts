/**
 * How many threads a job should start: a worker first loads its own WebAssembly core and a copy of the model (tens
 * of milliseconds each), so a thread pays only when it gets enough rows. Measured on one core with 100 trees: about
 * 1 microsecond per row scored and 32 per row explained (TreeSHAP), both in proportion to the trees.
 */

/** Microseconds of work a thread must get before starting it is worth it. */
const MIN_MICROSECONDS_PER_THREAD = 100_000;
const SCORE_MICROSECONDS_PER_ROW_TREE = 0.01;
const EXPLAIN_MICROSECONDS_PER_ROW_TREE = 0.32;

/** The work of a job: rows to score, rows to explain, and the trees of the forest. */
export interface ParallelWork {
  readonly scoreRows: number;
  readonly explainRows: number;
  readonly trees: number;
}

/**
 * `requested` threads (at least 1), or fewer when the work is too small to pay for starting them: 1 for the
 * notebook's demo, all of them for a hundred thousand rows to explain or a few million to score. Results do not
 * depend on it: every thread count gives the same scores bit for bit.
 */
export function threadsWorthStarting(requested: number, work: ParallelWork): number {
  const microseconds =
    work.trees *
    (work.scoreRows * SCORE_MICROSECONDS_PER_ROW_TREE + work.explainRows * EXPLAIN_MICROSECONDS_PER_ROW_TREE);
  return Math.max(1, Math.min(requested, Math.floor(microseconds / MIN_MICROSECONDS_PER_THREAD)));
}
