// Copies plotly.js-dist-min into assets/ as the report inlines it, with the Content-Security-Policy hash of its text
// beside it, so that writing a report reads the bytes and nothing more: the checks and the SHA-256 of its 4.6 MB
// are done once here, not in every hunt. The runtime (src/plotlyBundle.ts) reads both from `../assets/`, which
// bundles of this package (the isoforest command's) copy beside themselves.
import { isUtf8 } from 'node:buffer';
import { createHash } from 'node:crypto';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';

const source = createRequire(import.meta.url).resolve('plotly.js-dist-min');
const bytes = readFileSync(source);
// Safe to inline in a `<script>` element: valid UTF-8, so that the browser hashes the text we hashed, and no
// `</script` (in any letter case) or `<!--`, which would end or confuse the element.
if (!isUtf8(bytes) || bytes.includes('<!--') || /<\/script/i.test(bytes.toString('latin1'))) {
  throw new Error(`${source} is not UTF-8 or contains "</script" or "<!--", and cannot be inlined into the report`);
}
const assets = new URL('../assets/', import.meta.url);
mkdirSync(assets, { recursive: true });
writeFileSync(new URL('plotly.min.js', assets), bytes);
writeFileSync(new URL('plotly.min.js.csp', assets), `'sha256-${createHash('sha256').update(bytes).digest('base64')}'`);
