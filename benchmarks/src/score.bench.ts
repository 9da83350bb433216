// Scoring throughput: the WebAssembly core vs the plain-TypeScript reference, side by side in one run.
// 100k rows x 6 features, a forest of 100 trees grown on maxSamples = 256; both sides compute the mean path length
// and then scikit-learn's score_samples transform, -2^(-m / c(maxSamples)), in JavaScript.
import { linearQuantile } from '@isoforest/common';
import { averagePathLength, scoreFromPathLength } from '@isoforest/core';
import { loadEngine } from './coreEngine.js';
import * as reference from '@isoforest/reference';
import { Bench } from 'tinybench';
import { completed } from './suite/stats.js';
import { syntheticRows } from './syntheticRows.js';

const ROWS = 100_000;
const COLUMNS = 6;
const GROWTH = { trees: 100, maxSamples: 256, maxFeatures: COLUMNS, bootstrap: false, seed: 20240601 };

/**
 * Rows per second at the median of `runs` runs, timed by this process's CPU time rather than the wall clock: on a
 * shared machine the wall clock also counts the time other processes held the core.
 */
function cpuRowsPerSecond(fn: () => unknown, runs = 7): number {
  const ms: number[] = [];
  for (let i = 0; i < runs; i++) {
    const start = process.cpuUsage();
    fn();
    const used = process.cpuUsage(start);
    ms.push((used.user + used.system) / 1000);
  }
  return (ROWS / linearQuantile(ms, 0.5)) * 1000;
}

/** Runs the suite; returns one line per task (rows/s at the median) and the WebAssembly/reference ratio. */
export async function scoreSuite(): Promise<{
  wasmRowsPerSecond: number;
  referenceRowsPerSecond: number;
  ratio: number;
}> {
  const x = syntheticRows(ROWS, COLUMNS);
  const engine = await loadEngine();
  const forest = engine.growForest(x, GROWTH);
  const normaliser = averagePathLength(GROWTH.maxSamples);

  const wasmScores = () => engine.meanPathLength(forest, x).map((m) => scoreFromPathLength(m, normaliser));
  const referenceScores = () =>
    reference.meanPathLength(forest, x).map((m) => reference.scoreFromPathLength(m, normaliser));

  // The comparison is only fair if both sides compute the same thing.
  const a = wasmScores();
  const b = referenceScores();
  for (let i = 0; i < ROWS; i++) {
    if (!Object.is(a[i], b[i])) throw new Error(`score mismatch at row ${i}: ${a[i]} vs ${b[i]}`);
  }

  const bench = new Bench({ name: 'score', time: 3000, iterations: 8, warmup: true });
  bench.add('wasm meanPathLength + transform', wasmScores);
  bench.add('reference meanPathLength + transform', referenceScores);
  await bench.run();

  const results = bench.tasks.map(completed);
  const [wasm, ref] = results.map((result) => (ROWS / result.latency.p50) * 1000);
  const cpu = [cpuRowsPerSecond(wasmScores), cpuRowsPerSecond(referenceScores, 3)];
  console.log(
    `score: ${ROWS} rows x ${COLUMNS} features, ${GROWTH.trees} trees, maxSamples ${GROWTH.maxSamples}, ` +
      `${forest.feature.length} nodes`,
  );
  console.table(
    bench.tasks.map((task, i) => ({
      task: task.name,
      'rows/s (median)': Math.round([wasm, ref][i]),
      'rows/s (CPU time, median)': Math.round(cpu[i]),
      'ms/run (median)': results[i].latency.p50.toFixed(1),
      runs: results[i].latency.samplesCount,
    })),
  );
  console.log(`score: wasm / reference = ${(wasm / ref).toFixed(2)}x (CPU time: ${(cpu[0] / cpu[1]).toFixed(2)}x)`);
  return { wasmRowsPerSecond: wasm, referenceRowsPerSecond: ref, ratio: wasm / ref };
}
