import { defineConfig } from 'vite';

// No `optimizeDeps.exclude` for the core: Vite 8's dependency pre-bundling rewrites the core's
// `new URL('../../wasm/isoforest.wasm', import.meta.url)` (and its worker's URL) to point back into the package,
// which pre-bundling with esbuild in earlier Vite versions did not (vitejs/vite#8427). The consumer test checks that
// the dev server really pre-bundled the core.
export default defineConfig({
  build: { target: 'es2022' },
});
