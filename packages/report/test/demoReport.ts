/**
 * A realistic HuntReport built from the notebook's own outputs on its demo data
 * (fixtures/golden/notebook-demo/results.json: scikit-learn scores and flags, shap values, the feature table).
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Contribution, HuntReport, UserDayResult } from '../src/huntReport.js';

export const REPO_ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..', '..');

export interface NotebookResults {
  readonly features: string[];
  readonly n_estimators: number;
  readonly max_samples: number;
  readonly random_state: number;
  readonly contamination: number;
  readonly offset: number;
  readonly score_samples: number[];
  readonly score: number[];
  readonly predict: number[];
  readonly shap_expected_value: number;
  readonly shap_values: number[][];
  readonly outliers: { DstUser: string; Date: string; DstDomain: string; score: number }[];
  readonly feature_table: Record<string, (string | number)[]>;
}

export function notebookResults(): NotebookResults {
  const file = path.join(REPO_ROOT, 'fixtures', 'golden', 'notebook-demo', 'results.json');
  return JSON.parse(readFileSync(file, 'utf8')) as NotebookResults;
}

/** `9/25/2022` -> `2022-09-25`. */
export function isoDate(usDate: string): string {
  const [m, d, y] = usDate.split('/');
  return `${y}-${m.padStart(2, '0')}-${d.padStart(2, '0')}`;
}

/** The aggregated counts of the feature table (numeric, not a derived mean/std/z-score or a result column). */
function countColumns(table: NotebookResults['feature_table'], features: readonly string[]): string[] {
  return Object.keys(table).filter(
    (k) =>
      table[k].every((v) => typeof v === 'number') &&
      !/_(mean|std|zscore)$/.test(k) &&
      !features.includes(k) &&
      k !== 'anomaly' &&
      k !== 'score',
  );
}

/**
 * What the hunt ranks as a row's contributions, worked out here independently from the notebook's SHAP values: the
 * features with negative values, most negative first, at most three.
 */
export function notebookContributions(features: readonly string[], shap: readonly number[]): Contribution[] {
  return features
    .map((feature, j) => ({ feature, shap: shap[j] }))
    .filter((c) => c.shap < 0)
    .sort((a, b) => a.shap - b.shap)
    .slice(0, 3);
}

/** Options to plant hostile strings in the data. */
export interface DemoOptions {
  /** Replaces the user of the user-day ranked `rank` (1-based), to test escaping. */
  readonly hostileUser?: { readonly rank: number; readonly name: string };
}

export function demoReport(options: DemoOptions = {}): HuntReport {
  const nb = notebookResults();
  const t = nb.feature_table;
  const correlationColumns = countColumns(t, nb.features);
  const means = Object.keys(t).filter((k) => k.endsWith('_mean'));
  const rows: UserDayResult[] = nb.score.map((score, i) => ({
    date: isoDate(String(t.Date[i])),
    domain: String(t.DstDomain[i]),
    user: String(t.DstUser[i]),
    score,
    scoreSamples: nb.score_samples[i],
    anomaly: nb.predict[i] === -1,
    features: nb.features.map((f) => Number(t[f][i])),
    raw: correlationColumns.map((c) => Number(t[c][i])),
    userMeans: Object.fromEntries(means.map((k) => [k.replace(/_mean$/, ''), Number(t[k][i])])),
    shap: nb.shap_values[i],
    contributions: notebookContributions(nb.features, nb.shap_values[i]),
  }));
  rows.sort((a, b) => b.score - a.score);
  const hostile = options.hostileUser;
  if (hostile) rows[hostile.rank - 1] = { ...rows[hostile.rank - 1], user: hostile.name };
  return {
    title: 'Anomalous logons: notebook demo data',
    generatedAt: '2022-09-30T12:00:00Z',
    source: 'demo',
    parameters: {
      trees: nb.n_estimators,
      maxSamples: nb.max_samples,
      contamination: nb.contamination,
      seed: nb.random_state,
      offset: nb.offset,
    },
    counts: {
      rowsIn: rows.length,
      rowsScored: rows.length,
      rowsFiltered: 0,
      outliers: rows.filter((r) => r.anomaly).length,
    },
    featureNames: nb.features,
    correlationColumns,
    expectedValue: nb.shap_expected_value,
    rows,
  };
}
