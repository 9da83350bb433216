// The parallel model runs its workers from the built package (workers need JavaScript files), so this file imports
// @isoforest/core and its dist/ modules: build first (`npx tsc -b packages/core`).
import { spawnSync } from 'node:child_process';
import { once } from 'node:events';
import { BroadcastChannel, Worker } from 'node:worker_threads';
import { tableFromArrays, type Table } from 'apache-arrow';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mulberry32 } from '@isoforest/common';
import {
  BLOCK_ROWS,
  createParallelModel,
  InputError,
  loadIsoforest,
  OptionsError,
  WorkerError,
  type Explanation,
  type IsolationForestModel,
  type ModelScores,
  type ParallelModel,
} from '@isoforest/core';
import { nodeWorkerPort } from '../dist/parallel/platform-node.js';
import { WorkerPool } from '../dist/parallel/pool.js';
import { readGoldenCase, repoRoot } from './support/golden.js';

const FEATURES = ['a', 'b', 'c', 'd'];
/** More than three blocks, the last one partial, so every worker gets several blocks. */
const MANY_ROWS = 200_000;

/** Deterministic pseudo-random float64 columns, with a few far points. */
function randomColumns(rows: number, seed = 12345): Record<string, Float64Array> {
  const uniform = mulberry32(seed);
  return Object.fromEntries(
    FEATURES.map((name, c) => {
      const column = new Float64Array(rows);
      for (let r = 0; r < rows; r++) column[r] = (c + 1) * uniform() + (r % 4099 === 0 ? 10 : 0);
      return [name, column];
    }),
  );
}

function sliceRows(columns: Record<string, Float64Array>, start: number, end: number): Record<string, Float64Array> {
  return Object.fromEntries(Object.entries(columns).map(([name, column]) => [name, column.slice(start, end)]));
}

/** The same rows as an Arrow table of three record batches of uneven sizes, cut away from block boundaries. */
function chunkedTable(columns: Record<string, Float64Array>, rows: number): Table {
  const cuts = [0, 70_001, 70_002, rows];
  return cuts
    .slice(1)
    .map((end, i) => tableFromArrays(sliceRows(columns, cuts[i], end)))
    .reduce((table, next) => table.concat(next));
}

/** Index of the first element where `actual` and `expected` differ under Object.is (-1: identical, same length). */
function firstDifference(actual: ArrayLike<number>, expected: ArrayLike<number>): number {
  if (actual.length !== expected.length) return Math.min(actual.length, expected.length);
  for (let i = 0; i < expected.length; i++) if (!Object.is(actual[i], expected[i])) return i;
  return -1;
}

function expectSameScores(actual: ModelScores, expected: ModelScores): void {
  for (const key of ['meanPathLength', 'scoreSamples', 'decisionFunction', 'predict', 'score'] as const) {
    expect(actual[key].constructor).toBe(expected[key].constructor);
    expect({ key, at: firstDifference(actual[key], expected[key]) }).toEqual({ key, at: -1 });
  }
}

function expectSameExplanation(actual: Explanation, expected: Explanation): void {
  expect(Object.is(actual.expectedValue, expected.expectedValue)).toBe(true);
  expect(Object.is(actual.scaledExpectedValue, expected.scaledExpectedValue)).toBe(true);
  for (const key of ['values', 'scaled'] as const) {
    expect(actual[key].length).toBe(expected[key].length);
    expected[key].forEach((column, c) => {
      expect({ key, c, at: firstDifference(actual[key][c], column) }).toEqual({ key, c, at: -1 });
    });
  }
}

let model: IsolationForestModel;
let golden: ReturnType<typeof readGoldenCase>;
let goldenModel: IsolationForestModel;
const parallel: Record<number, ParallelModel> = {};
let data: Record<string, Float64Array>;
/** The synchronous model's results on `data`, the expected output of every thread count. */
let oneThread: { scores: ModelScores; explanation: Explanation };

beforeAll(async () => {
  const isoforest = await loadIsoforest();
  data = randomColumns(MANY_ROWS);
  // A small forest keeps explaining 200,000 rows quick; the code path does not depend on the forest's size.
  model = isoforest.fit(sliceRows(data, 0, 4096), {
    nEstimators: 8,
    maxSamples: 32,
    contamination: 0.05,
    randomState: 3,
  });
  oneThread = { scores: model.score(data), explanation: model.explain(data) };
  golden = readGoldenCase('notebook-demo');
  goldenModel = isoforest.importSklearn(golden.modelJson);
  [parallel[2], parallel[3]] = await Promise.all([
    createParallelModel(model, { threads: 2 }),
    createParallelModel(model, { threads: 3 }),
  ]);
});

afterAll(async () => {
  await Promise.all(Object.values(parallel).map((p) => p.close()));
});

describe.each([2, 3])('%i threads on a fitted model', (threads) => {
  it('uses the threads it was asked for', () => {
    expect(parallel[threads].threads).toBe(threads);
    expect(parallel[threads].model).toBe(model);
  });

  it.each([1, 5, 1500])('scores and explains %i rows bit-identically to one thread', async (rows) => {
    const input = sliceRows(data, 1000, 1000 + rows);
    expectSameScores(await parallel[threads].score(input), model.score(input));
    expectSameExplanation(await parallel[threads].explain(input), model.explain(input));
  });

  it(`scores and explains ${MANY_ROWS} rows (several blocks) bit-identically, in input order`, async () => {
    expect(MANY_ROWS).toBeGreaterThan(3 * BLOCK_ROWS);
    const [scores, explanation] = await Promise.all([parallel[threads].score(data), parallel[threads].explain(data)]);
    expectSameScores(scores, oneThread.scores);
    expectSameExplanation(explanation, oneThread.explanation);
  });

  it('reads a chunked Arrow table like one thread does', async () => {
    const table = chunkedTable(data, MANY_ROWS);
    expect(table.batches.length).toBe(3);
    expectSameScores(await parallel[threads].score(table), oneThread.scores);
  });

  it('reports a NaN in row 150,000 with its row over the whole input, as one thread does', async () => {
    const bad = { ...data, c: data.c.slice() };
    bad.c[150_000] = NaN;
    const expected = (() => {
      try {
        model.score(bad);
      } catch (error) {
        return error as InputError;
      }
      throw new Error('one thread accepted a NaN');
    })();
    const error = await parallel[threads].score(bad).then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(error).toBeInstanceOf(InputError);
    expect(error).toMatchObject({ row: 150_000, column: 'c', message: expected.message });
    await expect(parallel[threads].explain(bad)).rejects.toMatchObject({ name: 'InputError', row: 150_000 });
    // The pool is still usable after a bad input.
    expectSameScores(await parallel[threads].score(sliceRows(data, 0, 10)), model.score(sliceRows(data, 0, 10)));
  });

  it('rejects a missing column before any work, like one thread', async () => {
    const { d: _dropped, ...missing } = data;
    await expect(parallel[threads].score(missing)).rejects.toMatchObject({ name: 'InputError', column: 'd' });
  });
});

describe('a golden scikit-learn model (notebook-demo, 294 trees)', () => {
  it.each([2, 3])(
    'gives one thread’s scores and SHAP values on %i threads, which match scikit-learn',
    async (threads) => {
      const input = golden.x.columns;
      const parallelModel = await createParallelModel(goldenModel, { threads });
      try {
        const scores = await parallelModel.score(input);
        const explanation = await parallelModel.explain(input);
        expectSameScores(scores, goldenModel.score(input));
        expectSameExplanation(explanation, goldenModel.explain(input));
        // And the shared result is scikit-learn's (the independent truth), not just self-consistent.
        scores.scoreSamples.forEach((s, r) =>
          expect(Math.abs(s - golden.expected.score_samples[r])).toBeLessThan(1e-12),
        );
        expect(Array.from(scores.predict)).toEqual(golden.expected.predict);
        golden.expected.shap_values.forEach((row, r) =>
          row.forEach((v, c) => expect(Math.abs(explanation.values[c][r] - v)).toBeLessThan(1e-10)),
        );
      } finally {
        await parallelModel.close();
      }
    },
  );
});

describe('threads option', () => {
  it.each([0, -1, 1.5, Number.NaN])('rejects threads: %s with an OptionsError', async (threads) => {
    await expect(createParallelModel(model, { threads })).rejects.toBeInstanceOf(OptionsError);
  });

  it('refuses createWorker in Node, where the workers are worker threads, with an OptionsError naming it', async () => {
    const createWorker = () => {
      throw new Error('createWorker must not be called in Node');
    };
    const error = await createParallelModel(model, { threads: 2, createWorker }).then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(error).toBeInstanceOf(OptionsError);
    expect((error as OptionsError).message).toMatch(/createWorker/);
  });

  it('threads: 1 scores in this thread with the model itself, and refuses work once closed', async () => {
    const single = await createParallelModel(model, { threads: 1 });
    const input = sliceRows(data, 0, 100);
    expectSameScores(await single.score(input), model.score(input));
    expectSameExplanation(await single.explain(input), model.explain(input));
    await single.close();
    await expect(single.score(input)).rejects.toBeInstanceOf(WorkerError);
  });
});

describe('worker failures and close()', () => {
  it('fails to start, with a WorkerError and no worker left, when the workers cannot load the core', async () => {
    const notWasm = new Uint8Array([1, 2, 3, 4]);
    const error = await createParallelModel(model, { threads: 2, wasm: notWasm }).then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(error).toBeInstanceOf(WorkerError);
    expect((error as WorkerError).message).toMatch(/^worker \d could not load the model: /);
  });

  // Test doubles speaking the worker protocol: `onInit` runs after answering init with ready, `onTask` on each task.
  const script = (onTask: string, onInit = ''): Worker =>
    new Worker(
      `const { parentPort } = require('node:worker_threads');
       parentPort.on('message', (m) => {
         if (m.type === 'init') { parentPort.postMessage({ type: 'ready' }); ${onInit} } else { ${onTask} }
       });`,
      { eval: true },
    );
  const init = { type: 'init', model: new Uint8Array(0), wasm: undefined } as const;
  const block = () => ({ data: new Float32Array(4), rows: 1, columns: 4 });

  it('fails to start, never hangs, when a worker exits cleanly before it is ready; the others are terminated', async () => {
    const exitsAtInit = new Worker(
      `require('node:worker_threads').parentPort.once('message', () => process.exit(0));`,
      {
        eval: true,
      },
    );
    // The other worker never answers init: only the pool's terminating it lets this test end.
    const silent = new Worker(`require('node:worker_threads').parentPort.on('message', () => {});`, { eval: true });
    const silentExit = once(silent, 'exit');
    await expect(WorkerPool.start([nodeWorkerPort(exitsAtInit), nodeWorkerPort(silent)], init)).rejects.toThrow(
      'worker 0 stopped while starting: the worker thread exited with code 0',
    );
    await silentExit;
  });

  it('fails to start, never hangs, when a worker dies after its ready while another is still starting', async () => {
    const diesAfterReady = script('', 'setImmediate(() => process.exit(0));');
    // Never answers init: only the pool's closing can end its start-up wait.
    const silent = new Worker(`require('node:worker_threads').parentPort.on('message', () => {});`, { eval: true });
    const silentExit = once(silent, 'exit');
    await expect(WorkerPool.start([nodeWorkerPort(diesAfterReady), nodeWorkerPort(silent)], init)).rejects.toThrow(
      'the parallel model is closed: worker 0 stopped: the worker thread exited with code 0',
    );
    await silentExit;
  });

  it('refuses every later task when a worker dies between tasks (idle, after its ready)', async () => {
    // The worker exits when told, once the pool has started: told through a channel the pool does not use.
    const channel = 'isoforest-test-exit'; // a BroadcastChannel reaches only this process's threads
    const diesIdle = new Worker(
      `const { BroadcastChannel, parentPort } = require('node:worker_threads');
       new BroadcastChannel(${JSON.stringify(channel)}).onmessage = () => process.exit(0);
       parentPort.on('message', () => parentPort.postMessage({ type: 'ready' }));`,
      { eval: true },
    );
    const exited = once(diesIdle, 'exit');
    const pool = await WorkerPool.start([nodeWorkerPort(diesIdle), nodeWorkerPort(script(''))], init);
    const tell = new BroadcastChannel(channel);
    tell.postMessage('exit');
    await exited;
    tell.close();
    await expect(pool.run('score', block())).rejects.toThrow(
      'the parallel model is closed: worker 0 stopped: the worker thread exited with code 0',
    );
    await pool.close();
  });

  it('rejects every task in flight, never hangs, when one worker dies, and then refuses work', async () => {
    // The first exits on its first task, the second never answers one.
    const pool = await WorkerPool.start([nodeWorkerPort(script('process.exit(3)')), nodeWorkerPort(script(''))], init);
    const outcomes = await Promise.allSettled([pool.run('score', block()), pool.run('score', block())]);
    expect(outcomes.map((o) => o.status)).toEqual(['rejected', 'rejected']);
    const reasons = outcomes.map((o) => (o as PromiseRejectedResult).reason as WorkerError);
    reasons.forEach((reason) => expect(reason).toBeInstanceOf(WorkerError));
    expect(reasons.map((r) => r.message)).toContain('worker 0 stopped: the worker thread exited with code 3');
    await expect(pool.run('score', block())).rejects.toThrow(/closed: worker 0 stopped/);
    await pool.close();
  });

  it('rejects work after close(), and close() is idempotent', async () => {
    const closing = await createParallelModel(model, { threads: 2 });
    await closing.close();
    await closing.close();
    await expect(closing.score(sliceRows(data, 0, 3))).rejects.toBeInstanceOf(WorkerError);
  });

  it('lets a Node process exit once close() resolves (no worker left running), whatever V8 options it runs with', () => {
    const script = `
      import { createParallelModel, loadIsoforest } from '@isoforest/core';
      const isoforest = await loadIsoforest();
      const x = { a: Float64Array.from({ length: 300 }, (_, i) => (i * 7919) % 101) };
      const model = isoforest.fit(x, { nEstimators: 4, maxSamples: 16 });
      const parallel = await createParallelModel(model, { threads: 2 });
      const scores = await parallel.score(x);
      await parallel.close();
      process.stdout.write('scored ' + scores.score.length);
    `;
    // Node refuses to start a worker with V8 or process-wide options: the pool must not pass these on.
    const child = spawnSync(
      process.execPath,
      ['--expose-gc', '--max-old-space-size=512', '--input-type=module', '-e', script],
      {
        cwd: repoRoot,
        encoding: 'utf8',
        timeout: 15_000,
      },
    );
    expect({ signal: child.signal, status: child.status, stderr: child.stderr }).toEqual({
      signal: null,
      status: 0,
      stderr: '',
    });
    expect(child.stdout.trim()).toBe('scored 300');
  });
});
