import { readFileSync } from 'node:fs';

/**
 * This package's version, read from its package.json (`../package.json` from both src/ and dist/), which
 * `scripts/set-version.mjs` keeps equal to the repository's one version.
 */
export const VERSION: string = (
  JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8')) as { version: string }
).version;
