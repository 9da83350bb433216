import type { IngestError } from './errors.js';

/**
 * Counts of what a source did with its input. Invariant once the source is drained:
 * `rowsRead === rowsKept + rowsRejected + sum(filtered)`.
 */
export interface IngestStats {
  /** Input rows/records read (a CSV header line is not a row). */
  rowsRead: number;
  /** Input rows that passed every filter and went into the output. */
  rowsKept: number;
  /** Input rows that were malformed and skipped (lenient mode only; strict mode throws instead). */
  rowsRejected: number;
  /** Input rows dropped on purpose, by the name of the rule that dropped them (e.g. `eventId`, `machineAccount`). */
  filtered: Record<string, number>;
  /** The first few rejection messages, one line each. */
  firstErrors: string[];
  /** Rows emitted in the output batches: input rows for a user-day CSV, user-days for raw events. */
  rowsOut: number;
}

/** How many rejection messages `IngestStats.firstErrors` keeps. */
export const MAX_FIRST_ERRORS = 10;

/** A fresh, all-zero stats object. */
export function createStats(): IngestStats {
  return { rowsRead: 0, rowsKept: 0, rowsRejected: 0, filtered: {}, firstErrors: [], rowsOut: 0 };
}

/** Counts one row dropped by `rule`. */
export function countFiltered(stats: IngestStats, rule: string, n = 1): void {
  stats.filtered[rule] = (stats.filtered[rule] ?? 0) + n;
}

/** Counts `n` rejected rows (default 1) and keeps their one message if it is among the first few. */
export function countRejected(stats: IngestStats, error: IngestError | string, n = 1): void {
  stats.rowsRejected += n;
  if (stats.firstErrors.length < MAX_FIRST_ERRORS) {
    stats.firstErrors.push(typeof error === 'string' ? error : error.message);
  }
}

/** Sum of all `filtered` counts. */
export function totalFiltered(stats: IngestStats): number {
  let sum = 0;
  for (const n of Object.values(stats.filtered)) sum += n;
  return sum;
}
