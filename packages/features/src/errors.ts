/** Where in the input table a problem was found. `row` is 0-based over the whole table, across record batches. */
export interface FeatureErrorLocation {
  readonly column?: string;
  readonly row?: number;
}

/**
 * The user-day table cannot be turned into features: a required column is missing or of a non-numeric type, a
 * count is null, negative or not finite, a user key is null, or an output column already exists. The message is
 * one line naming the column and row, so a CLI can print it as is.
 */
export class FeatureError extends Error {
  override readonly name = 'FeatureError';
  /** The offending column, when the problem is in one column. */
  readonly column: string | undefined;
  /** The 0-based row, when the problem is in one row. */
  readonly row: number | undefined;

  constructor(message: string, location: FeatureErrorLocation = {}) {
    super(message);
    this.column = location.column;
    this.row = location.row;
  }
}
