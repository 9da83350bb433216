import { defineConfig, type Plugin } from 'vite';

/**
 * The built page may talk to its own origin only (to fetch its wasm and scripts), so nothing can be sent elsewhere.
 * `wasm-unsafe-eval` lets it compile WebAssembly; `unsafe-eval` is there because apache-arrow's vector builders
 * compile their null checks with `new Function`; plotly.js sets inline styles and injects its stylesheet
 * (`style-src 'unsafe-inline'`) and draws images from data and blob URLs. Added at build time: the dev server injects inline scripts.
 */
const CONTENT_SECURITY_POLICY =
  "default-src 'none'; script-src 'self' 'unsafe-eval' 'wasm-unsafe-eval'; connect-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data: blob:; worker-src 'self'";

function contentSecurityPolicy(): Plugin {
  return {
    name: 'isoforest-content-security-policy',
    apply: 'build',
    transformIndexHtml: () => [
      {
        tag: 'meta',
        attrs: { 'http-equiv': 'Content-Security-Policy', content: CONTENT_SECURITY_POLICY },
        injectTo: 'head-prepend',
      },
    ],
  };
}

export default defineConfig({
  base: './',
  plugins: [contentSecurityPolicy()],
  build: { outDir: 'dist', emptyOutDir: true, target: 'es2022' },
  // The core starts its workers as module workers (`{ type: "module" }`), so the worker entry is bundled as an ES
  // module too; Vite rewrites its `new URL("...wasm", import.meta.url)` to the hashed wasm asset next to it.
  worker: { format: 'es' },
});
