import { outliersTable, scoresTable, type HuntResult } from '@isoforest/hunt';
import { tableCsv } from '@isoforest/ingest/browser';

/** `scores.csv` and `outliers.csv` of a hunt, byte for byte what `isoforest hunt` writes (same tables, same cells). */
export function huntTablesCsv(result: HuntResult): { scores: string; outliers: string } {
  const scored = scoresTable(result);
  return { scores: tableCsv(scored), outliers: tableCsv(outliersTable(result, scored)) };
}
