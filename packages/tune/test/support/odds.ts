/** The ODDS outlier benchmarks kept outside the repository, in `../shared/data/odds` (columns x0..x{d-1}, label). */
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { makeVector, Table, type Vector } from 'apache-arrow';

const repoRoot = fileURLToPath(new URL('../../../../', import.meta.url));
const oddsDir = `${repoRoot}../shared/data/odds/`;

/** One ODDS CSV as an Arrow table of Float64 columns, with its feature names (everything but `label`). */
export function readOdds(name: string): { table: Table; features: string[] } {
  const lines = readFileSync(`${oddsDir}${name}.csv`, 'utf8').trimEnd().split('\n');
  const header = lines[0].split(',');
  const columns = header.map(() => new Float64Array(lines.length - 1));
  for (let r = 1; r < lines.length; r++) {
    const cells = lines[r].split(',');
    if (cells.length !== header.length) throw new Error(`${name}.csv line ${r + 1}: ${cells.length} fields`);
    for (let c = 0; c < cells.length; c++) columns[c][r - 1] = Number(cells[c]);
  }
  const vectors: Record<string, Vector> = {};
  header.forEach((column, c) => (vectors[column] = makeVector(columns[c])));
  return { table: new Table(vectors), features: header.filter((column) => column !== 'label') };
}
