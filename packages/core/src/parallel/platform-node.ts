/** Parallel models in Node: worker threads running `worker-node.js`, one per available core by default. */
import { availableParallelism } from 'node:os';
import { Worker, type TransferListItem } from 'node:worker_threads';
import type { FromWorker, WorkerPort } from './protocol.js';

/** The number of threads a parallel model uses unless told otherwise: Node's `os.availableParallelism()`. */
export function defaultThreadCount(): number {
  return availableParallelism();
}

/** Starts one model worker thread, with this process's Node options (loaders, conditions, ...). */
export function spawnModelWorker(): WorkerPort {
  return nodeWorkerPort(new Worker(new URL('./worker-node.js', import.meta.url), { execArgv: workerExecArgv() }));
}

/**
 * `process.execArgv` minus `--input-type`, which only applies to code given with `--eval`, and which Node refuses
 * to start a worker file with (a parallel model made inside `node --input-type=module -e ...` would otherwise fail).
 */
function workerExecArgv(): string[] {
  const args: string[] = [];
  for (let i = 0; i < process.execArgv.length; i++) {
    const arg = process.execArgv[i];
    if (arg === '--input-type') i++;
    else if (!arg.startsWith('--input-type=')) args.push(arg);
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
