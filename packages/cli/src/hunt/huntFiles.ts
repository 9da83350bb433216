import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { outliersTable, scoresTable, type HuntResult } from '@isoforest/hunt';
import { writeCsv } from '@isoforest/ingest';
import { renderHuntReport, type HuntReport } from '@isoforest/report';

/** The files a hunt writes into its output folder. */
export const HUNT_FILES = {
  report: 'report.html',
  scores: 'scores.csv',
  outliers: 'outliers.csv',
} as const;

/**
 * Writes the report and the flagged result rows (ranked, with their SHAP values), and with `scores` every scored
 * user-day to `scores.csv` (a streamed hunt has written it already, as it scored). Returns the paths of the three files.
 */
export async function writeHuntFiles(dir: string, result: HuntResult, report: HuntReport, options: { scores?: boolean } = {}): Promise<string[]> {
  await mkdir(dir, { recursive: true });
  const paths = {
    report: join(dir, HUNT_FILES.report),
    scores: join(dir, HUNT_FILES.scores),
    outliers: join(dir, HUNT_FILES.outliers),
  };
  await writeFile(paths.report, renderHuntReport(report));
  const scored = scoresTable(result);
  if (options.scores) await writeCsv(paths.scores, scored);
  await writeCsv(paths.outliers, outliersTable(result, scored));
  return Object.values(paths);
}

