// One cell of the grid: a dataset size, a tree count and a maxSamples. Measures fit, score and explain for every
// implementation that does the task at that size, each task as one interleaved group, and the ratios of pairs
// measured in the same group.
import { pearson } from '@isoforest/common';
import { createParallelModel } from '@isoforest/core';
import * as reference from '@isoforest/reference';
import {
  checkIdentical,
  checkSameForest,
  FIT_NOTES,
  fitCalls,
  IMPL,
  referenceScores,
  shapDifference,
} from './implementations.js';
import { measureGroup } from './measure.js';

/**
 * Largest dataset each slower implementation scores unless `--reference-rows` / `--peer-rows` say otherwise. Their
 * cost per row does not depend on the number of rows, and a call at the next size up would eat the run's budget:
 * one call of an npm peer takes ~2.5-5 s at 100k rows and ~25-50 s at 1M rows, the reference ~7-15 s at 1M rows
 * (2020s server core), and a measurement needs a warm-up call plus one per round.
 */
export const SCORE_ROW_LIMITS = { reference: 100_000, jsPeer: 10_000, mlPeer: 10_000 };
/** SHAP values of the WASM core and the reference must agree this closely (they sum in different orders). */
const SHAP_TOLERANCE = 1e-9;

/**
 * @param {object} ctx  `{ isoforest, budget, threads, scoreRowLimits, rates, notes, log }`; `rates` remembers rows/s by task,
 *                      implementation and forest shape, to say how long a skipped call would have taken; `notes` is a
 *                      Set of notes that hold for the whole run (a cell's own notes go in its `notes`)
 * @param {import('./data.js').Dataset} dataset
 */
export async function runCell(ctx, dataset, trees, maxSamples, { explain = true } = {}) {
  const cell = { rows: dataset.rows, trees, maxSamples, results: [], ratios: [], notes: [] };
  const shape = `${trees}x${maxSamples}`;
  ctx.log(`- ${dataset.rows.toLocaleString('en-US')} rows, ${trees} trees, maxSamples ${maxSamples}`);

  const fitted = await fitGroup(ctx, cell, dataset, trees, maxSamples);
  const parallel = ctx.threads > 1 ? await createParallelModel(fitted.wasm, { threads: ctx.threads }) : undefined;
  try {
    await scoreGroup(ctx, cell, dataset, fitted, parallel, shape);
    if (explain) {
      ctx.notes.add(
        'explain: measured on the distinct rows of the data, so both sides explain the same rows (the WASM core explains a repeated row once; the reference does not)',
      );
      await explainGroups(ctx, cell, dataset.distinct(), fitted.wasm, parallel);
    }
  } finally {
    await parallel?.close();
  }
  return cell;
}

async function fitGroup(ctx, cell, dataset, trees, maxSamples) {
  const calls = fitCalls(ctx.isoforest, dataset, trees, maxSamples);
  const contenders = Object.entries(calls).map(([key, run]) => ({
    key,
    impl: IMPL[key],
    threads: 1,
    rows: dataset.rows,
    run,
  }));
  const { outputs, results } = await measureGroup(contenders, ctx.budget, (out) =>
    checkSameForest(out.wasm.forest, out.reference),
  );
  ctx.notes.add(
    'fit: the WASM core and the reference grew bit-identical forests in every cell (checked before timing)',
  );
  for (const [key, note] of Object.entries(FIT_NOTES)) ctx.notes.add(`fit: ${IMPL[key]} ${note}`);
  record(cell, 'fit', contenders, results);
  ratio(cell, 'fit', results, contenders, 'wasm', ['reference', 'jsPeer', 'mlPeer']);
  return outputs;
}

async function scoreGroup(ctx, cell, dataset, fitted, parallel, shape) {
  const n = dataset.rows;
  const model = fitted.wasm;
  const contenders = [{ key: 'wasm', impl: IMPL.wasm, threads: 1, rows: n, run: () => model.score(dataset.record) }];
  if (parallel !== undefined) {
    contenders.push({
      key: 'wasmAll',
      impl: IMPL.wasm,
      threads: parallel.threads,
      rows: n,
      async: true,
      run: () => parallel.score(dataset.record),
    });
  }
  const slower = {
    reference: () => referenceScores(fitted.reference, dataset.float32, cell.maxSamples),
    jsPeer: () => fitted.jsPeer.predict(dataset.objects),
    mlPeer: () => fitted.mlPeer.predict(dataset.arrays),
  };
  for (const [key, run] of Object.entries(slower)) {
    const limit = ctx.scoreRowLimits[key];
    if (n <= limit) contenders.push({ key, impl: IMPL[key], threads: 1, rows: n, run });
    else
      cell.notes.push(
        `score: ${IMPL[key]} skipped at ${n.toLocaleString('en-US')} rows (limit ${limit.toLocaleString('en-US')}, see --${key === 'reference' ? 'reference' : 'peer'}-rows)${predicted(ctx, 'score', key, shape, n)}`,
      );
  }
  const { results } = await measureGroup(contenders, ctx.budget, (out) => {
    if (out.reference !== undefined)
      checkIdentical('score: WASM vs reference score_samples', out.reference, out.wasm.scoreSamples);
    if (out.wasmAll !== undefined)
      checkIdentical('score: all threads vs one thread', out.wasm.scoreSamples, out.wasmAll.scoreSamples);
    const anomaly = out.wasm.scoreSamples.map((s) => -s);
    for (const key of ['jsPeer', 'mlPeer']) {
      if (out[key] === undefined) continue;
      if (out[key].length !== n)
        throw new Error(`score: ${IMPL[key]} returned ${out[key].length} scores for ${n} rows`);
      cell.notes.push(
        `score: ${IMPL[key]}'s anomaly scores correlate with ours at r = ${pearson(out[key], anomaly).toFixed(3)} (different random trees)`,
      );
    }
  });
  if (contenders.some((c) => c.key === 'reference'))
    ctx.notes.add(
      'score: the WASM core and the reference gave bit-identical score_samples wherever both ran (checked before timing)',
    );
  if (parallel !== undefined)
    ctx.notes.add('score and explain: all threads gave bit-identical results to one thread (checked before timing)');
  for (const c of contenders)
    ctx.rates.set(`score/${c.key}/${shape}`, { rows: n, rate: results[c.key].rowsPerSecond.median });
  record(cell, 'score', contenders, results);
  ratio(cell, 'score', results, contenders, 'wasm', ['reference', 'jsPeer', 'mlPeer']);
  ratio(cell, 'score', results, contenders, 'wasmAll', ['wasm']);
}

/** " (one call would take ~N s at the R rows/s measured at M rows)", when an earlier cell measured it. */
function predicted(ctx, task, key, shape, rows) {
  const seen = ctx.rates.get(`${task}/${key}/${shape}`);
  if (seen === undefined) return '';
  return `: one call would take ~${Math.round(rows / seen.rate)} s at the ${Math.round(seen.rate).toLocaleString('en-US')} rows/s measured at ${seen.rows.toLocaleString('en-US')} rows`;
}

/**
 * Two groups: the WASM core against the reference on a slice sized for the reference (~100x slower), and one
 * thread against all threads on a slice large enough to split across workers. TreeSHAP's cost per row depends on
 * the forest, not on how many rows were scored, so the slices are the dataset's first rows.
 */
async function explainGroups(ctx, cell, dataset, model, parallel) {
  const referenceRows = await calibratedRows(
    (head) => reference.treeShap(model.forest, head.float32),
    dataset,
    16,
    ctx.budget.explainReferenceMs,
    16,
    2048,
  );
  const small = dataset.head(referenceRows);
  const vsReference = [
    { key: 'wasm', impl: IMPL.wasm, threads: 1, rows: referenceRows, run: () => model.explain(small.record) },
    {
      key: 'reference',
      impl: IMPL.reference,
      threads: 1,
      rows: referenceRows,
      run: () => reference.treeShap(model.forest, small.float32),
    },
  ];
  const first = await measureGroup(vsReference, ctx.budget, (out) => {
    const diff = shapDifference(out.wasm.values, out.reference, referenceRows);
    if (!(diff <= SHAP_TOLERANCE)) throw new Error(`explain: WASM and reference SHAP values differ by ${diff}`);
    ctx.notes.add(
      `explain: WASM and reference SHAP values agree within ${SHAP_TOLERANCE} in every cell (checked before timing)`,
    );
  });
  record(cell, 'explain', vsReference, first.results);
  ratio(cell, 'explain', first.results, vsReference, 'wasm', ['reference']);

  if (parallel === undefined) return;
  const threadRows = await calibratedRows(
    (head) => model.explain(head.record),
    dataset,
    512,
    ctx.budget.explainThreadsMs,
    4096,
    65_536,
  );
  const large = dataset.head(threadRows);
  const threads = [
    { key: 'wasm', impl: IMPL.wasm, threads: 1, rows: threadRows, run: () => model.explain(large.record) },
    {
      key: 'wasmAll',
      impl: IMPL.wasm,
      threads: parallel.threads,
      rows: threadRows,
      async: true,
      run: () => parallel.explain(large.record),
    },
  ];
  const second = await measureGroup(threads, ctx.budget, (out) => {
    out.wasm.values.forEach((column, c) =>
      checkIdentical(`explain: all threads vs one thread, feature ${c}`, column, out.wasmAll.values[c]),
    );
  });
  record(cell, 'explain', threads, second.results);
  ratio(cell, 'explain', second.results, threads, 'wasmAll', ['wasm']);
}

/**
 * Rows for one call of about `targetMs`, from timing `explain` on the first `probeRows` rows (after a warm-up
 * call), clamped to [minRows, min(maxRows, dataset rows)] and rounded to a multiple of 16.
 */
async function calibratedRows(explain, dataset, probeRows, targetMs, minRows, maxRows) {
  const head = dataset.head(Math.min(probeRows, dataset.rows));
  await explain(head);
  const start = performance.now();
  await explain(head);
  const msPerRow = (performance.now() - start) / head.rows;
  const rows = Math.round(targetMs / msPerRow / 16) * 16;
  return Math.min(dataset.rows, maxRows, Math.max(minRows, rows));
}

/** Appends one result row per contender. */
function record(cell, task, contenders, results) {
  for (const c of contenders) {
    const r = results[c.key];
    cell.results.push({
      task,
      rows: cell.rows,
      trees: cell.trees,
      maxSamples: cell.maxSamples,
      impl: c.impl,
      key: c.key,
      threads: c.threads,
      rowsPerCall: c.rows,
      samples: r.wallMs.n,
      iterationsPerRound: r.iterationsPerRound,
      rowsPerSecond: r.rowsPerSecond,
      msPerCall: r.wallMs,
      cpuMsPerCall: r.cpuMs,
      // Process CPU time counts every thread, so it measures throughput only for one-thread contenders.
      cpuRowsPerSecond: c.threads === 1 ? r.rowsPerSecond.cpuMedian : null,
    });
  }
}

/**
 * Ratios `numerator / d` of rows/s for each present `d` in `denominators`: of the pooled medians, the range over
 * rounds (each round's medians, measured back to back), and of the CPU-time medians when both run on one thread.
 */
function ratio(cell, task, results, contenders, numerator, denominators) {
  const byKey = Object.fromEntries(contenders.map((c) => [c.key, c]));
  const a = results[numerator];
  if (a === undefined) return;
  for (const d of denominators) {
    const b = results[d];
    if (b === undefined) continue;
    const perRound = a.roundMedianMs.map((ms, i) => byKey[numerator].rows / ms / (byKey[d].rows / b.roundMedianMs[i]));
    cell.ratios.push({
      task,
      rows: cell.rows,
      trees: cell.trees,
      maxSamples: cell.maxSamples,
      numerator: label(byKey[numerator]),
      denominator: label(byKey[d]),
      wall: a.rowsPerSecond.median / b.rowsPerSecond.median,
      roundMin: Math.min(...perRound),
      roundMax: Math.max(...perRound),
      cpu:
        byKey[numerator].threads === 1 && byKey[d].threads === 1
          ? a.rowsPerSecond.cpuMedian / b.rowsPerSecond.cpuMedian
          : null,
    });
  }
}

function label(contender) {
  return contender.threads === 1 ? contender.impl : `${contender.impl} (${contender.threads} threads)`;
}
