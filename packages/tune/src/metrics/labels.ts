import { TuneError } from '../errors.js';

/** Counts of a 0/1 label vector. */
export interface LabelCounts {
  /** Rows labelled 1 (anomalies). */
  readonly positives: number;
  /** Rows labelled 0. */
  readonly negatives: number;
}

/**
 * Counts the 1s and 0s of `labels`, throwing TuneError (naming `column` and the 0-based row) at the first value
 * that is neither 0 nor 1.
 */
export function countLabels(labels: ArrayLike<number>, column = 'label'): LabelCounts {
  let positives = 0;
  for (let row = 0; row < labels.length; row++) {
    const value = labels[row];
    if (value === 1) positives++;
    else if (value !== 0) {
      throw new TuneError(`column ${column}, row ${row}: label ${String(value)} is not 0 or 1`, { column, row });
    }
  }
  return { positives, negatives: labels.length - positives };
}

/** Throws TuneError unless `labels` hold at least one 1 and one 0, which ranking metrics need. */
export function requireBothClasses(counts: LabelCounts, what: string, column = 'label'): void {
  if (counts.positives === 0 || counts.negatives === 0) {
    throw new TuneError(
      `${what} needs both classes, but column ${column} has ${counts.positives} rows labelled 1 and ${counts.negatives} labelled 0`,
      { column },
    );
  }
}
