// Explaining each distinct row once (the core's ShapCache) against explaining every row, side by side in one run on
// one thread, on
//   (a) the six model features of a synthetic tenant (`isoforest synth --users 5000 --days 30`: 113,157 user-days,
//       which repeat a lot: z-scores clipped at 0, small counts), in blocks of BLOCK_ROWS as `explain` reads them;
//   (b) the same tenant's forest on 20,000 continuous rows, every one distinct: what the dedupe costs when it finds
//       nothing.
// Tasks: the engine's TreeSHAP of every row; with a cache of capacity 0 (each block's repeats explained once); with
// one cache carried over the blocks (what `explain` and a parallel model do). Every task's values are checked equal
// to the engine's, bit for bit, before timing; rounds are interleaved; wall clock and CPU time (user + system) are
// medians over the rounds. The last line times the dedupe alone (plan + finish, no TreeSHAP) on the distinct rows.
import { loadIsoforest } from '@isoforest/core';
import { buildFeatureTable, MODEL_FEATURES } from '@isoforest/features';
import { generateUserDays } from '@isoforest/synth';
import { Table } from 'apache-arrow';
import { BLOCK_ROWS, cacheRowsFor, loadEngine, SHAP_CACHE_BYTES, ShapCache, type WasmEngine } from './coreEngine.js';
import type { Columns, FlatForest } from '@isoforest/reference';
import { syntheticRows } from './syntheticRows.js';

const ROUNDS = Number(process.env.DEDUPE_ROUNDS ?? 3);
type TaskName = 'every row' | 'repeats per block' | 'cache over the blocks';
const TASKS: readonly TaskName[] = ['every row', 'repeats per block', 'cache over the blocks'];

/** The rows as blocks of at most BLOCK_ROWS rows. */
function blocksOf(x: Columns): Columns[] {
  const blocks: Columns[] = [];
  for (let start = 0; start < x.rows; start += BLOCK_ROWS) {
    const rows = Math.min(BLOCK_ROWS, x.rows - start);
    const data = new Float32Array(rows * x.columns);
    for (let c = 0; c < x.columns; c++)
      data.set(x.data.subarray(c * x.rows + start, c * x.rows + start + rows), c * rows);
    blocks.push({ data, rows, columns: x.columns });
  }
  return blocks;
}

/** SHAP columns of every row of `blocks`, by `task`; returns them with the rows the engine explained. */
function explain(
  engine: WasmEngine,
  forest: FlatForest,
  blocks: readonly Columns[],
  task: TaskName,
): { values: Float64Array[]; explained: number } {
  const rows = blocks.reduce((sum, block) => sum + block.rows, 0);
  const columns = blocks[0].columns;
  const values = Array.from({ length: columns }, () => new Float64Array(rows));
  let explained = 0;
  let start = 0;
  const carried = new ShapCache(columns, Math.min(rows, cacheRowsFor(columns, SHAP_CACHE_BYTES)));
  for (const block of blocks) {
    if (task === 'every row') {
      const shap = engine.treeShap(forest, block);
      values.forEach((column, c) => column.set(shap.subarray(c * block.rows, (c + 1) * block.rows), start));
      explained += block.rows;
    } else {
      const cache = task === 'cache over the blocks' ? carried : new ShapCache(columns, 0);
      const plan = cache.plan(block);
      const shap = plan.missing.rows === 0 ? new Float64Array(0) : engine.treeShap(forest, plan.missing);
      cache.finish(plan, shap, values, start);
      explained += plan.missing.rows;
    }
    start += block.rows;
  }
  return { values, explained };
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  return sorted.length % 2 === 1 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
}

/** Wall and CPU milliseconds of `run`. */
function time(run: () => unknown): { wall: number; cpu: number } {
  const cpu = process.cpuUsage();
  const wall = performance.now();
  run();
  const used = process.cpuUsage(cpu);
  return { wall: performance.now() - wall, cpu: (used.user + used.system) / 1000 };
}

function runCase(engine: WasmEngine, forest: FlatForest, name: string, x: Columns): void {
  const blocks = blocksOf(x);
  const truth = explain(engine, forest, blocks, 'every row').values;
  const explained = {} as Record<TaskName, number>;
  for (const task of TASKS) {
    const result = explain(engine, forest, blocks, task);
    result.values.forEach((column, c) => {
      const differ = column.findIndex((value, r) => !Object.is(value, truth[c][r]));
      if (differ !== -1) throw new Error(`${name}, ${task}: row ${differ} of feature ${c} differs from the engine's`);
    });
    explained[task] = result.explained;
  }
  const samples = Object.fromEntries(TASKS.map((task) => [task, { wall: [] as number[], cpu: [] as number[] }]));
  for (let round = 0; round < ROUNDS; round++) {
    for (const task of TASKS) {
      const { wall, cpu } = time(() => explain(engine, forest, blocks, task));
      samples[task].wall.push(wall);
      samples[task].cpu.push(cpu);
    }
  }
  const every = { wall: median(samples['every row'].wall), cpu: median(samples['every row'].cpu) };
  console.log(`dedupe ${name}: ${x.rows.toLocaleString('en-US')} rows, ${blocks.length} blocks, ${ROUNDS} rounds`);
  console.table(
    TASKS.map((task) => {
      const wall = median(samples[task].wall);
      const cpu = median(samples[task].cpu);
      return {
        task,
        'rows explained': explained[task],
        share: (explained[task] / x.rows).toFixed(3),
        'ms (median wall)': Math.round(wall),
        'ms (median CPU)': Math.round(cpu),
        'speed-up (wall)': `${(every.wall / wall).toFixed(2)}x`,
        'speed-up (CPU)': `${(every.cpu / cpu).toFixed(2)}x`,
      };
    }),
  );
}

/** Microseconds per row of the dedupe alone (plan + finish with zeros for the missing rows) on `x`. */
function dedupeAlone(x: Columns): number {
  const blocks = blocksOf(x);
  const values = Array.from({ length: x.columns }, () => new Float64Array(x.rows));
  const runs: number[] = [];
  for (let round = 0; round < ROUNDS; round++) {
    runs.push(
      time(() => {
        const cache = new ShapCache(x.columns, Math.min(x.rows, cacheRowsFor(x.columns, SHAP_CACHE_BYTES)));
        let start = 0;
        for (const block of blocks) {
          const plan = cache.plan(block);
          cache.finish(plan, new Float64Array(plan.missing.rows * x.columns), values, start);
          start += block.rows;
        }
      }).cpu,
    );
  }
  return (median(runs) * 1000) / x.rows;
}

/** Runs both cases on one forest of 100 trees x 256 rows grown on the tenant's features. */
export async function dedupeSuite(): Promise<void> {
  const engine = await loadEngine();
  const isoforest = await loadIsoforest();
  const batches = [...generateUserDays({ users: 5000, days: 30, seed: 0 })];
  const features = buildFeatureTable(new Table(batches)).select([...MODEL_FEATURES]);
  const model = isoforest.fit(features, { nEstimators: 100, maxSamples: 256, randomState: 42 });
  const rows = features.numRows;
  const data = new Float32Array(rows * MODEL_FEATURES.length);
  MODEL_FEATURES.forEach((name, c) => data.set(features.getChild(name)!.toArray() as Float64Array, c * rows));
  const tenant = { data, rows, columns: MODEL_FEATURES.length };
  runCase(engine, model.forest, '(a) synthetic tenant', tenant);
  const distinct = syntheticRows(20_000, MODEL_FEATURES.length);
  runCase(engine, model.forest, '(b) all-distinct rows', distinct);
  const perRow = dedupeAlone(distinct);
  const shapPerRow =
    (median([0, 1, 2].map(() => time(() => engine.treeShap(model.forest, distinct)).cpu)) * 1000) / distinct.rows;
  console.log(
    `dedupe alone on the all-distinct rows: ${perRow.toFixed(2)} µs a row of CPU, ` +
      `${((100 * perRow) / shapPerRow).toFixed(2)}% of TreeSHAP's ${shapPerRow.toFixed(1)} µs a row`,
  );
}
