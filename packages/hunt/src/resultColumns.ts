import { makeVector, type Vector } from 'apache-arrow';
import type { ModelScores } from '@isoforest/core';

/**
 * The names of the columns every output of scores and explanations carries (`isoforest score`, `explain`, a hunt's
 * scores.csv and outliers.csv, the rows sent to Sentinel), in one place so that readers of one find them in all.
 */

/** The score columns, in the order they are written: scikit-learn's three, then the notebook's `score`. */
export const SCORE_COLUMNS = ['score_samples', 'decision_function', 'predict', 'score'] as const;

/** The column of the model's expected value, which completes each row's SHAP values to its mean path length. */
export const EXPECTED_VALUE_COLUMN = 'expected_value';

type ScoreValues = Pick<ModelScores, 'scoreSamples' | 'decisionFunction' | 'predict' | 'score'>;

/** The column of a feature's SHAP values: `shap_<feature>`. */
export function shapColumnName(feature: string): string {
  return `shap_${feature}`;
}

/** The four {@link SCORE_COLUMNS} of `scores`, or of its rows `rows` in that order. */
export function scoreColumns(scores: ScoreValues, rows?: Int32Array): Record<(typeof SCORE_COLUMNS)[number], Vector> {
  return {
    score_samples: makeVector(select(scores.scoreSamples, rows)),
    decision_function: makeVector(select(scores.decisionFunction, rows)),
    predict: makeVector(select(scores.predict, rows)),
    score: makeVector(select(scores.score, rows)),
  };
}

/** A `shap_<feature>` column per feature (`values[c]` holds feature c's), of the rows `rows` in that order if given. */
export function shapColumns(
  features: readonly string[],
  values: readonly Float64Array[],
  rows?: Int32Array,
): Record<string, Vector> {
  return Object.fromEntries(features.map((name, c) => [shapColumnName(name), makeVector(select(values[c]!, rows))]));
}

function select<T extends Float64Array | Int8Array>(column: T, rows: Int32Array | undefined): T {
  if (rows === undefined) return column;
  const picked = new (column.constructor as new (length: number) => T)(rows.length);
  rows.forEach((row, i) => {
    picked[i] = column[row]!;
  });
  return picked;
}
