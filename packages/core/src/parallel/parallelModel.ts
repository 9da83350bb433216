/**
 * Scoring and explaining on every core. The main thread reads the input in the same blocks of BLOCK_ROWS rows the
 * model uses, checking and converting them to float32 in order (so a bad value is reported exactly as one thread
 * reports it), hands row ranges to workers that each hold their own WebAssembly core and a copy of the model, and
 * writes each range's results back at its rows. Every row is computed by the same model code as on one thread, so the
 * results are bit-identical whatever the thread count.
 */
import { OptionsError } from '../errors.js';
import { resolveInput, type ModelInput, type ResolvedInput } from '../input.js';
import type { Explanation, IsolationForestModel, ModelScores } from '../model.js';
import type { WasmSource } from '../wasm/exports.js';
import { WorkerError } from './errors.js';
import { WorkerPool } from './pool.js';
import type { BlockOperation, BlockResult, BrowserWorker, ExplainBlock, ScoreBlock, WorkerPort } from './protocol.js';
import { rowTasks, taskRowsFor, type RowTask } from './rowTasks.js';
import { defaultThreadCount, modelWorkerSpawner } from '#parallel-platform';

/** Options of {@link createParallelModel}. */
export interface ParallelOptions {
  /**
   * Threads to score on. Default: every core (`os.availableParallelism()` in Node, `navigator.hardwareConcurrency`
   * in browsers). `1` scores in the calling thread with no worker at all.
   */
  readonly threads?: number;
  /**
   * Where each worker loads the WebAssembly core from: a URL or path, the bytes, or a compiled `WebAssembly.Module`
   * (compiled once, shared by every worker). A relative URL is resolved by the worker (in a browser, against the
   * worker script's URL), so prefer absolute ones. Default: the `.wasm` shipped with this package.
   */
  readonly wasm?: WasmSource;
  /**
   * Browsers only: starts one Web Worker running this package's `@isoforest/core/browser-worker` script, for a page
   * that cannot start module workers from script URLs, e.g. one opened from `file://` (with Vite:
   * `import ModelWorker from '@isoforest/core/browser-worker?worker&inline'`, then `() => new ModelWorker()`).
   * Default: a module worker from the script's URL, which bundlers recognise. In Node it is an OptionsError.
   */
  readonly createWorker?: () => BrowserWorker;
}

/**
 * A model that scores and explains on several threads. Same results as the model's synchronous methods, bit for
 * bit and in input order; the methods return promises. Call {@link ParallelModel.close} when done: open workers keep
 * a Node process alive.
 */
export interface ParallelModel {
  /** The model this scores with. */
  readonly model: IsolationForestModel;
  /** Number of threads scoring (1 = the calling thread, no workers). */
  readonly threads: number;
  /** `model.score(input)` on all threads: every score of every row (see ModelScores for meanings and signs). */
  score(input: ModelInput): Promise<ModelScores>;
  /** `model.explain(input)` on all threads: exact TreeSHAP per row and feature, negative = pushes toward anomalous. */
  explain(input: ModelInput): Promise<Explanation>;
  /** Terminates the workers (tasks still running reject with WorkerError). Idempotent; resolves once they are gone. */
  close(): Promise<void>;
}

/**
 * Starts `threads` workers, each loading its own WebAssembly core and `model` (sent once, as `model.save()` bytes),
 * and resolves when all are ready. Workers always run the WebAssembly engine, whatever engine `model` was made
 * with. Throws OptionsError for a bad thread count (or `createWorker` in Node), WorkerError if a worker cannot start,
 * dies, fails or exits before it is ready.
 *
 * ```ts
 * const parallel = await createParallelModel(model, { threads: 4 });
 * try {
 *   const { score } = await parallel.score(table);
 * } finally {
 *   await parallel.close();
 * }
 * ```
 */
export async function createParallelModel(
  model: IsolationForestModel,
  options: ParallelOptions = {},
): Promise<ParallelModel> {
  const threads = options.threads ?? defaultThreadCount();
  if (!Number.isInteger(threads) || threads < 1) {
    throw new OptionsError('threads', `expected an integer >= 1, got ${String(threads)}`);
  }
  if (threads === 1) return inProcessModel(model);
  const spawnModelWorker = modelWorkerSpawner(options.createWorker);
  const workers: WorkerPort[] = [];
  try {
    for (let i = 0; i < threads; i++) workers.push(spawnModelWorker());
  } catch (error) {
    await Promise.all(workers.map((worker) => worker.terminate()));
    throw new WorkerError(
      `cannot start worker ${workers.length}: ${error instanceof Error ? error.message : String(error)}`,
      workers.length,
    );
  }
  const pool = await WorkerPool.start(workers, { type: 'init', model: model.save(), wasm: options.wasm });
  return {
    model,
    threads,
    async score(input) {
      const resolved = resolveInput(input, model.featureNames);
      const out = emptyScores(resolved.rows);
      await forEachTaskResult(pool, resolved, 'score', (block, start) => {
        const result = block as ScoreBlock;
        out.meanPathLength.set(result.meanPathLength, start);
        out.scoreSamples.set(result.scoreSamples, start);
        out.decisionFunction.set(result.decisionFunction, start);
        out.predict.set(result.predict, start);
        out.score.set(result.score, start);
      });
      return out;
    },
    async explain(input) {
      const resolved = resolveInput(input, model.featureNames);
      const values = model.featureNames.map(() => new Float64Array(resolved.rows));
      const scaled = model.featureNames.map(() => new Float64Array(resolved.rows));
      let expected = { expectedValue: NaN, scaledExpectedValue: NaN };
      await forEachTaskResult(pool, resolved, 'explain', (block, start) => {
        const result = block as ExplainBlock;
        values.forEach((column, c) => column.set(result.values[c], start));
        scaled.forEach((column, c) => column.set(result.scaled[c], start));
        expected = result;
      });
      return {
        values,
        expectedValue: expected.expectedValue,
        scaled,
        scaledExpectedValue: expected.scaledExpectedValue,
      };
    },
    close: () => pool.close(),
  };
}

/** `threads: 1`: the model's own synchronous methods, behind the same promise-returning interface. */
function inProcessModel(model: IsolationForestModel): ParallelModel {
  let closed = false;
  const open = (): void => {
    if (closed) throw new WorkerError('the parallel model is closed');
  };
  return {
    model,
    threads: 1,
    score: async (input) => (open(), model.score(input)),
    explain: async (input) => (open(), model.explain(input)),
    close: async () => {
      closed = true;
    },
  };
}

function emptyScores(rows: number): ModelScores {
  return {
    meanPathLength: new Float64Array(rows),
    scoreSamples: new Float64Array(rows),
    decisionFunction: new Float64Array(rows),
    predict: new Int8Array(rows),
    score: new Float64Array(rows),
  };
}

/**
 * Runs `operation` on every row task of `resolved` (see rowTasks.ts) and passes each result, with its first row,
 * to `write` (in completion order, which does not matter: each task writes its own rows). Tasks are read on this
 * thread in input order, at most two per worker ahead of the results, so memory stays bounded and workers never
 * wait for work. The first error (a bad value in the input, a worker failure) rejects; later results are dropped.
 */
function forEachTaskResult(
  pool: WorkerPool,
  resolved: ResolvedInput,
  operation: BlockOperation,
  write: (result: BlockResult, start: number) => void,
): Promise<void> {
  const tasks = rowTasks(resolved, taskRowsFor(resolved.rows, pool.size));
  const window = 2 * pool.size;
  return new Promise((resolve, reject) => {
    let inFlight = 0;
    let exhausted = false;
    let failed = false;
    const stop = (error: unknown): void => {
      if (failed) return;
      failed = true;
      reject(error);
    };
    const submit = (): void => {
      while (!failed && !exhausted && inFlight < window) {
        let task: IteratorResult<RowTask>;
        try {
          task = tasks.next();
        } catch (error) {
          stop(error);
          return;
        }
        if (task.done === true) {
          exhausted = true;
          break;
        }
        const { start, block } = task.value;
        inFlight++;
        pool.run(operation, block).then((result) => {
          if (failed) return;
          inFlight--;
          try {
            write(result, start);
          } catch (error) {
            stop(error);
            return;
          }
          submit();
        }, stop);
      }
      if (!failed && exhausted && inFlight === 0) resolve();
    };
    submit();
  });
}
