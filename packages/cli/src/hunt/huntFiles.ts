import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { makeVector, Table, type Vector } from 'apache-arrow';
import type { HuntResult } from '@isoforest/hunt';
import { writeCsv } from '@isoforest/ingest';
import { renderHuntReport, type HuntReport } from '@isoforest/report';
import type { AtomicOutputs } from '../io/atomicOutput.js';
import { takeRows } from '../io/takeRows.js';

/** The files a hunt writes into its output folder. */
export const HUNT_FILES = {
  report: 'report.html',
  scores: 'scores.csv',
  outliers: 'outliers.csv',
} as const;

/**
 * Writes the report, every scored user-day with its scores, and the flagged result rows (ranked, with their SHAP
 * values), as temporary files of `outputs` that appear when the caller commits them. Returns the final paths.
 */
export async function writeHuntFiles(outputs: AtomicOutputs, dir: string, result: HuntResult, report: HuntReport): Promise<string[]> {
  await mkdir(dir, { recursive: true });
  const paths = {
    report: join(dir, HUNT_FILES.report),
    scores: join(dir, HUNT_FILES.scores),
    outliers: join(dir, HUNT_FILES.outliers),
  };
  await writeFile(outputs.temp(paths.report), renderHuntReport(report));
  const { scores } = result;
  const scored = result.featureTable.assign(
    new Table({
      score_samples: makeVector(scores.scoreSamples),
      decision_function: makeVector(scores.decisionFunction),
      predict: makeVector(scores.predict),
      score: makeVector(scores.score),
    }),
  );
  await writeCsv(outputs.temp(paths.scores), scored);
  const flagged = result.ranking.filter((row) => scores.predict[row] === -1);
  await writeCsv(outputs.temp(paths.outliers), selectRows(scored, flagged, result));
  return Object.values(paths);
}

/** `rows` of `table` in the given order (types kept), with the hunt's SHAP columns appended. */
function selectRows(table: Table, rows: Int32Array, result: HuntResult): Table {
  const shap: Record<string, Vector> = {};
  result.model.featureNames.forEach((name, c) => {
    shap[`shap_${name}`] = makeVector(Float64Array.from(rows, (row) => result.shap[c][row]));
  });
  return takeRows(table, rows).assign(new Table(shap));
}
