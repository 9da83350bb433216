import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import type { InlineScript } from './page.js';

let cached: InlineScript | undefined;

/**
 * The text of plotly.js-dist-min, read from the installed package once per process, checked to be safe to inline
 * in a `<script>` element (it must not contain `</script` or `<!--`, which would end or confuse the element), with
 * its CSP hash from node:crypto: the portable SHA-256 of `sha256.ts` takes a third of a second over its 4.6 MB.
 */
export function plotlyBundle(): InlineScript {
  if (cached !== undefined) return cached;
  const path = createRequire(import.meta.url).resolve('plotly.js-dist-min');
  const source = readFileSync(path, 'utf8');
  if (/<\/script|<!--/i.test(source)) {
    throw new Error(`${path} contains "</script" or "<!--" and cannot be inlined into the report`);
  }
  cached = { source, cspHash: `'sha256-${createHash('sha256').update(source, 'utf8').digest('base64')}'` };
  return cached;
}
