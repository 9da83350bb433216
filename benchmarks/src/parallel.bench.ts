// Parallel scoring throughput: one thread vs every core, on the same model and rows.
// 2,000,000 rows x 6 features, a forest of 100 trees grown on maxSamples = 256. The input is a record of float64
// columns (what an Arrow table of features holds); both sides do the whole job (float32 conversion, checks, every
// score) and the parallel results are checked bit for bit against one thread's before timing.
// Run after the build: node benchmarks/dist/parallel.bench.js [rows]
import os from 'node:os';
import { linearQuantile, mulberry32 } from '@isoforest/common';
import { createParallelModel, loadIsoforest } from '@isoforest/core';

const ROWS = Number(process.argv[2] ?? 2_000_000);
const COLUMNS = 6;
const TREES = 100;
const RUNS = 5;
const EXPLAIN_ROWS = 50_000;

type Columns = Record<string, Float64Array>;

/** Float64 columns: three Gaussian-ish clusters with a sprinkle of far points, from a fixed seed. */
function syntheticColumns(rows: number, columns: number): Columns {
  const out: Columns = {};
  const draw = mulberry32(12345);
  // In (0, 1]: the Box-Muller transform takes a logarithm of it.
  const uniform = () => 1 - draw();
  for (let c = 0; c < columns; c++) out[`x${c}`] = new Float64Array(rows);
  for (let r = 0; r < rows; r++) {
    const shift = (r % 3) * 2 + (r % 997 === 0 ? 8 : 0);
    for (let c = 0; c < columns; c++) {
      out[`x${c}`][r] = shift + Math.sqrt(-2 * Math.log(uniform())) * Math.cos(2 * Math.PI * uniform());
    }
  }
  return out;
}

function sliceColumns(columns: Columns, rows: number): Columns {
  return Object.fromEntries(Object.entries(columns).map(([name, column]) => [name, column.subarray(0, rows)]));
}

/**
 * Median wall-clock and CPU milliseconds over `runs` runs (after one warm-up run). CPU time is this process's, all
 * threads together: it shows what the parallel path costs beyond one thread's work, which the wall clock hides when
 * other processes share the cores.
 */
async function time(fn: () => unknown, runs: number): Promise<{ wallMs: number; cpuMs: number }> {
  await fn();
  const wall: number[] = [];
  const cpu: number[] = [];
  for (let i = 0; i < runs; i++) {
    const cpuStart = process.cpuUsage();
    const start = performance.now();
    await fn();
    wall.push(performance.now() - start);
    const used = process.cpuUsage(cpuStart);
    cpu.push((used.user + used.system) / 1000);
  }
  return { wallMs: linearQuantile(wall, 0.5), cpuMs: linearQuantile(cpu, 0.5) };
}

function assertIdentical(what: string, expected: object, actual: object): void {
  const got = actual as Record<string, ArrayLike<number>>;
  for (const [key, column] of Object.entries(expected)) {
    if (!ArrayBuffer.isView(column) || column instanceof DataView) continue;
    const values = column as unknown as ArrayLike<number>;
    for (let i = 0; i < values.length; i++) {
      if (!Object.is(values[i], got[key][i])) throw new Error(`${what}.${key} differs at row ${i}`);
    }
  }
}

const cpus = os.cpus();
const threads = os.availableParallelism();
console.log(
  `machine: ${cpus[0]?.model ?? 'unknown CPU'}, ${cpus.length} logical cores (availableParallelism ${threads}), ` +
    `Node ${process.version}, ${os.platform()} ${os.arch()}, load average ${os.loadavg()[0].toFixed(2)}`,
);
if (os.loadavg()[0] > cpus.length) {
  console.log(
    `note: load average ${os.loadavg()[0].toFixed(1)} exceeds the ${cpus.length} cores: other processes hold cores, ` +
      'so the wall-clock ratio understates the speed-up; the CPU-time ratio (the cost of going parallel) still holds',
  );
}
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
  syncExplain.values.forEach((column, c) =>
    assertIdentical(`explain.values[${c}]`, { column }, { column: parallelExplain.values[c] }),
  );

  const rows: [string, number, { wallMs: number; cpuMs: number }, { wallMs: number; cpuMs: number }][] = [
    ['score', ROWS, await time(() => model.score(input), RUNS), await time(() => parallel.score(input), RUNS)],
    [
      'explain',
      EXPLAIN_ROWS,
      await time(() => model.explain(explainInput), 3),
      await time(() => parallel.explain(explainInput), 3),
    ],
  ];
  const perSecond = (count: number, ms: number) => Math.round((count / ms) * 1000).toLocaleString('en-US');
  console.table(
    rows
      .flatMap(([task, count, one, all]) => [
        [`${task}, 1 thread (model.${task})`, count, one] as const,
        [`${task}, ${threads} threads`, count, all] as const,
      ])
      .map(([task, count, t]) => ({
        task,
        rows: count,
        'wall ms (median)': t.wallMs.toFixed(0),
        'rows/s': perSecond(count, t.wallMs),
        'CPU ms, all threads (median)': t.cpuMs.toFixed(0),
      })),
  );
  for (const [task, , one, all] of rows) {
    console.log(
      `parallel ${task}: ${threads} threads / 1 thread = ${(one.wallMs / all.wallMs).toFixed(2)}x rows/s ` +
        `(CPU time ${(all.cpuMs / one.cpuMs).toFixed(2)}x one thread's)`,
    );
  }
  console.log(
    `worker start-up: ${startupMs.toFixed(0)} ms (not timed above); load average now ${os.loadavg()[0].toFixed(2)}`,
  );
} finally {
  await parallel.close();
}
