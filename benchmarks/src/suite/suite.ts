// The comparison suite: fit, score and explain by the WASM core, the TypeScript reference and the npm peers, over
// the grid of sizes and forest shapes, every ratio taken from pairs measured side by side in this run.
import { loadIsoforest } from '@isoforest/core';
import type { Flags } from './args.js';
import { runCell, type Cell, type CellContext, type RatioRow, type ResultRow } from './cell.js';
import { makeDataset } from './data.js';
import { planFor } from './grid.js';
import { IMPL } from './implementations.js';
import { describeMachine, loadLine, machineLine, sampleLoad } from './machine.js';
import { TARGETS, type ComparisonRun, type TargetCheck } from './report.js';

/**
 * Runs the grid `planFor(flags)` describes and returns the run: machine, load before and after, every result row
 * and ratio, the targets checked, and notes (skips, checks). `log` receives progress lines.
 */
export async function runComparisonSuite(
  flags: Flags,
  { command, log = console.log }: { command?: string; log?: (line: string) => void } = {},
): Promise<ComparisonRun> {
  const started = performance.now();
  const machine = describeMachine();
  const plan = planFor(flags);
  const threads = flags.threads ?? machine.availableParallelism;
  const loadBefore = sampleLoad();
  log(`machine: ${machineLine(machine)}`);
  log(`load before: ${loadLine(loadBefore)}`);
  log(
    `grid: ${plan.sizes.map((s) => s.toLocaleString('en-US')).join(', ')} rows x ${plan.trees.join(', ')} trees x ` +
      `maxSamples ${plan.maxSamples.join(', ')}, 1${threads > 1 ? ` and ${threads}` : ''} thread(s), ${plan.budget.rounds} rounds`,
  );

  const ctx: CellContext = {
    isoforest: await loadIsoforest(),
    budget: plan.budget,
    threads,
    scoreRowLimits: plan.scoreRowLimits,
    rates: new Map(),
    notes: new Set(),
    log,
  };
  const cells: Cell[] = [];
  const data: string[] = [];
  for (const size of plan.sizes) {
    const t = performance.now();
    const dataset = makeDataset(size);
    data.push(dataset.description);
    log(`data: ${dataset.description} (${Math.round(performance.now() - t)} ms to generate)`);
    for (const trees of plan.trees) {
      for (const maxSamples of plan.maxSamples) {
        cells.push(await runCell(ctx, dataset, trees, maxSamples, { explain: size === plan.explainSize }));
      }
    }
  }
  const loadAfter = sampleLoad();
  ctx.notes.add(
    `explain: measured at ${plan.explainSize.toLocaleString('en-US')} rows only, on the first rows (its cost per row depends on the forest, not on the dataset size): against the reference on a slice the reference explains in ~${plan.budget.explainReferenceMs} ms, one thread against all on a slice of ~${plan.budget.explainThreadsMs} ms`,
  );
  if (threads > 1)
    ctx.notes.add(`fit has no multi-threaded path (the pool scores and explains): fit rows are one thread`);
  const results = cells.flatMap((c) => c.results);
  const ratios = cells.flatMap((c) => c.ratios);
  const notes = [
    'data: the six model features (MODEL_FEATURES of @isoforest/features: per-user log z-scores and distinct counts) of a synthetic tenant from @isoforest/synth, generated once per size; every implementation gets the same rows',
    'input forms: the WASM core takes named float64 columns and converts them to float32 inside the timed call; the reference takes float32 columns, the peers arrays of row objects / row arrays, built once, untimed',
    ...ctx.notes,
    ...cells.flatMap((c) =>
      c.notes.map(
        (note) => `${c.rows.toLocaleString('en-US')} rows, ${c.trees} trees, maxSamples ${c.maxSamples}: ${note}`,
      ),
    ),
  ];
  return {
    title: flags.quick ? 'quick run' : 'comparison suite',
    command,
    machine,
    startedAt: new Date(Date.now() - (performance.now() - started)).toISOString(),
    seconds: (performance.now() - started) / 1000,
    loadBefore,
    loadAfter,
    plan,
    budget: plan.budget,
    data: `${data.join('; ')}; 6 features`,
    results,
    ratios,
    targets: checkTargets(results, ratios),
    notes,
  };
}

/**
 * The issue's targets, read from the largest dataset measured with 100 trees and maxSamples 256 (the forest the
 * targets name) on one thread.
 */
function checkTargets(results: readonly ResultRow[], ratios: readonly RatioRow[]): TargetCheck[] {
  // Of equal dataset sizes, the row measured on the most rows per call (explain runs two slices).
  const perCall = (r: ResultRow | RatioRow) => ('rowsPerCall' in r ? r.rowsPerCall : 0);
  const pick = <R extends ResultRow | RatioRow>(rows: readonly R[]): R | undefined =>
    rows
      .filter((r) => r.trees === 100 && r.maxSamples === 256)
      .sort((a, b) => b.rows - a.rows || perCall(b) - perCall(a))[0];
  const targets: TargetCheck[] = [];
  const score = pick(results.filter((r) => r.task === 'score' && r.key === 'wasm'));
  if (score !== undefined) {
    targets.push(
      verdict(
        `score >= ${TARGETS.scoreRowsPerSecond.toLocaleString('en-US')} rows/s on one core (${score.rows.toLocaleString('en-US')} rows, 100 trees x 256)`,
        score.rowsPerSecond.median,
        score.cpuRowsPerSecond,
        TARGETS.scoreRowsPerSecond,
        'rows/s',
      ),
    );
  }
  const vsReference = pick(
    ratios.filter((r) => r.task === 'score' && r.numerator === IMPL.wasm && r.denominator === IMPL.reference),
  );
  if (vsReference !== undefined) {
    targets.push(
      verdict(
        `score >= ${TARGETS.scoreVsReference}x the reference (${vsReference.rows.toLocaleString('en-US')} rows)`,
        vsReference.wall,
        vsReference.cpu,
        TARGETS.scoreVsReference,
        'x',
      ),
    );
  }
  const explain = pick(results.filter((r) => r.task === 'explain' && r.key === 'wasm'));
  if (explain !== undefined) {
    targets.push(
      verdict(
        `TreeSHAP >= ${TARGETS.explainRowsPerSecond.toLocaleString('en-US')} rows/s on one core (100 trees x 256 x 6 features, ${explain.rowsPerCall.toLocaleString('en-US')} rows per call)`,
        explain.rowsPerSecond.median,
        explain.cpuRowsPerSecond,
        TARGETS.explainRowsPerSecond,
        'rows/s',
      ),
    );
  }
  return targets;
}

function verdict(target: string, wall: number, cpu: number | null, goal: number, unit: string): TargetCheck {
  const show = (x: number | null) =>
    x === null ? '-' : unit === 'x' ? `${x.toFixed(2)}x` : `${Math.round(x).toLocaleString('en-US')} ${unit}`;
  const met =
    wall >= goal
      ? 'met'
      : cpu !== null && cpu >= goal
        ? 'met on CPU time only (the wall clock counts time other processes held the core)'
        : 'NOT met';
  return { target, wall: show(wall), cpu: show(cpu), verdict: met };
}
