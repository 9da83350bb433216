/**
 * Scoring and explaining on every core. The main thread reads the input in the same blocks of BLOCK_ROWS rows the
 * model uses, checking and converting them to float32 in order (so a bad value is reported exactly as one thread
 * reports it), hands row ranges to workers that each hold their own WebAssembly core and a copy of the model, and
 * writes each range's results back at its rows. To explain, it first looks each row up in the model's cache of
 * distinct rows (shapCache.ts) and sends only the rows never explained. Every row is computed by the same engine code
 * as on one thread, so the results are bit-identical whatever the thread count.
 */
import type { Float32Columns } from '../engine.js';
import { OptionsError } from '../errors.js';
import { BLOCK_ROWS, resolveInput, type ModelInput, type ResolvedInput } from '../input.js';
import { explanationOf, treeShapOf, type Explanation, type IsolationForestModel, type ModelScores } from '../model.js';
import { averagePathLength } from '../pathLength.js';
import { cacheRowsFor, explainThroughCache, SHAP_CACHE_BYTES, ShapCache, type ShapPlan } from '../shapCache.js';
import type { WasmSource } from '../wasm/exports.js';
import { WorkerError } from './errors.js';
import { WorkerPool } from './pool.js';
import type { BlockOperation, BlockResult, BrowserWorker, ScoreBlock, ShapBlock, WorkerPort } from './protocol.js';
import { rowTasks, splitRows, taskRowsFor } from './rowTasks.js';
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
  /**
   * Memory, in bytes, for the SHAP values of the distinct rows `explain` has computed, remembered for the model's
   * life so that a row is explained once however often it comes, in one call or across calls (a hunt explaining
   * batch by batch). Exact: a row's values depend only on its float32 values. Default 64 MiB (762,600 rows of six
   * features); once full, rows already held keep being reused and new ones are explained each time they come. `0`
   * still explains each repeated row once per block of BLOCK_ROWS rows.
   */
  readonly explainCacheBytes?: number;
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
  /**
   * `model.explain(input)` on all threads: exact TreeSHAP per row and feature, negative = pushes toward anomalous.
   * Rows met before (see `explainCacheBytes`) are not explained again. Calls run one after another.
   */
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
  const cacheBytes = options.explainCacheBytes ?? SHAP_CACHE_BYTES;
  if (typeof cacheBytes !== 'number' || !(cacheBytes >= 0)) {
    throw new OptionsError('explainCacheBytes', `expected a number >= 0, got ${String(cacheBytes)}`);
  }
  const explainer = new CachedExplainer(model, cacheBytes);
  if (threads === 1) return inProcessModel(model, explainer);
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
      const tasks = rowTasks(resolved, taskRowsFor(resolved.rows, pool.size));
      await forEachTaskResult(
        pool,
        'score',
        map(tasks, ({ start, block }) => ({
          block,
          write(result) {
            const scores = result as ScoreBlock;
            out.meanPathLength.set(scores.meanPathLength, start);
            out.scoreSamples.set(scores.scoreSamples, start);
            out.decisionFunction.set(scores.decisionFunction, start);
            out.predict.set(scores.predict, start);
            out.score.set(scores.score, start);
          },
        })),
      );
      return out;
    },
    explain: (input) =>
      explainer.explain(input, (resolved, out) => explainOnPool(pool, resolved, explainer.cache, out)),
    close: () => pool.close(),
  };
}

/** `threads: 1`: the model's own synchronous methods (and the cache), behind the same promise-returning interface. */
function inProcessModel(model: IsolationForestModel, explainer: CachedExplainer): ParallelModel {
  let closed = false;
  const open = (): void => {
    if (closed) throw new WorkerError('the parallel model is closed');
  };
  return {
    model,
    threads: 1,
    score: async (input) => (open(), model.score(input)),
    explain: async (input) => {
      open();
      return explainer.explain(input, async (resolved, out) => {
        for (let start = 0; start < resolved.rows; start += BLOCK_ROWS) {
          const block = resolved.readBlock(start, Math.min(resolved.rows, start + BLOCK_ROWS));
          explainThroughCache(explainer.cache, block, (x) => treeShapOf(model, x), out, start);
        }
      });
    },
    close: async () => {
      closed = true;
    },
  };
}

/**
 * A parallel model's explanations with its cache: calls run one after another (a call must not reuse rows another
 * is still explaining), and a call that fails leaves the cache empty rather than holding rows never explained.
 */
class CachedExplainer {
  readonly cache: ShapCache;
  readonly #model: IsolationForestModel;
  readonly #normaliser: number;
  #last: Promise<unknown> = Promise.resolve();

  constructor(model: IsolationForestModel, cacheBytes: number) {
    const columns = model.featureNames.length;
    this.#model = model;
    this.#normaliser = averagePathLength(model.maxSamples);
    this.cache = new ShapCache(columns, cacheRowsFor(columns, cacheBytes));
  }

  /** The explanation of `input`, its SHAP values written by `run` into one column per feature. */
  explain(
    input: ModelInput,
    run: (resolved: ResolvedInput, out: Float64Array[]) => Promise<void>,
  ): Promise<Explanation> {
    const result = this.#last.then(async () => {
      const resolved = resolveInput(input, this.#model.featureNames);
      const values = this.#model.featureNames.map(() => new Float64Array(resolved.rows));
      try {
        await run(resolved, values);
      } catch (error) {
        this.cache.clear();
        throw error;
      }
      return explanationOf(values, this.#model.expectedValue, this.#normaliser);
    });
    this.#last = result.catch(() => undefined);
    return result;
  }
}

/**
 * The cached TreeSHAP of every block of `resolved`, on the workers, into `out`. Each block's rows the cache lacks
 * are cut into tasks (a few per worker, however few they are, so every worker gets some); blocks finish in order,
 * as the cache requires. Blocks planned ahead of the first unfinished one hold 8 bytes a row at most (their rows
 * found in the cache need no task), less than the output itself.
 */
async function explainOnPool(
  pool: WorkerPool,
  resolved: ResolvedInput,
  cache: ShapCache,
  out: Float64Array[],
): Promise<void> {
  interface Planned {
    readonly plan: ShapPlan;
    readonly start: number;
    readonly shap: Float64Array;
    tasksLeft: number;
  }
  const queue: Planned[] = [];
  const finishReady = (): void => {
    while (queue.length > 0 && queue[0].tasksLeft === 0) {
      const { plan, shap, start } = queue.shift()!;
      cache.finish(plan, shap, out, start);
    }
  };
  function* tasks(): Generator<PoolTask> {
    for (let start = 0; start < resolved.rows; start += BLOCK_ROWS) {
      const plan = cache.plan(resolved.readBlock(start, Math.min(resolved.rows, start + BLOCK_ROWS)));
      const { missing } = plan;
      const pieces = [...splitRows(missing, 0, taskRowsFor(missing.rows, pool.size))];
      const planned: Planned = {
        plan,
        start,
        shap: new Float64Array(missing.rows * missing.columns),
        tasksLeft: missing.rows === 0 ? 0 : pieces.length,
      };
      queue.push(planned);
      finishReady();
      if (missing.rows === 0) continue;
      for (const piece of pieces) {
        yield {
          block: piece.block,
          write(result) {
            const { shap } = result as ShapBlock;
            const rows = piece.block.rows;
            for (let c = 0; c < missing.columns; c++) {
              planned.shap.set(shap.subarray(c * rows, (c + 1) * rows), c * missing.rows + piece.start);
            }
            planned.tasksLeft--;
            finishReady();
          },
        };
      }
    }
  }
  await forEachTaskResult(pool, 'treeShap', tasks());
  finishReady();
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

/** One block for a worker, and what to do with its result. */
interface PoolTask {
  readonly block: Float32Columns;
  write(result: BlockResult): void;
}

function* map<T, U>(items: Iterable<T>, f: (item: T) => U): Generator<U> {
  for (const item of items) yield f(item);
}

/**
 * Runs `operation` on every task and passes each result to the task's `write` (in completion order). Tasks are
 * drawn (read and checked on this thread) in order, at most two per worker ahead of the results, so memory stays
 * bounded and workers never wait for work. The first error (a bad value in the input, a worker failure) rejects;
 * later results are dropped.
 */
function forEachTaskResult(pool: WorkerPool, operation: BlockOperation, tasks: Iterator<PoolTask>): Promise<void> {
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
        let task: IteratorResult<PoolTask>;
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
        const { block, write } = task.value;
        inFlight++;
        pool.run(operation, block).then((result) => {
          if (failed) return;
          inFlight--;
          try {
            write(result);
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
