// Entry point of `npm run bench -w benchmarks`: the comparison suite by default (see README.md), other suites by
// `--suite`. Progress goes to stderr; the comparison's Markdown table goes to stdout and, with the JSON, to
// bench-results/ at the repository root.
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { parseFlags, USAGE, type Flags } from './suite/args.js';
import { describeMachine, loadLine, machineLine, sampleLoad } from './suite/machine.js';
import { toMarkdown, writeResults } from './suite/report.js';
import { planFor } from './suite/grid.js';
import { runComparisonSuite } from './suite/suite.js';

const argv = process.argv.slice(2);
let flags: Flags;
try {
  flags = parseFlags(argv);
  planFor(flags);
} catch (error) {
  console.error(`bench: ${(error as Error).message}\n${USAGE}`);
  process.exit(2);
}
if (flags.help) {
  console.log(USAGE);
  process.exit(0);
}

const command =
  process.env.npm_lifecycle_event === 'bench'
    ? `npm run bench -w benchmarks${argv.length > 0 ? ` -- ${argv.join(' ')}` : ''}`
    : `node benchmarks/dist/run.js ${argv.join(' ')}`.trim();
const outDir = flags.out ?? fileURLToPath(new URL('../../bench-results/', import.meta.url));

for (const suite of flags.suites) {
  if (suite === 'comparison') {
    const run = await runComparisonSuite(flags, { command, log: (line) => console.error(line) });
    process.stdout.write(toMarkdown(run));
    const written = writeResults(outDir, run);
    console.error(`bench: wrote ${written.md} and ${written.json}`);
    continue;
  }
  // The other suites print their own tables; name the machine and load first, as every figure must.
  console.log(`machine: ${machineLine(describeMachine())}; ${loadLine(sampleLoad())}`);
  if (suite === 'score') await (await import('./score.bench.js')).scoreSuite();
  else if (suite === 'explain') await (await import('./explain.bench.js')).explainSuite();
  else if (suite === 'dedupe') await (await import('./dedupe.bench.js')).dedupeSuite();
  else if (suite === 'evtx') await (await import('./evtx.bench.js')).evtxSuite();
  else if (suite === 'io-read')
    await (await import('./io-read.bench.js')).ioReadSuite({ iterations: flags.quick ? 1 : 3, quick: flags.quick });
  else if (suite === 'io-write') await (await import('./io-write.bench.js')).ioWriteSuite();
  else if (suite === 'parallel') {
    // A script rather than a module of functions: run it as its own process.
    const script = fileURLToPath(new URL('./parallel.bench.js', import.meta.url));
    const child = spawnSync(process.execPath, [script], { stdio: 'inherit' });
    if (child.status !== 0) process.exitCode = 1;
  }
  console.log(`load after: ${loadLine(sampleLoad())}`);
}
