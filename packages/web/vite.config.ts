import { createHash } from 'node:crypto';
import { defaultClientConditions, defineConfig, type Plugin } from 'vite';

/**
 * The built page is one file, `dist/index.html`, that works from `file://` as well as from any static host. A page
 * opened from disk has an opaque origin: Chromium refuses its module scripts, its workers started from script URLs
 * and its fetches of files. So the script and the styles are inlined into the page, the workers are started from
 * blob URLs of code inlined into the script (`?worker&inline`, classic workers), and the wasm core is a data URL.
 */

/**
 * What the page may do: run its own inline script (by hash) and the workers it starts from blob URLs, and read
 * data URLs (its wasm core); nothing can be sent anywhere. `wasm-unsafe-eval` lets it compile WebAssembly;
 * `unsafe-eval` is there because apache-arrow's vector builders compile their null checks with `new Function`, and
 * the page runs plotly.js from its bundled text; plotly.js sets inline styles and injects its stylesheet
 * (`style-src 'unsafe-inline'`) and draws images from data and blob URLs.
 */
function contentSecurityPolicy(scriptHash: string): string {
  return [
    "default-src 'none'",
    `script-src 'sha256-${scriptHash}' 'unsafe-eval' 'wasm-unsafe-eval'`,
    'worker-src blob:',
    'connect-src data:',
    "style-src 'unsafe-inline'",
    'img-src data: blob:',
  ].join('; ');
}

/** `</script` would end the inline script element early; `<\/script` is the same text in JS strings and regexes. */
const SCRIPT_END = /<\/(script)/gi;

/**
 * Why `code` cannot sit in a script element, or null. Past `<!--`, the HTML parser reads a `<script` as opening a
 * nested script whose `</script>` it then skips, so the element would swallow the rest of the page; `-->` ends that
 * mode. (The XML event reader's code holds `<!--` and `-->`, the report's code `<script`: apart, they are harmless.)
 */
function scriptEndTrap(code: string): string | null {
  for (let at = code.indexOf('<!--'); at >= 0; at = code.indexOf('<!--', at + 4)) {
    const close = code.indexOf('-->', at + 4);
    const inside = code.slice(at, close < 0 ? code.length : close);
    if (/<script[\s/>]/i.test(inside)) return `"<!--" at ${at} is followed by "<script" before "-->"`;
  }
  return null;
}

/** Inlines the built script and stylesheet into `index.html`, with the CSP that allows exactly that script. */
function singleFilePage(): Plugin {
  return {
    name: 'isoforest-single-file-page',
    apply: 'build',
    enforce: 'post',
    generateBundle(_options, bundle) {
      const html = bundle['index.html'];
      if (html?.type !== 'asset') this.error('no index.html in the bundle');
      let page = String(html.source);
      for (const [name, output] of Object.entries(bundle)) {
        if (name === 'index.html') continue;
        if (output.type === 'chunk') {
          if (!output.isEntry) this.error(`${name}: the page must be one script, but the build split off a chunk`);
          const code = output.code.replace(SCRIPT_END, '<\\/$1');
          const trap = scriptEndTrap(code);
          if (trap !== null) this.error(`${name}: ${trap}`);
          const tag = new RegExp(`<script type="module" crossorigin src="\\./${name}"></script>`);
          if (!tag.test(page)) this.error(`index.html does not load ${name}`);
          const hash = createHash('sha256').update(code).digest('base64');
          page = page
            .replace(tag, () => `<script type="module">${code}</script>`)
            .replace(
              '<head>',
              () =>
                `<head>\n    <meta http-equiv="Content-Security-Policy" content="${contentSecurityPolicy(hash)}" />`,
            );
        } else if (name.endsWith('.css')) {
          const tag = new RegExp(`<link rel="stylesheet" crossorigin href="\\./${name}">`);
          if (!tag.test(page)) this.error(`index.html does not load ${name}`);
          page = page.replace(tag, () => `<style>${String(output.source)}</style>`);
        } else {
          this.error(`${name}: the page must be one file, but the build emitted another asset`);
        }
        delete bundle[name];
      }
      html.source = page;
    },
  };
}

export default defineConfig({
  base: './',
  plugins: [singleFilePage()],
  // The page starts the core's thread workers from inline code (`createWorker` in huntWorker.ts); this condition
  // leaves out the core's default module worker, whose script URL the build would otherwise emit as a file.
  resolve: { conditions: ['isoforest-custom-workers', ...defaultClientConditions] },
  build: {
    outDir: 'dist',
    emptyOutDir: true,
    target: 'es2022',
    modulePreload: false,
    // The wasm core (10 KB) as a data URL: a page from `file://` may not fetch files.
    assetsInlineLimit: (file) => (file.endsWith('.wasm') ? true : undefined),
  },
  // Classic workers: the page's workers start from blob URLs, whose code must hold no `import`.
  worker: { format: 'iife' },
});
