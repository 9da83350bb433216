/**
 * Parallel models in browsers: Web Workers running `worker-browser.js`, module workers from its URL by default (see
 * moduleWorker-browser.ts). A page that cannot start workers from script URLs (one opened from `file://`) passes
 * its own `createWorker` instead.
 */
import { OptionsError } from '../errors.js';
import type { BrowserWorker, BrowserWorkerEvent, FromWorker, WorkerPort } from './protocol.js';
import { startModuleWorker } from '#module-worker';

/** The number of threads a parallel model uses unless told otherwise: `navigator.hardwareConcurrency` (at least 1). */
export function defaultThreadCount(): number {
  return Math.max(1, globalThis.navigator?.hardwareConcurrency ?? 1);
}

/** How to start one model worker: with `createWorker` if given, else as a module worker from this package's URL. */
export function modelWorkerSpawner(createWorker: (() => BrowserWorker) | undefined): () => WorkerPort {
  const create = createWorker ?? startModuleWorker;
  if (create === undefined) {
    throw new OptionsError('createWorker', 'is required: this bundle has no default worker (isoforest-custom-workers)');
  }
  return () => webWorkerPort(create());
}

/**
 * A Web Worker as a {@link WorkerPort}. An uncaught error (including a module that fails to load) or a message that
 * cannot be deserialised is a failure.
 */
export function webWorkerPort(worker: BrowserWorker): WorkerPort {
  const failureListeners: ((error: Error) => void)[] = [];
  let failed = false;
  const fail = (error: Error): void => {
    if (failed) return;
    failed = true;
    for (const listener of failureListeners) listener(error);
  };
  worker.addEventListener('error', (event: BrowserWorkerEvent) => {
    event.preventDefault();
    fail(new Error(event.message || 'the worker failed to load or crashed'));
  });
  worker.addEventListener('messageerror', () => fail(new Error('unreadable message from the worker')));
  return {
    post(message, transfer) {
      worker.postMessage(message, transfer as ArrayBuffer[]);
    },
    onMessage(listener) {
      worker.addEventListener('message', (event) => listener(event.data as FromWorker));
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
