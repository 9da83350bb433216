/**
 * The messages between a parallel model and its workers. Each worker serves one model: it is sent the model file
 * once (`init`), answers `ready`, then answers every block task with `done` or `failed`, one at a time, in order.
 */
import type { Float32Columns } from '../engine.js';
import type { WasmSource } from '../wasm/exports.js';

/**
 * What a worker runs on one block of rows: the model's `score()`, or the engine's TreeSHAP of rows the main thread's
 * cache lacks (already distinct, so the worker does not look for repeats again).
 */
export type BlockOperation = 'score' | 'treeShap';

/** Main thread -> worker: load the core (from `wasm`, or the default) and the model saved by `model.save()`. */
export interface InitMessage {
  readonly type: 'init';
  readonly model: Uint8Array;
  readonly wasm: WasmSource | undefined;
}

/** Main thread -> worker: run `operation` on one block of float32 rows (already checked on the main thread). */
export interface TaskMessage {
  readonly type: 'task';
  readonly id: number;
  readonly operation: BlockOperation;
  readonly block: Float32Columns;
}

export type ToWorker = InitMessage | TaskMessage;

/** A block's scores: the model's `score()` of that block, minus nothing. */
export interface ScoreBlock {
  readonly meanPathLength: Float64Array;
  readonly scoreSamples: Float64Array;
  readonly decisionFunction: Float64Array;
  readonly predict: Int8Array;
  readonly score: Float64Array;
}

/** A block's TreeSHAP values in edges, column-major like the block (the engine's `treeShap`). */
export interface ShapBlock {
  readonly shap: Float64Array;
}

export type BlockResult = ScoreBlock | ShapBlock;

/**
 * An error as it crosses threads (structured clone would keep neither its class nor its fields). Rows are checked on
 * the main thread before a block is sent, so a worker error is never about the data: it is reported as is.
 */
export interface SentError {
  readonly name: string;
  readonly message: string;
}

/** Worker -> main thread. `failed` without an id means the worker could not start. */
export type FromWorker =
  | { readonly type: 'ready' }
  | { readonly type: 'done'; readonly id: number; readonly result: BlockResult }
  | { readonly type: 'failed'; readonly id: number | undefined; readonly error: SentError };

/**
 * One worker seen from the main thread, whatever runs it (a Node worker thread, a Web Worker, a test double).
 * `onFailure` fires at most once, when the worker dies or can no longer be trusted (an uncaught error, an exit,
 * a message that could not be deserialised).
 */
export interface WorkerPort {
  post(message: ToWorker, transfer: Transferable[]): void;
  onMessage(listener: (message: FromWorker) => void): void;
  onFailure(listener: (error: Error) => void): void;
  /** Stops the worker; resolves once it is gone. */
  terminate(): Promise<void>;
}

/**
 * The parts of a browser Web Worker that a parallel model uses; the DOM's `Worker` has them. Typed here, without
 * the DOM library, so that the core's types compile in Node projects too.
 */
export interface BrowserWorker {
  postMessage(message: unknown, transfer: ArrayBuffer[]): void;
  addEventListener(type: 'message' | 'messageerror' | 'error', listener: (event: BrowserWorkerEvent) => void): void;
  terminate(): void;
}

/** What a parallel model reads of a Web Worker's `message`, `messageerror` and `error` events. */
export interface BrowserWorkerEvent {
  /** A `message` event's payload. */
  readonly data?: unknown;
  /** An `error` event's text, when the browser gives one. */
  readonly message?: string;
  preventDefault(): void;
}

/** The worker's side of the channel. */
export interface ParentPort {
  post(message: FromWorker, transfer: Transferable[]): void;
  onMessage(listener: (message: ToWorker) => void): void;
}

/** The distinct buffers behind `arrays`, to transfer rather than copy. */
export function buffersOf(arrays: readonly ArrayBufferView[]): ArrayBuffer[] {
  const buffers = new Set<ArrayBuffer>();
  for (const array of arrays) {
    if (array.buffer instanceof ArrayBuffer) buffers.add(array.buffer);
  }
  return [...buffers];
}
