// Copies the notebook's demo user-days (and their licence notice) from fixtures/demo into this package's demo/,
// so that `isoforest hunt` with no options works from an installed tarball as well as from the repository.
import { copyFileSync, mkdirSync } from 'node:fs';

const from = new URL('../../../fixtures/demo/', import.meta.url);
const to = new URL('../demo/', import.meta.url);
mkdirSync(to, { recursive: true });
for (const name of ['iforest-demo-data.csv', 'NOTICE.md']) copyFileSync(new URL(name, from), new URL(name, to));
