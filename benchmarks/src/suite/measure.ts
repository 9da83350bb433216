// Times a group of contenders (implementations doing the same job on the same rows) interleaved: after a warm-up,
// every contender runs a few iterations per round, the order rotating from round to round, so a change of machine
// load during the group hits every contender alike. tinybench times each iteration; this module also records the
// process CPU time of each iteration, which a busy machine inflates far less than the wall clock.
import v8 from 'node:v8';
import vm from 'node:vm';
import { Bench } from 'tinybench';
import type { Budget } from './grid.js';
import { completed, summarise, rowsPerSecond, type Summary } from './stats.js';

/** One implementation doing the group's job; its key in the group names it (e.g. "wasm", "wasmAll"). */
export interface Contender<Output = unknown> {
  /** Implementation label, e.g. "WASM core". */
  readonly impl: string;
  /** Threads it computes on. */
  readonly threads: number;
  /** Rows one call processes. */
  readonly rows: number;
  /** One call; when it returns a promise, `async` must be true so that the promise is awaited in the timing. */
  readonly run: () => Output | Promise<Output>;
  readonly async?: boolean;
  /** A cheaper call to warm the JIT with, when one full call would take long. */
  readonly warmup?: () => unknown;
}

/** A group: contenders by key, in the order they first run; a key may be absent (the contender skipped). */
export type Group = Readonly<Record<string, Contender | undefined>>;

/** What each contender of a group returned from its first full call. */
export type Outputs<G extends Group> = { -readonly [K in keyof G]: Awaited<ReturnType<NonNullable<G[K]>['run']>> };

/** One contender's figures: wall and CPU summaries in ms per call, rows/s, and each round's median wall time. */
export interface ContenderResult {
  readonly iterationsPerRound: number;
  readonly wallMs: Summary;
  readonly cpuMs: Summary;
  readonly roundMedianMs: number[];
  readonly rowsPerSecond: {
    readonly median: number;
    readonly p25: number;
    readonly p75: number;
    readonly min: number;
    readonly max: number;
    readonly rme: number;
    readonly cpuMedian: number;
  };
}

/** The contenders of a group that ran, with their keys, in order. */
export function present<G extends Group>(group: G): [key: string, contender: Contender][] {
  return Object.entries(group).filter((entry): entry is [string, Contender] => entry[1] !== undefined);
}

/**
 * A full garbage collection, run before each measurement so garbage left by one contender is not collected on
 * another's time. Enabled at run time rather than with `node --expose-gc`: worker threads (the parallel pool)
 * refuse to start with that flag in `process.execArgv`.
 */
const gc: () => void = globalThis.gc ?? exposeGc();

function exposeGc(): () => void {
  v8.setFlagsFromString('--expose-gc');
  return vm.runInNewContext('gc') as () => void;
}

/** Wall milliseconds and the output of one call. */
async function timeOnce<T>(fn: () => T | Promise<T>): Promise<{ ms: number; output: T }> {
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
export async function measureGroup<G extends Group>(
  group: G,
  budget: Budget,
  check: (outputs: Outputs<G>) => void = () => {},
): Promise<{ outputs: Outputs<G>; results: Record<string, ContenderResult> }> {
  const contenders = present(group);
  const outputs: Record<string, unknown> = {};
  const iterations: Record<string, number> = {};
  for (const [key, contender] of contenders) {
    if (contender.warmup !== undefined) await contender.warmup();
    const first = await timeOnce(contender.run);
    outputs[key] = first.output;
    // Short calls get a second warm-up (the JIT may not have finished optimising after one), which also gives a
    // better estimate of a warm call for sizing the rounds.
    const estimateMs = first.ms < 1000 ? Math.min(first.ms, (await timeOnce(contender.run)).ms) : first.ms;
    iterations[key] = Math.max(1, Math.min(budget.maxIterations, Math.floor(budget.roundMs / estimateMs)));
  }
  // Every key of `group` with a contender has its output now; the absent ones stay absent, as Outputs<G> says.
  check(outputs as Outputs<G>);

  const wall = new Map<string, number[]>(contenders.map(([key]) => [key, []]));
  const cpu = new Map<string, number[]>(contenders.map(([key]) => [key, []]));
  const roundMedians = new Map<string, number[]>(contenders.map(([key]) => [key, []]));
  for (let round = 0; round < budget.rounds; round++) {
    const order = contenders.map((_, i) => contenders[(i + round) % contenders.length]);
    for (const [key, contender] of order) {
      const samples = await runIterations(key, contender, iterations[key], cpu.get(key)!);
      wall.get(key)!.push(...samples);
      roundMedians.get(key)!.push(summarise(samples).median);
    }
  }

  const results = Object.fromEntries(
    contenders.map(([key, contender]): [string, ContenderResult] => {
      const time = summarise(wall.get(key)!);
      const cpuTime = summarise(cpu.get(key)!);
      return [
        key,
        {
          iterationsPerRound: iterations[key],
          wallMs: time,
          cpuMs: cpuTime,
          roundMedianMs: roundMedians.get(key)!,
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
  return { outputs: outputs as Outputs<G>, results };
}

/** `count` timed calls of `contender` in one tinybench run; pushes each call's CPU ms onto `cpuOut`; returns wall ms. */
async function runIterations(key: string, contender: Contender, count: number, cpuOut: number[]): Promise<number[]> {
  gc();
  const bench = new Bench({ time: 0, iterations: count, warmup: false, retainSamples: true, throws: true });
  const cpuMs = (start: NodeJS.CpuUsage) => {
    const used = process.cpuUsage(start);
    return (used.user + used.system) / 1000;
  };
  bench.add(
    key,
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
  const { samples } = completed(bench.tasks[0]).latency;
  if (samples === undefined) throw new Error(`${key}: tinybench kept no samples`);
  return [...samples];
}
