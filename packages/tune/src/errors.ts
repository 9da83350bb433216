import { IsoforestError } from '@isoforest/core';

/** Where a tuning problem lies: the option (as spelt in `TuneOptions`), the column or the 0-based row. */
export interface TuneErrorLocation {
  readonly option?: string;
  readonly column?: string;
  readonly row?: number;
}

/**
 * A sweep or a metric cannot be computed as asked: an empty or inconsistent grid, a label column that is missing
 * or holds something other than 0 and 1, a metric that needs a label or two seeds, vectors of different lengths.
 * The message is one line naming the option, column or row. It is an `IsoforestError`, so the CLI reports it as
 * bad input.
 */
export class TuneError extends IsoforestError {
  override readonly name = 'TuneError';
  /** The offending option, when the problem is one option's value. */
  readonly option: string | undefined;
  /** The offending column, when the problem is in one column. */
  readonly column: string | undefined;
  /** The 0-based row, when the problem is in one row. */
  readonly row: number | undefined;

  constructor(message: string, location: TuneErrorLocation = {}) {
    super(message);
    this.option = location.option;
    this.column = location.column;
    this.row = location.row;
  }
}
