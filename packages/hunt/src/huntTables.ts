import { makeVector, Table, type Vector } from 'apache-arrow';
import type { HuntResult } from './huntUserDays.js';
import { RowCollector } from './passes/rowCollector.js';
import { EXPECTED_VALUE_COLUMN, scoreColumns, shapColumns } from './resultColumns.js';

/**
 * Every scored user-day (the feature table, in input order) with its scores: `score_samples`,
 * `decision_function`, `predict` and the notebook's `score`. What `scores.csv` holds.
 */
export function scoresTable(result: HuntResult): Table {
  return result.featureTable.assign(new Table(scoreColumns(result.scores)));
}

/**
 * The flagged result rows of `scoresTable`, ranked, with a `shap_<feature>` column per model feature and the
 * model's `expected_value`, so each row carries its whole explanation (`sum(shap) + expected_value` is its mean
 * path length). What `outliers.csv` holds.
 */
export function outliersTable(result: HuntResult, scored: Table = scoresTable(result)): Table {
  const flagged = result.ranking.filter((row) => result.scores.predict[row] === -1);
  const collector = new RowCollector(flagged.length);
  collector.take(
    scored,
    Array.from(flagged, (row, k) => [row, k] as const),
  );
  const columns: Record<string, Vector> = {};
  const gathered = collector.table();
  gathered.schema.fields.forEach((field, c) => (columns[field.name] = gathered.getChildAt(c)!));
  Object.assign(columns, shapColumns(result.model.featureNames, result.shap, flagged));
  columns[EXPECTED_VALUE_COLUMN] = makeVector(new Float64Array(flagged.length).fill(result.model.expectedValue));
  return new Table(columns);
}
