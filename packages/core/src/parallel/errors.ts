import { IsoforestError } from '../errors.js';

/**
 * A worker of a parallel model failed: it could not load the core or the model, it crashed or exited, or an
 * operation was started after `close()`. The parallel model is closed when this is thrown (its other workers are
 * terminated); make a new one to go on. Errors in the input data are never WorkerErrors: they are InputErrors.
 */
export class WorkerError extends IsoforestError {
  override readonly name = 'WorkerError';
  /** The 0-based index of the worker that failed; undefined when no single worker is to blame (e.g. closed). */
  readonly worker: number | undefined;

  constructor(message: string, worker?: number) {
    super(message);
    this.worker = worker;
  }
}
