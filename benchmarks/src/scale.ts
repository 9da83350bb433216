// Scale targets, each timed as a child process running the real `isoforest` command, with its peak memory:
//   (a) `isoforest score` of a 10-million-row x 6-feature Arrow IPC file (target < 15 s, < 1 GB peak RSS);
//   (b) `isoforest hunt` over synthetic user-days from Arrow, with SHAP for the flagged and top rows (target at 10
//       million: < 45 s, < 1.5 GB peak RSS) and with `--explain all` (target at 10 million: < 120 s, same memory),
//       at each size of --hunt-rows, then a table of time and peak RSS per size: the streamed hunt's time should grow
//       linearly with the user-days and its memory stay flat.
// Usage: npm run bench:scale -w benchmarks -- [--score-rows N] [--hunt-rows N,N,...] [--only score|hunt] [--profile]
//        [--keep] [--dir DIR] [--out DIR]
// --profile reruns each command under `node --cpu-prof` and prints where the time went (self time per function).
import { mkdirSync, mkdtempSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { loadIsoforest } from '@isoforest/core';
import { readArrowBatches } from '@isoforest/ingest';
import { Table } from 'apache-arrow';
import { runMeasured } from './suite/child.js';
import { topSelfTime, type SelfTime } from './suite/cpuProfile.js';
import { describeMachine, loadLine, machineLine, sampleLoad, type Load, type Machine } from './suite/machine.js';
import { featureBatches, writeFeatureFile, writeUserDayFile } from './suite/scaleData.js';

const CLI = fileURLToPath(new URL('../../packages/cli/bin/isoforest.js', import.meta.url));
/** The targets, and the sizes they are set for (a run at other sizes reports its figures without a verdict). */
type Explain = 'flagged' | 'all';
const TARGETS = {
  scoreRows: 10_000_000,
  scoreSeconds: 15,
  scorePeakMiB: 1024,
  huntRows: 10_000_000,
  huntSeconds: { flagged: 45, all: 120 } satisfies Record<Explain, number>,
  huntPeakMiB: 1536,
};
const SEED = 20240601;

/** One measured command: what scale.json records of it. */
interface CommandRun {
  readonly name: string;
  readonly command: string;
  readonly rows: number;
  readonly wallSeconds: number;
  readonly rowsPerSecond: number;
  readonly peakRssMiB: number | null;
  readonly rssSource: string;
  readonly targets: string;
  readonly stderrTail: string[];
  /** Whether the target was met; null when the run's size is not the one the target is set for. */
  met?: boolean | null;
  outputRows?: number;
  outputMiB?: number;
  profile?: SelfTime[];
}

/** scale.json: the machine, its load before and after, and every command run. */
interface ScaleReport {
  readonly machine: Machine;
  readonly loadBefore: Load;
  loadAfter?: Load;
  readonly runs: CommandRun[];
}

const USAGE = `usage: npm run bench:scale -w benchmarks -- [options]  (or: node benchmarks/dist/scale.js [options])
  --score-rows N     rows of the score target's file (default 10000000, the size the target is set for)
  --hunt-rows N,N    user-days of each hunt run (default 1000000,3000000,10000000)
  --only score|hunt  run one of the two targets
  --profile          rerun each command under node --cpu-prof and print where its time went
  --keep             keep the generated files
  --dir DIR          where the files are written (default: a new temporary directory)
  --out DIR          where scale.json goes (default: bench-results at the repository root)`;

/** The flags, checked; a bad one ends the run with a one-line message and the usage (exit 2). */
function parseFlags() {
  const { values } = parseArgs({
    options: {
      'score-rows': { type: 'string', default: '10000000' },
      'hunt-rows': { type: 'string', default: '1000000,3000000,10000000' },
      only: { type: 'string' },
      profile: { type: 'boolean', default: false },
      keep: { type: 'boolean', default: false },
      dir: { type: 'string' },
      out: { type: 'string' },
      help: { type: 'boolean', default: false },
    },
  });
  const counts = (flag: string, text: string) => {
    const numbers = text.split(',').map((part) => Number(part.replaceAll('_', '')));
    if (numbers.some((n) => !Number.isInteger(n) || n < 1))
      throw new Error(`--${flag} takes positive integers separated by commas, got "${text}"`);
    return numbers;
  };
  if (values.only !== undefined && values.only !== 'score' && values.only !== 'hunt')
    throw new Error(`--only takes score or hunt, got "${values.only}"`);
  return {
    ...values,
    scoreRows: counts('score-rows', values['score-rows'])[0],
    huntSizes: counts('hunt-rows', values['hunt-rows']),
  };
}

let flags: ReturnType<typeof parseFlags>;
try {
  flags = parseFlags();
} catch (error) {
  console.error(`scale: ${(error as Error).message}\n${USAGE}`);
  process.exit(2);
}
if (flags.help) {
  console.log(USAGE);
  process.exit(0);
}
const { scoreRows, huntSizes } = flags;
const dir = flags.dir ?? mkdtempSync(join(tmpdir(), 'isoforest-scale-'));
mkdirSync(dir, { recursive: true });
const outDir = flags.out ?? fileURLToPath(new URL('../../bench-results/', import.meta.url));
const mib = (bytes: number) => bytes / 2 ** 20;
const log = (line: string) => console.log(line);

const report: ScaleReport = { machine: describeMachine(), loadBefore: sampleLoad(), runs: [] };
log(`machine: ${machineLine(report.machine)}`);
log(`load before: ${loadLine(report.loadBefore)}`);

try {
  if (flags.only === undefined || flags.only === 'score') await scoreTarget();
  if (flags.only === undefined || flags.only === 'hunt') await huntTarget();
} finally {
  report.loadAfter = sampleLoad();
  log(`load after: ${loadLine(report.loadAfter)}`);
  mkdirSync(outDir, { recursive: true });
  writeFileSync(join(outDir, 'scale.json'), `${JSON.stringify(report, null, 2)}\n`);
  log(`wrote ${join(outDir, 'scale.json')}`);
  if (flags.keep) log(`kept the files in ${dir}`);
  else rmSync(dir, { recursive: true, force: true });
}

async function scoreTarget(): Promise<void> {
  const input = join(dir, 'big.arrow');
  const modelPath = join(dir, 'model.isoforest');
  const output = join(dir, 'out.arrow');
  const t = performance.now();
  const written = await writeFeatureFile(input, scoreRows, SEED);
  log(
    `score: wrote ${written.toLocaleString('en-US')} rows x 6 features (${mib(statSync(input).size).toFixed(0)} MiB) in ${((performance.now() - t) / 1000).toFixed(1)} s`,
  );
  // The model: 100 trees x maxSamples 256 fitted on the first 100k rows of the same generator.
  const isoforest = await loadIsoforest();
  const model = isoforest.fit(new Table([...featureBatches(100_000, SEED)]), {
    nEstimators: 100,
    maxSamples: 256,
    randomState: 7,
  });
  writeFileSync(modelPath, model.save());

  const args = ['score', '--model', modelPath, '--input', input, '--output', output];
  const run = await runCommand('score', args, {
    rows: written,
    targets: `< ${TARGETS.scoreSeconds} s, < ${TARGETS.scorePeakMiB} MiB peak RSS`,
  });
  run.outputRows = await countRows(output);
  run.outputMiB = mib(statSync(output).size);
  run.met =
    written < TARGETS.scoreRows
      ? null
      : run.wallSeconds < TARGETS.scoreSeconds && run.peakRssMiB !== null && run.peakRssMiB < TARGETS.scorePeakMiB;
  log(
    `score: ${run.outputRows.toLocaleString('en-US')} rows in the output (${run.outputMiB.toFixed(0)} MiB); target ${verdict(run.met, TARGETS.scoreRows)}`,
  );
  if (run.outputRows !== written) throw new Error(`score: ${written} rows in, ${run.outputRows} rows out`);
  rmSync(output, { force: true });
  if (flags.profile) await profileCommand('score', args);
}

async function huntTarget(): Promise<void> {
  const table: { rows: number; explain: Explain; seconds: number; peakRssMiB: number | null }[] = [];
  for (const huntRows of huntSizes) {
    const input = join(dir, `user-days-${huntRows}.arrow`);
    const t = performance.now();
    const written = await writeUserDayFile(input, huntRows, SEED);
    log(
      `hunt: wrote ${written.rows.toLocaleString('en-US')} user-days (${written.users.toLocaleString('en-US')} users x ${written.days} days, ${mib(statSync(input).size).toFixed(0)} MiB) in ${((performance.now() - t) / 1000).toFixed(1)} s`,
    );
    for (const explain of ['flagged', 'all'] as const) {
      const outputDir = join(dir, `hunt-output-${huntRows}-${explain}`);
      const args = ['hunt', '--source', `arrow:${input}`, '--explain', explain, '--output-dir', outputDir, '--quiet'];
      const name = `hunt --explain ${explain}`;
      const run = await runCommand(name, args, {
        rows: written.rows,
        targets: `< ${TARGETS.huntSeconds[explain]} s, < ${TARGETS.huntPeakMiB} MiB peak RSS`,
      });
      run.met =
        written.rows < TARGETS.huntRows
          ? null
          : run.wallSeconds < TARGETS.huntSeconds[explain] &&
            run.peakRssMiB !== null &&
            run.peakRssMiB < TARGETS.huntPeakMiB;
      log(`${name}: target ${verdict(run.met, TARGETS.huntRows)}`);
      table.push({ rows: written.rows, explain, seconds: run.wallSeconds, peakRssMiB: run.peakRssMiB });
      rmSync(outputDir, { recursive: true, force: true });
      if (flags.profile) await profileCommand(name, args);
    }
    rmSync(input, { force: true });
  }
  log('hunt: | user-days | SHAP for | wall s | µs per user-day | peak RSS MiB |');
  log('hunt: | --- | --- | --- | --- | --- |');
  for (const r of table) {
    log(
      `hunt: | ${r.rows.toLocaleString('en-US')} | ${r.explain} | ${r.seconds.toFixed(1)} | ${((r.seconds * 1e6) / r.rows).toFixed(2)} | ${r.peakRssMiB === null ? '?' : r.peakRssMiB.toFixed(0)} |`,
    );
  }
}

/** Runs the CLI once, measured; prints and records wall time, rows/s and peak RSS; throws if it failed. */
async function runCommand(
  name: string,
  args: readonly string[],
  { rows, targets }: { rows: number; targets: string },
): Promise<CommandRun> {
  log(`${name}: isoforest ${args.join(' ')}`);
  const measured = await runMeasured(process.execPath, [CLI, ...args], { env: { ...process.env, NO_COLOR: '1' } });
  if (measured.code !== 0) throw new Error(`${name}: exit code ${measured.code}\n${measured.stderr.slice(-2000)}`);
  const run: CommandRun = {
    name,
    command: `isoforest ${args.join(' ')}`,
    rows,
    wallSeconds: measured.wallSeconds,
    rowsPerSecond: rows / measured.wallSeconds,
    peakRssMiB: measured.peakRssMiB,
    rssSource: measured.rssSource,
    targets,
    stderrTail: measured.stderr.trim().split('\n').slice(-6),
  };
  report.runs.push(run);
  log(
    `${name}: ${run.wallSeconds.toFixed(1)} s wall, ${Math.round(run.rowsPerSecond).toLocaleString('en-US')} rows/s, ` +
      `peak RSS ${run.peakRssMiB === null ? '?' : `${run.peakRssMiB.toFixed(0)} MiB`} (${run.rssSource}); target ${targets}`,
  );
  return run;
}

/** Reruns the CLI under `node --cpu-prof` and prints the functions with the most self time. */
async function profileCommand(name: string, args: readonly string[]): Promise<void> {
  const profileDir = join(dir, `profile-${name}`);
  const measured = await runMeasured(process.execPath, ['--cpu-prof', '--cpu-prof-dir', profileDir, CLI, ...args]);
  if (measured.code !== 0) throw new Error(`${name} (profiled): exit code ${measured.code}`);
  const top = topSelfTime(profileDir);
  const profiled = report.runs.find((r) => r.name === name);
  if (profiled !== undefined) profiled.profile = top;
  log(`${name}: where the time goes (self time, all threads, profiled run of ${measured.wallSeconds.toFixed(1)} s):`);
  for (const entry of top) {
    const caller = entry.calledFrom === null ? '' : `  (called from ${entry.calledFrom})`;
    log(
      `  ${(entry.share * 100).toFixed(1).padStart(5)}%  ${(entry.ms / 1000).toFixed(2).padStart(6)} s  ${entry.name}${caller}`,
    );
  }
}

function verdict(met: boolean | null, rows: number): string {
  return met === null ? `not judged (it is set for ${rows.toLocaleString('en-US')} rows)` : met ? 'met' : 'NOT met';
}

async function countRows(path: string): Promise<number> {
  let rows = 0;
  for await (const batch of readArrowBatches(path)) rows += batch.numRows;
  return rows;
}
