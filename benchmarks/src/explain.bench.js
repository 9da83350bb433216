// TreeSHAP throughput: rows explained per second by the WebAssembly core's fast variant, its Algorithm 2 and the
// plain-TypeScript reference (Algorithm 2), side by side in one run, on
//   (a) the notebook's forest (fixtures/golden/notebook-demo: 294 trees, max_samples 135, 6 features), its 135 rows;
//   (b) 100 trees x max_samples 256 x 6 features grown by the engine on synthetic rows.
// Each task explains a different number of rows (the reference is ~100x slower than the fast variant), so figures are
// rows per second at the median run (wall clock), and from the process's CPU time (best of 3 runs), which a busy
// shared machine inflates less. Before timing, the three are checked to agree on every value.
import { readFileSync } from 'node:fs';
import { loadIsoforest } from '@isoforest/core';
import { loadEngine, treeShapInCore } from './coreEngine.js';
import * as reference from '@isoforest/reference';
import { Bench } from 'tinybench';
import { syntheticRows } from './syntheticRows.js';

const NOTEBOOK_DIR = new URL('../../fixtures/golden/notebook-demo/', import.meta.url);
const GROWN = { trees: 100, maxSamples: 256, maxFeatures: 6, bootstrap: false, seed: 20240601 };
/** Rows explained per run by each task: about 0.1-0.5 s per run on a 2020s server core. */
const TASK_ROWS = { fast: 4096, algorithm2: 512, reference: 128 };

/** The first `rows` rows of `x`, repeating its rows if it has fewer. */
function takeRows(x, rows) {
  const data = new Float32Array(rows * x.columns);
  for (let c = 0; c < x.columns; c++) {
    for (let r = 0; r < rows; r++) data[c * rows + r] = x.data[c * x.rows + (r % x.rows)];
  }
  return { data, rows, columns: x.columns };
}

/** The notebook's model (scikit-learn's forest, imported) and its rows as float32 columns. */
async function notebookCase() {
  const isoforest = await loadIsoforest();
  const model = isoforest.importSklearn(readFileSync(new URL('model.json', NOTEBOOK_DIR), 'utf8'));
  const lines = readFileSync(new URL('X.csv', NOTEBOOK_DIR), 'utf8').trim().split(/\r?\n/);
  const rows = lines.length - 1;
  const columns = lines[0].split(',').length;
  const data = new Float32Array(rows * columns);
  lines.slice(1).forEach((line, r) => line.split(',').forEach((cell, c) => (data[c * rows + r] = Number(cell))));
  return { name: '(a) notebook forest', forest: model.forest, x: { data, rows, columns } };
}

async function grownCase(engine) {
  const x = syntheticRows(20_000, GROWN.maxFeatures);
  return { name: '(b) grown 100 x 256 x 6', forest: engine.growForest(x, GROWN), x };
}

/** The least CPU time (user + system, ms) of three runs of `run`. */
function bestCpuMilliseconds(run) {
  let best = Infinity;
  for (let i = 0; i < 3; i++) {
    const start = process.cpuUsage();
    run();
    const used = process.cpuUsage(start);
    best = Math.min(best, (used.user + used.system) / 1000);
  }
  return best;
}

function maxAbsDiff(a, b) {
  let max = 0;
  for (let i = 0; i < a.length; i++) max = Math.max(max, Math.abs(a[i] - b[i]));
  return max;
}

async function runCase(engine, { name, forest, x }) {
  const explainers = {
    fast: (rows) => treeShapInCore(engine.claimMemory(), forest, rows, 'fast'),
    algorithm2: (rows) => treeShapInCore(engine.claimMemory(), forest, rows, 'algorithm2'),
    reference: (rows) => reference.treeShap(forest, rows),
  };
  const check = takeRows(x, TASK_ROWS.reference);
  const expected = explainers.reference(check);
  for (const algorithm of ['fast', 'algorithm2']) {
    const diff = maxAbsDiff(explainers[algorithm](check), expected);
    if (!(diff <= 1e-9)) throw new Error(`${name}: wasm ${algorithm} differs from the reference by ${diff}`);
  }

  const bench = new Bench({ name, time: 2000, iterations: 5, warmup: true });
  const inputs = {};
  for (const [algorithm, explain] of Object.entries(explainers)) {
    inputs[algorithm] = takeRows(x, TASK_ROWS[algorithm]);
    bench.add(algorithm, () => explain(inputs[algorithm]));
  }
  await bench.run();

  const rate = {};
  const cpuRate = {};
  for (const task of bench.tasks) {
    if (task.result.state !== 'completed') throw new Error(`${name} ${task.name}: ${task.result.state}`);
    rate[task.name] = (TASK_ROWS[task.name] / task.result.latency.p50) * 1000;
    cpuRate[task.name] =
      (TASK_ROWS[task.name] / bestCpuMilliseconds(() => explainers[task.name](inputs[task.name]))) * 1000;
  }
  const trees = forest.treeOffsets.length - 1;
  console.log(`explain ${name}: ${trees} trees, ${forest.feature.length} nodes, ${x.columns} features`);
  console.table(
    bench.tasks.map((task) => ({
      task: task.name === 'reference' ? 'reference (TypeScript, Algorithm 2)' : `wasm ${task.name}`,
      rows: TASK_ROWS[task.name],
      'rows/s (median)': Math.round(rate[task.name]),
      'rows/s (CPU time)': Math.round(cpuRate[task.name]),
      'ms/run (median)': task.result.latency.p50.toFixed(1),
      runs: task.result.latency.samplesCount,
    })),
  );
  console.log(
    `explain ${name} (median wall clock): wasm fast / wasm algorithm2 = ${(rate.fast / rate.algorithm2).toFixed(1)}x, ` +
      `wasm fast / reference = ${(rate.fast / rate.reference).toFixed(1)}x, ` +
      `wasm algorithm2 / reference = ${(rate.algorithm2 / rate.reference).toFixed(1)}x`,
  );
  return { name, rowsPerSecond: rate, rowsPerCpuSecond: cpuRate };
}

/** Runs the suite on both forests; returns rows/s per task for each. */
export async function explainSuite() {
  const engine = await loadEngine();
  const results = [];
  for (const testCase of [await notebookCase(), await grownCase(engine)]) results.push(await runCase(engine, testCase));
  return results;
}
