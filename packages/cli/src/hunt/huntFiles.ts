import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { makeVector, Table, type Vector } from 'apache-arrow';
import type { HuntResult } from '@isoforest/hunt';
import { writeCsv } from '@isoforest/ingest';
import { renderHuntReport, type HuntReport } from '@isoforest/report';
import { takeRows } from '../io/takeRows.js';

/** The files a hunt writes into its output folder. */
export const HUNT_FILES = {
  report: 'report.html',
  scores: 'scores.csv',
  outliers: 'outliers.csv',
} as const;

/**
 * Writes the report and the flagged result rows (ranked, with their SHAP values); the hunt has streamed every scored
 * user-day to `scores.csv` in the same folder. Returns the paths of the three files.
 */
export async function writeHuntFiles(dir: string, result: HuntResult, report: HuntReport): Promise<string[]> {
  await mkdir(dir, { recursive: true });
  const paths = {
    report: join(dir, HUNT_FILES.report),
    scores: join(dir, HUNT_FILES.scores),
    outliers: join(dir, HUNT_FILES.outliers),
  };
  await writeFile(paths.report, renderHuntReport(report));
  const { scores } = result;
  const scored = result.featureTable.assign(
    new Table({
      score_samples: makeVector(scores.scoreSamples),
      decision_function: makeVector(scores.decisionFunction),
      predict: makeVector(scores.predict),
      score: makeVector(scores.score),
    }),
  );
  const flagged = result.ranking.filter((row) => scores.predict[row] === -1);
  await writeCsv(paths.outliers, selectRows(scored, flagged, result));
  return Object.values(paths);
}

/**
 * `rows` of `table` in the given order (types kept), with the hunt's SHAP columns and the model's expected value
 * appended, so each row says its own explanation: `sum(shap) + expected_value` is its mean path length.
 */
function selectRows(table: Table, rows: Int32Array, result: HuntResult): Table {
  const shap: Record<string, Vector> = {};
  result.model.featureNames.forEach((name, c) => {
    shap[`shap_${name}`] = makeVector(Float64Array.from(rows, (row) => result.shap[c][row]));
  });
  shap.expected_value = makeVector(new Float64Array(rows.length).fill(result.model.expectedValue));
  return takeRows(table, rows).assign(new Table(shap));
}
