import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

/** The repository root. */
export const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..', '..');
/** Ground truth kept outside the repository. */
export const sharedRoot = path.resolve(repoRoot, '..', 'shared');
export const demoCsv = path.join(repoRoot, 'fixtures', 'demo', 'iforest-demo-data.csv');
export const ingestFixtures = path.join(repoRoot, 'fixtures', 'ingest');

/** Writes `content` to a fresh temporary file named `name` and returns its path. */
export function tempFile(name: string, content: string | Uint8Array): string {
  const dir = mkdtempSync(path.join(tmpdir(), 'isoforest-ingest-'));
  const file = path.join(dir, name);
  writeFileSync(file, content);
  return file;
}
