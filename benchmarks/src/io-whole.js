// Whole-process runs as a user types them: `isoforest score` of IO_WHOLE_ROWS rows (default 1M) x 6 features between
// CSV, Arrow and Parquet files, and `isoforest hunt --explain all` on IO_WHOLE_USER_DAYS synthetic user-days (default
// 1M) from Arrow and from Parquet. Each run is a fresh `node` process of the built CLI; the figures are its wall
// clock and CPU time (user + system, from /usr/bin/time where it exists), start-up, reading, scoring and writing
// included. The files are made first, outside the timings. Run with `node src/io-whole.js` after a build.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import os from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { readArrowBatches, writeCsv, writeParquet } from '@isoforest/ingest';
import { writeFeatureFile, writeUserDayFile } from './suite/scaleData.js';

const ROWS = Number(process.env.IO_WHOLE_ROWS ?? 1_000_000);
const USER_DAYS = Number(process.env.IO_WHOLE_USER_DAYS ?? 1_000_000);
const CLI = fileURLToPath(new URL('../../packages/cli/bin/isoforest.js', import.meta.url));
const TIME = '/usr/bin/time';

/** Runs `isoforest args` in a new process; returns wall and CPU seconds. Throws if the command fails. */
function run(args, dir) {
  const timed = existsSync(TIME);
  const timesFile = join(dir, 'times.txt');
  const command = timed
    ? [TIME, '-f', '%e %U %S', '-o', timesFile, process.execPath, CLI, ...args]
    : [process.execPath, CLI, ...args];
  const start = performance.now();
  const child = spawnSync(command[0], command.slice(1), { encoding: 'utf8', stdio: ['ignore', 'ignore', 'pipe'] });
  const wall = (performance.now() - start) / 1000;
  if (child.status !== 0)
    throw new Error(`isoforest ${args.join(' ')} failed (${child.status}): ${child.stderr.trim()}`);
  if (!timed) return { wall, cpu: NaN };
  const [elapsed, user, system] = readFileSync(timesFile, 'utf8').trim().split(/\s+/).map(Number);
  return { wall: elapsed, cpu: user + system };
}

const mb = (path) => (statSync(path).size / 1e6).toFixed(0);

export async function ioWholeSuite() {
  const dir = mkdtempSync(join(os.tmpdir(), 'io-whole-'));
  try {
    const files = { arrow: join(dir, 'x.arrow'), csv: join(dir, 'x.csv'), parquet: join(dir, 'x.parquet') };
    await writeFeatureFile(files.arrow, ROWS, 20_260_101);
    await writeCsv(files.csv, readArrowBatches(files.arrow));
    await writeParquet(files.parquet, readArrowBatches(files.arrow));
    const model = join(dir, 'model.iforest');
    run(['fit', '--input', files.arrow, '--model', model, '-q'], dir);

    const days = { arrow: join(dir, 'days.arrow'), parquet: join(dir, 'days.parquet') };
    const tenant = await writeUserDayFile(days.arrow, USER_DAYS, 7);
    await writeParquet(days.parquet, readArrowBatches(days.arrow));

    const lines = [];
    const report = (what, input, { wall, cpu }) => {
      lines.push({
        run: what,
        'input MB': mb(input),
        'wall s': wall.toFixed(1),
        'CPU s': Number.isNaN(cpu) ? '-' : cpu.toFixed(1),
      });
      console.error(`io-whole: ${what}: ${wall.toFixed(1)} s`);
    };
    const score = (from, to) => {
      const output = join(dir, `scored-${from}.${to}`);
      report(
        `score ${ROWS.toLocaleString('en-US')} rows, ${from} -> ${to}`,
        files[from],
        run(['score', '--model', model, '--input', files[from], '--output', output, '-q'], dir),
      );
      rmSync(output);
    };
    for (const [from, to] of [
      ['csv', 'csv'],
      ['csv', 'arrow'],
      ['arrow', 'csv'],
      ['arrow', 'arrow'],
      ['parquet', 'parquet'],
      ['parquet', 'csv'],
    ])
      score(from, to);
    for (const format of ['arrow', 'parquet']) {
      const out = join(dir, `hunt-${format}`);
      report(
        `hunt --explain all, ${tenant.rows.toLocaleString('en-US')} user-days from ${format}`,
        days[format],
        run(['hunt', '--source', `${format}:${days[format]}`, '--explain', 'all', '--output-dir', out, '-q'], dir),
      );
    }
    const cpus = os.cpus();
    console.log(
      `machine: ${cpus[0]?.model ?? 'unknown CPU'}, ${cpus.length} logical cores, Node ${process.version}; load ${os
        .loadavg()
        .map((l) => l.toFixed(1))
        .join(' ')}`,
    );
    console.table(lines);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

if (process.argv[1] === fileURLToPath(import.meta.url)) await ioWholeSuite();
