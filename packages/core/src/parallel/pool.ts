/**
 * A fixed set of workers, each holding the same model, that run block tasks. Tasks go to the worker with the
 * fewest tasks in flight; each worker runs its own tasks in the order they were sent. A failed worker fails every
 * task in flight and closes the pool: a broken pool rejects, it never hangs.
 */
import { WorkerError } from './errors.js';
import type { BlockOperation, BlockResult, FromWorker, InitMessage, SentError, WorkerPort } from './protocol.js';
import type { Float32Columns } from '../engine.js';

interface PendingTask {
  resolve(result: BlockResult): void;
  reject(error: Error): void;
}

interface Slot {
  readonly port: WorkerPort;
  readonly pending: Map<number, PendingTask>;
}

export class WorkerPool {
  readonly #slots: Slot[];
  #nextId = 0;
  #closed: Promise<void> | undefined;
  /** Why the pool closed, reported to any task started afterwards. */
  #closedReason = 'the parallel model is closed';
  /** The start-up waits still open: a pool closed before every worker is ready must end them, not leave them. */
  readonly #startWaits = new Set<(error: Error) => void>();

  private constructor(ports: readonly WorkerPort[]) {
    this.#slots = ports.map((port) => ({ port, pending: new Map() }));
    this.#slots.forEach((slot, index) => {
      slot.port.onMessage((message) => this.#receive(index, message));
    });
  }

  /**
   * Sends `init` to every port and resolves once all of them have loaded the model. If any worker fails to start,
   * every worker is terminated and the promise rejects with a WorkerError naming it.
   */
  static async start(ports: readonly WorkerPort[], init: InitMessage): Promise<WorkerPool> {
    const pool = new WorkerPool(ports);
    const ready = ports.map((port, index) => pool.#awaitReady(port, index));
    // After the start-up waits' own listeners, so a worker failing while starting is named as such first.
    ports.forEach((port, index) =>
      port.onFailure((error) => pool.#fail(new WorkerError(`worker ${index} stopped: ${error.message}`, index))),
    );
    try {
      ports.forEach((port) => port.post(init, []));
      await Promise.all(ready);
      pool.#startWaits.clear();
    } catch (error) {
      await pool.close();
      throw error;
    }
    return pool;
  }

  /** Number of workers. */
  get size(): number {
    return this.#slots.length;
  }

  /**
   * Runs `operation` on `block` in the least busy worker. `block.data`'s buffer is transferred (detached here) when
   * the block owns all of it; otherwise the block is copied.
   */
  run(operation: BlockOperation, block: Float32Columns): Promise<BlockResult> {
    if (this.#closed !== undefined) return Promise.reject(new WorkerError(this.#closedReason));
    const slot = this.#slots.reduce((best, candidate) =>
      candidate.pending.size < best.pending.size ? candidate : best,
    );
    const id = this.#nextId++;
    return new Promise<BlockResult>((resolve, reject) => {
      slot.pending.set(id, { resolve, reject });
      const { data } = block;
      const ownsBuffer =
        data.buffer instanceof ArrayBuffer && data.byteOffset === 0 && data.byteLength === data.buffer.byteLength;
      try {
        slot.port.post({ type: 'task', id, operation, block }, ownsBuffer ? [data.buffer] : []);
      } catch (error) {
        slot.pending.delete(id);
        reject(error instanceof Error ? error : new Error(String(error)));
      }
    });
  }

  /**
   * Terminates every worker (rejecting any task in flight) and resolves once they are all gone. Safe to call more
   * than once and after a failure.
   */
  close(): Promise<void> {
    if (this.#closed === undefined) {
      this.#rejectAll(() => new WorkerError('the parallel model was closed while a task was running'));
      // A terminated worker never reports ready nor fails, so its start-up wait is ended here.
      for (const reject of this.#startWaits) reject(new WorkerError(this.#closedReason));
      this.#startWaits.clear();
      this.#closed = Promise.all(this.#slots.map((slot) => slot.port.terminate())).then(() => undefined);
    }
    return this.#closed;
  }

  #awaitReady(port: WorkerPort, index: number): Promise<void> {
    return new Promise<void>((resolve, reject) => {
      this.#startWaits.add(reject);
      port.onMessage((message) => {
        if (message.type === 'ready') resolve();
        else if (message.type === 'failed' && message.id === undefined) {
          reject(new WorkerError(`worker ${index} could not load the model: ${describe(message.error)}`, index));
        }
      });
      port.onFailure((error) =>
        reject(new WorkerError(`worker ${index} stopped while starting: ${error.message}`, index)),
      );
    });
  }

  #receive(index: number, message: FromWorker): void {
    if (message.type === 'ready' || message.id === undefined) return;
    const pending = this.#slots[index].pending;
    const task = pending.get(message.id);
    if (task === undefined) return;
    pending.delete(message.id);
    if (message.type === 'done') task.resolve(message.result);
    else task.reject(new WorkerError(`worker ${index} failed: ${describe(message.error)}`, index));
  }

  #fail(error: WorkerError): void {
    if (this.#closed !== undefined) return;
    this.#rejectAll(() => error);
    this.#closedReason = `the parallel model is closed: ${error.message}`;
    void this.close();
  }

  #rejectAll(makeError: () => Error): void {
    for (const slot of this.#slots) {
      for (const task of slot.pending.values()) task.reject(makeError());
      slot.pending.clear();
    }
  }
}

function describe(error: SentError): string {
  return `${error.name}: ${error.message}`;
}
