// Parallel scoring throughput: one thread vs every core, on the same model and rows.
// 2,000,000 rows x 6 features, a forest of 100 trees grown on maxSamples = 256. The input is a record of float64
// columns (what an Arrow table of features holds); both sides do the whole job (float32 conversion, checks, every
// score) and the parallel results are checked bit for bit against one thread's before timing.
// Run after the build: node benchmarks/src/parallel.bench.js [rows]
import os from 'node:os';
import { createParallelModel, loadIsoforest } from '@isoforest/core';

const ROWS = Number(process.argv[2] ?? 2_000_000);
const COLUMNS = 6;
const TREES = 100;
const RUNS = 5;
const EXPLAIN_ROWS = 50_000;

/** Float64 columns: three Gaussian-ish clusters with a sprinkle of far points, from a fixed LCG seed. */
function syntheticColumns(rows, columns) {
  const out = {};
  let s = 12345;
  const uniform = () => {
    s = (Math.imul(s, 1103515245) + 12345) >>> 0;
    return (s + 0.5) / 2 ** 32;
  };
  for (let c = 0; c < columns; c++) out[`x${c}`] = new Float64Array(rows);
  for (let r = 0; r < rows; r++) {
    const shift = (r % 3) * 2 + (r % 997 === 0 ? 8 : 0);
    for (let c = 0; c < columns; c++) {
      out[`x${c}`][r] = shift + Math.sqrt(-2 * Math.log(uniform())) * Math.cos(2 * Math.PI * uniform());
    }
  }
  return out;
}

function sliceColumns(columns, rows) {
  return Object.fromEntries(Object.entries(columns).map(([name, column]) => [name, column.subarray(0, rows)]));
}

/** Wall-clock milliseconds of each of `runs` runs (after one warm-up run), and the median. */
async function time(fn, runs) {
  await fn();
  const ms = [];
  for (let i = 0; i < runs; i++) {
    const start = performance.now();
    await fn();
    ms.push(performance.now() - start);
  }
  ms.sort((a, b) => a - b);
  return ms[Math.floor(runs / 2)];
}

function assertIdentical(what, expected, actual) {
  for (const [key, column] of Object.entries(expected)) {
    if (!ArrayBuffer.isView(column)) continue;
    for (let i = 0; i < column.length; i++) {
      if (!Object.is(column[i], actual[key][i])) throw new Error(`${what}.${key} differs at row ${i}`);
    }
  }
}

const cpus = os.cpus();
const threads = os.availableParallelism();
console.log(
  `machine: ${cpus[0]?.model ?? 'unknown CPU'}, ${cpus.length} logical cores (availableParallelism ${threads}), ` +
    `Node ${process.version}, ${os.platform()} ${os.arch()}, load average ${os.loadavg()[0].toFixed(2)}`,
);
const input = syntheticColumns(ROWS, COLUMNS);
const isoforest = await loadIsoforest();
const model = isoforest.fit(sliceColumns(input, 100_000), { nEstimators: TREES, maxSamples: 256, randomState: 7 });
console.log(`parallel: ${ROWS.toLocaleString('en-US')} rows x ${COLUMNS} features, ${TREES} trees, maxSamples 256`);

const started = performance.now();
const parallel = await createParallelModel(model, { threads });
const startupMs = performance.now() - started;
try {
  assertIdentical('score', model.score(input), await parallel.score(input));
  const explainInput = sliceColumns(input, EXPLAIN_ROWS);
  const [syncExplain, parallelExplain] = [model.explain(explainInput), await parallel.explain(explainInput)];
  syncExplain.values.forEach((column, c) => assertIdentical(`explain.values[${c}]`, { column }, { column: parallelExplain.values[c] }));

  const oneMs = await time(() => model.score(input), RUNS);
  const allMs = await time(() => parallel.score(input), RUNS);
  const oneExplainMs = await time(() => model.explain(explainInput), 3);
  const allExplainMs = await time(() => parallel.explain(explainInput), 3);
  const perSecond = (rows, ms) => Math.round((rows / ms) * 1000).toLocaleString('en-US');
  console.table([
    { task: 'score, 1 thread (model.score)', rows: ROWS, 'ms (median)': oneMs.toFixed(0), 'rows/s': perSecond(ROWS, oneMs) },
    { task: `score, ${threads} threads`, rows: ROWS, 'ms (median)': allMs.toFixed(0), 'rows/s': perSecond(ROWS, allMs) },
    { task: 'explain, 1 thread (model.explain)', rows: EXPLAIN_ROWS, 'ms (median)': oneExplainMs.toFixed(0), 'rows/s': perSecond(EXPLAIN_ROWS, oneExplainMs) },
    { task: `explain, ${threads} threads`, rows: EXPLAIN_ROWS, 'ms (median)': allExplainMs.toFixed(0), 'rows/s': perSecond(EXPLAIN_ROWS, allExplainMs) },
  ]);
  console.log(
    `parallel: ${threads} threads / 1 thread = ${(oneMs / allMs).toFixed(2)}x for score, ` +
      `${(oneExplainMs / allExplainMs).toFixed(2)}x for explain (worker start-up ${startupMs.toFixed(0)} ms, not timed)`,
  );
} finally {
  await parallel.close();
}
