// Times a group of contenders (implementations doing the same job on the same rows) interleaved: after a warm-up,
// every contender runs a few iterations per round, the order rotating from round to round, so a change of machine
// load during the group hits every contender alike. tinybench times each iteration; this module also records the
// process CPU time of each iteration, which a busy machine inflates far less than the wall clock.
import v8 from 'node:v8';
import vm from 'node:vm';
import { Bench } from 'tinybench';
import { summarise, rowsPerSecond } from './stats.js';

/**
 * @typedef {object} Contender
 * @property {string} key       unique within the group, e.g. "wasm-1"
 * @property {string} impl      implementation label, e.g. "WASM core"
 * @property {number} threads   threads it computes on
 * @property {number} rows      rows one call processes
 * @property {() => unknown} run one call
 * @property {boolean} [async]  `run` returns a promise
 * @property {() => unknown} [warmup] a cheaper call to warm the JIT with, when one full call would take long
 */

/**
 * @typedef {object} Budget
 * @property {number} rounds        rounds per group (each contender runs in every round)
 * @property {number} roundMs       target wall time of one contender's iterations in one round
 * @property {number} maxIterations cap on iterations per round
 */

/**
 * A full garbage collection, run before each measurement so garbage left by one contender is not collected on
 * another's time. Enabled at run time rather than with `node --expose-gc`: worker threads (the parallel pool)
 * refuse to start with that flag in `process.execArgv`.
 */
const gc = globalThis.gc ?? exposeGc();

function exposeGc() {
  v8.setFlagsFromString('--expose-gc');
  return vm.runInNewContext('gc');
}

/** Wall milliseconds and the output of one call. */
async function timeOnce(fn) {
  gc();
  const start = performance.now();
  const output = await fn();
  return { ms: performance.now() - start, output };
}

/**
 * Warms every contender up (one full call, plus `warmup` calls if given), hands the full calls' outputs to `check`
 * (which throws if the contenders disagree), then runs `budget.rounds` interleaved rounds. Returns `outputs` (the
 * first full call's result per contender) and `results`: per contender, its wall-time and CPU-time summaries in ms
 * per call and rows/s, and its per-round median wall times.
 */
export async function measureGroup(contenders, budget, check = () => {}) {
  const outputs = {};
  const iterations = {};
  for (const contender of contenders) {
    if (contender.warmup !== undefined) await contender.warmup();
    const first = await timeOnce(contender.run);
    outputs[contender.key] = first.output;
    // Short calls get a second warm-up (the JIT may not have finished optimising after one), which also gives a
    // better estimate of a warm call for sizing the rounds.
    const estimateMs = first.ms < 1000 ? Math.min(first.ms, (await timeOnce(contender.run)).ms) : first.ms;
    iterations[contender.key] = Math.max(1, Math.min(budget.maxIterations, Math.floor(budget.roundMs / estimateMs)));
  }
  check(outputs);

  const wall = Object.fromEntries(contenders.map((c) => [c.key, []]));
  const cpu = Object.fromEntries(contenders.map((c) => [c.key, []]));
  const roundMedians = Object.fromEntries(contenders.map((c) => [c.key, []]));
  for (let round = 0; round < budget.rounds; round++) {
    const order = contenders.map((_, i) => contenders[(i + round) % contenders.length]);
    for (const contender of order) {
      const samples = await runIterations(contender, iterations[contender.key], cpu[contender.key]);
      wall[contender.key].push(...samples);
      roundMedians[contender.key].push(summarise(samples).median);
    }
  }

  const results = Object.fromEntries(
    contenders.map((contender) => {
      const time = summarise(wall[contender.key]);
      const cpuTime = summarise(cpu[contender.key]);
      return [
        contender.key,
        {
          iterationsPerRound: iterations[contender.key],
          wallMs: time,
          cpuMs: cpuTime,
          roundMedianMs: roundMedians[contender.key],
          rowsPerSecond: {
            median: rowsPerSecond(contender.rows, time.median),
            p25: rowsPerSecond(contender.rows, time.p75),
            p75: rowsPerSecond(contender.rows, time.p25),
            min: rowsPerSecond(contender.rows, time.max),
            max: rowsPerSecond(contender.rows, time.min),
            rme: time.rme,
            cpuMedian: rowsPerSecond(contender.rows, cpuTime.median),
          },
        },
      ];
    }),
  );
  return { outputs, results };
}

/** `count` timed calls of `contender` in one tinybench run; pushes each call's CPU ms onto `cpuOut`; returns wall ms. */
async function runIterations(contender, count, cpuOut) {
  gc();
  const bench = new Bench({ time: 0, iterations: count, warmup: false, retainSamples: true, throws: true });
  const cpuMs = (start) => {
    const used = process.cpuUsage(start);
    return (used.user + used.system) / 1000;
  };
  bench.add(
    contender.key,
    contender.async === true
      ? async () => {
          const start = process.cpuUsage();
          await contender.run();
          cpuOut.push(cpuMs(start));
        }
      : () => {
          const start = process.cpuUsage();
          contender.run();
          cpuOut.push(cpuMs(start));
        },
  );
  await bench.run();
  const task = bench.tasks[0];
  if (task.result.state !== 'completed') throw new Error(`${contender.key}: tinybench task ${task.result.state}`);
  return [...task.result.latency.samples];
}
