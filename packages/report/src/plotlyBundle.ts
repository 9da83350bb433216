import { isUtf8 } from 'node:buffer';
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';

/** plotly.js-dist-min as the report inlines it: its bytes and the CSP hash of its text. */
export interface PlotlyBundle {
  readonly bytes: Buffer;
  readonly cspHash: string;
}

let cached: PlotlyBundle | undefined;

/**
 * plotly.js-dist-min, read from the installed package once per process as bytes, checked to be safe to inline in a
 * `<script>` element (valid UTF-8, so that the browser hashes the text we hashed, and no `</script` or `<!--`, which
 * would end or confuse the element), with its CSP hash from node:crypto. Its 4.6 MB are never turned into a string:
 * a few non-ASCII characters make V8 hold it as two bytes per character, and decoding and re-encoding it took most
 * of the report's time (the portable SHA-256 of `sha256.ts` another third of a second).
 */
export function plotlyBundle(): PlotlyBundle {
  if (cached !== undefined) return cached;
  const path = createRequire(import.meta.url).resolve('plotly.js-dist-min');
  const bytes = readFileSync(path);
  if (!isUtf8(bytes) || bytes.includes('<!--') || includesScriptEnd(bytes)) {
    throw new Error(`${path} is not UTF-8 or contains "</script" or "<!--", and cannot be inlined into the report`);
  }
  cached = { bytes, cspHash: `'sha256-${createHash('sha256').update(bytes).digest('base64')}'` };
  return cached;
}

const SCRIPT = Buffer.from('script');

/** Whether `bytes` hold `</script` in any letter case. */
function includesScriptEnd(bytes: Buffer): boolean {
  for (let at = bytes.indexOf('</'); at >= 0; at = bytes.indexOf('</', at + 2)) {
    let j = 0;
    // ASCII letters: setting bit 5 lower-cases them.
    while (j < SCRIPT.length && ((bytes[at + 2 + j] ?? 0) | 0x20) === SCRIPT[j]) j++;
    if (j === SCRIPT.length) return true;
  }
  return false;
}
