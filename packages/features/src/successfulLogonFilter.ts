import type { Table } from 'apache-arrow';
import { readCountColumn } from './countColumn.js';
import { SUCCESSFUL_LOGONS } from './userDayColumns.js';

/**
 * The 0-based rows of `table` the notebook keeps in its results: those with `SuccessfulLogons > 0` (a user-day
 * with only failed logons gave an attacker no access, so it is not reported). Rows are in ascending order.
 * Throws a {@link FeatureError} when the column is missing or holds a null, negative or non-finite value.
 */
export function rowsWithSuccessfulLogons(table: Table): Int32Array {
  return resultRowsOf(readCountColumn(table, SUCCESSFUL_LOGONS));
}

/** {@link rowsWithSuccessfulLogons} of rows whose `SuccessfulLogons` counts are `successful`. */
export function resultRowsOf(successful: Float64Array): Int32Array {
  let kept = 0;
  for (let row = 0; row < successful.length; row++) if (successful[row] > 0) kept++;
  const rows = new Int32Array(kept);
  for (let row = 0, k = 0; row < successful.length; row++) if (successful[row] > 0) rows[k++] = row;
  return rows;
}
