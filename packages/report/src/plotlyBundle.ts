import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';

let cached: string | undefined;

/**
 * The text of plotly.js-dist-min, read from the installed package once per process, checked to be safe to inline
 * in a `<script>` element (it must not contain `</script` or `<!--`, which would end or confuse the element).
 */
export function plotlyBundle(): string {
  if (cached !== undefined) return cached;
  const path = createRequire(import.meta.url).resolve('plotly.js-dist-min');
  const text = readFileSync(path, 'utf8');
  if (/<\/script|<!--/i.test(text)) {
    throw new Error(`${path} contains "</script" or "<!--" and cannot be inlined into the report`);
  }
  cached = text;
  return text;
}
