import type { Table } from 'apache-arrow';
import { readCountColumn } from './countColumn.js';
import { MODEL_FEATURES } from './featureList.js';

/**
 * The six model inputs of a feature table (from {@link buildFeatureTable}), one Float64Array per name of
 * {@link MODEL_FEATURES}, in that order. Nulls read as 0, as the notebook's `fillna(0)` does; the z-scores are never
 * null, so this only concerns the two raw distinct counts. Throws a {@link FeatureError} when a column is missing
 * or holds a negative, non-finite or non-numeric value.
 */
export function modelFeatureColumns(featureTable: Table): Float64Array[] {
  return MODEL_FEATURES.map((name) => readCountColumn(featureTable, name, 'zero'));
}
