/**
 * Parallel models in browsers: module Web Workers running `worker-browser.js`. The `new Worker(new URL(...,
 * import.meta.url), { type: 'module' })` form is the one bundlers (Vite, webpack 5, esbuild plugins) recognise and
 * bundle as a worker entry, wasm asset included; keep it literal.
 */
import type { FromWorker, WorkerPort } from './protocol.js';

/** The number of threads a parallel model uses unless told otherwise: `navigator.hardwareConcurrency` (at least 1). */
export function defaultThreadCount(): number {
  return Math.max(1, globalThis.navigator?.hardwareConcurrency ?? 1);
}

/** Starts one model Web Worker. */
export function spawnModelWorker(): WorkerPort {
  return webWorkerPort(new Worker(new URL('./worker-browser.js', import.meta.url), { type: 'module' }));
}

/**
 * A Web Worker as a {@link WorkerPort}. An uncaught error (including a module that fails to load) or a message that
 * cannot be deserialised is a failure.
 */
export function webWorkerPort(worker: Worker): WorkerPort {
  const failureListeners: ((error: Error) => void)[] = [];
  let failed = false;
  const fail = (error: Error): void => {
    if (failed) return;
    failed = true;
    for (const listener of failureListeners) listener(error);
  };
  worker.addEventListener('error', (event: ErrorEvent | Event) => {
    event.preventDefault();
    const message = 'message' in event && event.message ? event.message : 'the worker failed to load or crashed';
    fail(new Error(message));
  });
  worker.addEventListener('messageerror', () => fail(new Error('unreadable message from the worker')));
  return {
    post(message, transfer) {
      worker.postMessage(message, transfer);
    },
    onMessage(listener) {
      worker.addEventListener('message', (event: MessageEvent<FromWorker>) => listener(event.data));
    },
    onFailure(listener) {
      failureListeners.push(listener);
    },
    async terminate() {
      failed = true;
      worker.terminate();
    },
  };
}
