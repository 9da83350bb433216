// Writes docs/sentinel/ from the package's one definition of the table (run after the build).
import { mkdirSync, writeFileSync } from 'node:fs';
import { sentinelDocs } from '../dist/index.js';

const dir = new URL('../../../docs/sentinel/', import.meta.url);
mkdirSync(dir, { recursive: true });
for (const [name, text] of Object.entries(sentinelDocs())) writeFileSync(new URL(name, dir), text);
