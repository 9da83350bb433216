import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { outliersTable, scoresTable, type HuntResult } from '@isoforest/hunt';
import { writeCsv } from '@isoforest/ingest';
import { renderHuntReportFile, type HuntReport } from '@isoforest/report';
import type { AtomicOutputs } from '../io/atomicOutput.js';

/** The files a hunt writes into its output folder. */
export const HUNT_FILES = {
  report: 'report.html',
  scores: 'scores.csv',
  outliers: 'outliers.csv',
} as const;

/**
 * Writes the report and the flagged result rows (ranked, with their SHAP values), and with `scores` every scored
 * user-day to `scores.csv` (a streamed hunt writes it as it scores), as temporary files of `outputs` that appear
 * when the caller commits them. Returns the final paths of the three files.
 */
export async function writeHuntFiles(
  outputs: AtomicOutputs,
  dir: string,
  result: HuntResult,
  report: HuntReport,
  options: { scores?: boolean } = {},
): Promise<string[]> {
  await mkdir(dir, { recursive: true });
  const paths = {
    report: join(dir, HUNT_FILES.report),
    scores: join(dir, HUNT_FILES.scores),
    outliers: join(dir, HUNT_FILES.outliers),
  };
  await writeFile(outputs.temp(paths.report), renderHuntReportFile(report));
  const scored = scoresTable(result);
  if (options.scores) await writeCsv(outputs.temp(paths.scores), scored);
  await writeCsv(outputs.temp(paths.outliers), outliersTable(result, scored));
  return Object.values(paths);
}
