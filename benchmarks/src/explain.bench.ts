// TreeSHAP throughput: rows explained per second by the WebAssembly core's fast variant, its Algorithm 2 and the
// plain-TypeScript reference (Algorithm 2), side by side in one run, on
//   (a) the notebook's forest (fixtures/golden/notebook-demo: 294 trees, max_samples 135, 6 features), its 135 rows;
//   (b) 100 trees x max_samples 256 x 6 features grown by the engine on synthetic rows.
// Each task explains a different number of rows (the reference is ~100x slower than the fast variant), so figures are
// rows per second at the median run (wall clock), and from the process's CPU time (best of 3 runs), which a busy
// shared machine inflates less. Before timing, the three are checked to agree on every value.
import { readFileSync } from 'node:fs';
import { loadIsoforest } from '@isoforest/core';
import { loadEngine, treeShapInCore, type WasmEngine } from './coreEngine.js';
import { completed } from './suite/stats.js';
import * as reference from '@isoforest/reference';
import type { Columns, FlatForest } from '@isoforest/reference';
import { Bench } from 'tinybench';
import { syntheticRows } from './syntheticRows.js';

const NOTEBOOK_DIR = new URL('../../fixtures/golden/notebook-demo/', import.meta.url);
const GROWN = { trees: 100, maxSamples: 256, maxFeatures: 6, bootstrap: false, seed: 20240601 };
/** Rows explained per run by each task: about 0.1-0.5 s per run on a 2020s server core. */
const TASK_ROWS = { fast: 4096, algorithm2: 512, reference: 128 } as const;
type Explainer = keyof typeof TASK_ROWS;

/** One forest and the rows it explains. */
interface ExplainCase {
  readonly name: string;
  readonly forest: FlatForest;
  readonly x: Columns;
}

/** Rows per second of each explainer on one case, by the wall clock and by CPU time. */
interface CaseResult {
  readonly name: string;
  readonly rowsPerSecond: Record<Explainer, number>;
  readonly rowsPerCpuSecond: Record<Explainer, number>;
}

/** The first `rows` rows of `x`, repeating its rows if it has fewer. */
function takeRows(x: Columns, rows: number): Columns {
  const data = new Float32Array(rows * x.columns);
  for (let c = 0; c < x.columns; c++) {
    for (let r = 0; r < rows; r++) data[c * rows + r] = x.data[c * x.rows + (r % x.rows)];
  }
  return { data, rows, columns: x.columns };
}

/** The notebook's model (scikit-learn's forest, imported) and its rows as float32 columns. */
async function notebookCase(): Promise<ExplainCase> {
  const isoforest = await loadIsoforest();
  const model = isoforest.importSklearn(readFileSync(new URL('model.json', NOTEBOOK_DIR), 'utf8'));
  const lines = readFileSync(new URL('X.csv', NOTEBOOK_DIR), 'utf8').trim().split(/\r?\n/);
  const rows = lines.length - 1;
  const columns = lines[0].split(',').length;
  const data = new Float32Array(rows * columns);
  lines.slice(1).forEach((line, r) => line.split(',').forEach((cell, c) => (data[c * rows + r] = Number(cell))));
  return { name: '(a) notebook forest', forest: model.forest, x: { data, rows, columns } };
}

async function grownCase(engine: WasmEngine): Promise<ExplainCase> {
  const x = syntheticRows(20_000, GROWN.maxFeatures);
  return { name: '(b) grown 100 x 256 x 6', forest: engine.growForest(x, GROWN), x };
}

/** The least CPU time (user + system, ms) of three runs of `run`. */
function bestCpuMilliseconds(run: () => unknown): number {
  let best = Infinity;
  for (let i = 0; i < 3; i++) {
    const start = process.cpuUsage();
    run();
    const used = process.cpuUsage(start);
    best = Math.min(best, (used.user + used.system) / 1000);
  }
  return best;
}

function maxAbsDiff(a: Float64Array, b: Float64Array): number {
  let max = 0;
  for (let i = 0; i < a.length; i++) max = Math.max(max, Math.abs(a[i] - b[i]));
  return max;
}

async function runCase(engine: WasmEngine, { name, forest, x }: ExplainCase): Promise<CaseResult> {
  const explainers: Record<Explainer, (rows: Columns) => Float64Array> = {
    fast: (rows) => treeShapInCore(engine.claimMemory(), forest, rows, 'fast'),
    algorithm2: (rows) => treeShapInCore(engine.claimMemory(), forest, rows, 'algorithm2'),
    reference: (rows) => reference.treeShap(forest, rows),
  };
  const names = Object.keys(explainers) as Explainer[];
  const check = takeRows(x, TASK_ROWS.reference);
  const expected = explainers.reference(check);
  for (const algorithm of ['fast', 'algorithm2'] as const) {
    const diff = maxAbsDiff(explainers[algorithm](check), expected);
    if (!(diff <= 1e-9)) throw new Error(`${name}: wasm ${algorithm} differs from the reference by ${diff}`);
  }

  const bench = new Bench({ name, time: 2000, iterations: 5, warmup: true });
  const inputs = {} as Record<Explainer, Columns>;
  for (const algorithm of names) {
    inputs[algorithm] = takeRows(x, TASK_ROWS[algorithm]);
    bench.add(algorithm, () => explainers[algorithm](inputs[algorithm]));
  }
  await bench.run();

  // Tasks were added in `names` order and keep it.
  const results = bench.tasks.map(completed);
  const rate = {} as Record<Explainer, number>;
  const cpuRate = {} as Record<Explainer, number>;
  names.forEach((algorithm, i) => {
    rate[algorithm] = (TASK_ROWS[algorithm] / results[i].latency.p50) * 1000;
    cpuRate[algorithm] =
      (TASK_ROWS[algorithm] / bestCpuMilliseconds(() => explainers[algorithm](inputs[algorithm]))) * 1000;
  });
  const trees = forest.treeOffsets.length - 1;
  console.log(`explain ${name}: ${trees} trees, ${forest.feature.length} nodes, ${x.columns} features`);
  console.table(
    names.map((algorithm, i) => ({
      task: algorithm === 'reference' ? 'reference (TypeScript, Algorithm 2)' : `wasm ${algorithm}`,
      rows: TASK_ROWS[algorithm],
      'rows/s (median)': Math.round(rate[algorithm]),
      'rows/s (CPU time)': Math.round(cpuRate[algorithm]),
      'ms/run (median)': results[i].latency.p50.toFixed(1),
      runs: results[i].latency.samplesCount,
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
export async function explainSuite(): Promise<CaseResult[]> {
  const engine = await loadEngine();
  const results: CaseResult[] = [];
  for (const testCase of [await notebookCase(), await grownCase(engine)]) results.push(await runCase(engine, testCase));
  return results;
}
