/**
 * The default way a page starts a model worker: a module worker from this package's script URL, in the
 * `new Worker(new URL(..., import.meta.url), { type: 'module' })` form that bundlers (Vite, webpack 5, esbuild
 * plugins) recognise and bundle as a worker entry, wasm asset included; keep it literal.
 */
import type { BrowserWorker } from './protocol.js';

export const startModuleWorker: (() => BrowserWorker) | undefined = () =>
  new Worker(new URL('./worker-browser.js', import.meta.url), { type: 'module' });
