/** Parallel models in Node: worker threads running `worker-node.js`, one per available core by default. */
import { availableParallelism } from 'node:os';
import { Worker, type TransferListItem } from 'node:worker_threads';
import { OptionsError } from '../errors.js';
import type { BrowserWorker, FromWorker, WorkerPort } from './protocol.js';

/** The number of threads a parallel model uses unless told otherwise: Node's `os.availableParallelism()`. */
export function defaultThreadCount(): number {
  return availableParallelism();
}

/**
 * How to start one model worker thread, with this process's Node options (loaders, conditions, ...). `createWorker`
 * makes browser Web Workers: in Node it is refused rather than ignored.
 */
export function modelWorkerSpawner(createWorker: (() => BrowserWorker) | undefined): () => WorkerPort {
  if (createWorker !== undefined) {
    throw new OptionsError('createWorker', 'is for browsers; in Node the workers are worker threads of this package');
  }
  return () => nodeWorkerPort(new Worker(new URL('./worker-node.js', import.meta.url), { execArgv: workerExecArgv() }));
}

/**
 * The Node options a worker inherits: those that shape how modules load and run (conditions, loaders, preloads,
 * source maps, warnings, profiling). The rest of `process.execArgv` is dropped: Node refuses to start a worker with
 * a V8 or process-wide option such as `--expose-gc`, `--max-old-space-size` or `--input-type`.
 */
const INHERITED_OPTIONS = new Set([
  '--conditions',
  '-C',
  '--import',
  '--require',
  '-r',
  '--loader',
  '--experimental-loader',
  '--enable-source-maps',
  '--no-warnings',
  '--cpu-prof',
  '--cpu-prof-dir',
  '--cpu-prof-name',
]);

/** Options whose value may be the next argument (`--import x`), inherited or not. */
const OPTIONS_WITH_VALUE = new Set([
  '--conditions',
  '-C',
  '--import',
  '--require',
  '-r',
  '--loader',
  '--experimental-loader',
  '--cpu-prof-dir',
  '--cpu-prof-name',
  '--input-type',
]);

function workerExecArgv(): string[] {
  const argv = process.execArgv;
  const args: string[] = [];
  for (let i = 0; i < argv.length; i++) {
    const name = argv[i].split('=')[0];
    const option = [argv[i]];
    if (OPTIONS_WITH_VALUE.has(name) && !argv[i].includes('=') && i + 1 < argv.length) option.push(argv[++i]);
    if (INHERITED_OPTIONS.has(name)) args.push(...option);
  }
  return args;
}

/**
 * A Node worker thread as a {@link WorkerPort}. An uncaught error, a message that cannot be deserialised or an exit
 * we did not ask for is a failure; exits caused by `terminate()` are not.
 */
export function nodeWorkerPort(worker: Worker): WorkerPort {
  let terminating = false;
  const failureListeners: ((error: Error) => void)[] = [];
  let failed = false;
  const fail = (error: Error): void => {
    if (terminating || failed) return;
    failed = true;
    for (const listener of failureListeners) listener(error);
  };
  worker.on('error', (error: unknown) => fail(error instanceof Error ? error : new Error(String(error))));
  worker.on('messageerror', (error: Error) => fail(new Error(`unreadable message: ${error.message}`)));
  worker.on('exit', (code: number) => fail(new Error(`the worker thread exited with code ${code}`)));
  return {
    post(message, transfer) {
      worker.postMessage(message, transfer as unknown as TransferListItem[]);
    },
    onMessage(listener) {
      worker.on('message', (message: FromWorker) => listener(message));
    },
    onFailure(listener) {
      failureListeners.push(listener);
    },
    async terminate() {
      terminating = true;
      await worker.terminate();
    },
  };
}
