// The read half of the I/O suite: CSV files -> columns, ingest's columnar reader against csv-parse, papaparse and
// d3-dsv on the same files in the same run, one thread, and ours on all threads too (its pooled workers stay started
// between runs, as in a service that reads file after file; the first, cold run is the warm-up). Two files,
// written once per run (`--quick`: 100k and 20k rows):
//   numeric   IO_BENCH_ROWS rows (default 1,000,000) x 6 float columns as String(n) writes them, like a `score`
//             input (~117 MB at 1M rows);
//   user-days IO_BENCH_USER_DAYS rows (default 106,000) in the notebook's export format (US dates, quoted
//             "M/D/YYYY, h:mm:ss.fff AM" times, BOM, CRLF), the demo rows repeated with distinct user names.
// Ours produces what the commands get: Float64 columns for the numeric file (the CLI's table reader path), Arrow
// user-day batches for the user-day file (`readUserDayCsv`). The peers produce what they produce: csv-parse and
// d3-dsv arrays of strings (numbers through `Number` for the numeric file), papaparse with `dynamicTyping` on the
// numeric file. Every reader starts from the file on disk. pandas 1.5's `read_csv` (C engine), measured on this
// kind of machine, is quoted as the outside anchor: 93 MB/s on the 117 MB numeric file, ~400k user-days/s.
// Run alone with `node dist/io-read.bench.js` after a build. IO_READ_BASELINE=<an ingest build's index.js> adds that
// build's one-thread readers to the same run, so a change is measured side by side with the reader before it (build
// the older commit's packages/ingest and copy its dist/ inside the repository, e.g. packages/ingest/.cache/base-dist,
// so that its imports resolve).
import { createReadStream, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { parse as csvParse } from 'csv-parse';
import { csvParseRows } from 'd3-dsv';
import Papa from 'papaparse';
import { linearQuantile, mulberry32 } from '@isoforest/common';
import {
  readAll,
  readCsvDecimalBlocks,
  readUserDayCsv,
  type CsvDecimalBlockOptions,
  type UserDayCsvOptions,
} from '@isoforest/ingest';
import { Bench } from 'tinybench';
import { completed } from './suite/stats.js';

const HERE = dirname(fileURLToPath(import.meta.url));
const DEMO = resolve(HERE, '../../fixtures/demo/iforest-demo-data.csv');
/** An outside figure a reader is compared with: in MB/s of file or in rows/s. */
type Anchor = { readonly label: string } & ({ readonly mbps: number } | { readonly rowsps: number });
const PANDAS: Readonly<Record<'numeric' | 'userDays', Anchor>> = {
  numeric: { mbps: 93, label: '93 MB/s' },
  userDays: { rowsps: 400_000, label: '~400k user-days/s' },
};

/** What a reader reports: the data rows it read (and a value from them, so that the work cannot be skipped). */
interface ReadResult {
  readonly rows: number;
  readonly check?: number;
}
type Reader = (path: string) => ReadResult | Promise<ReadResult>;

/** One reader's figures on one file, at the median run. */
interface ReaderFigures {
  readonly task: string;
  readonly ms: number;
  readonly mbps: number;
  readonly rowsps: number;
  readonly cpuMs: number;
  readonly cpuMbps: number;
}

/** Seeded, so every run reads the same bytes. */
function writeNumeric(path: string, rows: number): void {
  const random = mulberry32(42);
  const lines = ['f0,f1,f2,f3,f4,f5'];
  for (let i = 0; i < rows; i++) {
    const row = [];
    for (let c = 0; c < 6; c++) row.push(String(Math.log(random() + 1e-9) * (c + 1)));
    lines.push(row.join(','));
  }
  writeFileSync(path, lines.join('\n') + '\n');
}

function writeUserDays(path: string, count: number): void {
  const [header, ...rows] = readFileSync(DEMO, 'utf8')
    .replace(/^\uFEFF/, '')
    .split(/\r?\n/)
    .filter((l) => l !== '');
  const out = [header];
  for (let i = 0; i < count; i++) {
    const fields = rows[i % rows.length].split(/,(?=(?:[^"]*"[^"]*")*[^"]*$)/);
    fields[2] = `USER-${i}`;
    out.push(fields.join(','));
  }
  writeFileSync(path, '\uFEFF' + out.join('\r\n') + '\r\n');
}

/** The two readers of ours this suite measures, from this build or from the baseline build. */
interface IngestReaders {
  readonly readCsvDecimalBlocks: typeof readCsvDecimalBlocks;
  readonly readUserDayCsv: typeof readUserDayCsv;
}

const THIS_BUILD: IngestReaders = { readCsvDecimalBlocks, readUserDayCsv };

/** Ours on the numeric file: the CLI table reader's path (blocks with every column read as Float64). */
async function oursNumeric(
  path: string,
  options: CsvDecimalBlockOptions,
  ingest: IngestReaders = THIS_BUILD,
): Promise<ReadResult> {
  let rows = 0;
  let header = true;
  let sum = 0;
  for await (const { fields, decimals } of ingest.readCsvDecimalBlocks(path, path, {
    maxRecords: 65_536,
    ...options,
  })) {
    const first = header ? 1 : 0;
    header = false;
    const n = fields.recordCount - first;
    if (n === 0) continue;
    for (let c = 0; c < 6; c++) {
      const values = decimals![c]!.subarray(first);
      // A plain loop, as the CLI's table reader checks its columns: `values.some(Number.isNaN)`, a call per value,
      // cost about 90 ms a read here (the numeric figure fell from 227 to 195 MB/s with it, the reader unchanged).
      for (let r = 0; r < n; r++) if (Number.isNaN(values[r]!)) throw new Error(`not a number in column ${c}`);
      sum += values[n - 1]!;
    }
    rows += n;
  }
  return { rows, check: sum };
}

async function oursUserDays(
  path: string,
  options: UserDayCsvOptions = {},
  ingest: IngestReaders = THIS_BUILD,
): Promise<ReadResult> {
  const table = await readAll(ingest.readUserDayCsv(path, options));
  return { rows: table.numRows };
}

async function csvParseRead(path: string, numeric: boolean): Promise<ReadResult> {
  let rows = -1;
  const parser = createReadStream(path).pipe(csvParse({ relax_column_count: true, skip_empty_lines: true, bom: true }));
  for await (const record of parser as AsyncIterable<(string | number)[]>) {
    rows++;
    if (numeric && rows > 0) for (let c = 0; c < record.length; c++) record[c] = Number(record[c]);
  }
  return { rows };
}

function papaRead(path: string, numeric: boolean): ReadResult {
  const result = Papa.parse(readFileSync(path, 'utf8'), { dynamicTyping: numeric, skipEmptyLines: true });
  return { rows: result.data.length - 1 };
}

function d3Read(path: string, numeric: boolean): ReadResult {
  const text = readFileSync(path, 'utf8');
  const rows = numeric ? csvParseRows(text, (row, i) => (i === 0 ? row : row.map(Number))) : csvParseRows(text);
  return { rows: rows.length - 1 };
}

async function measure(
  name: string,
  path: string,
  expectedRows: number,
  tasks: Readonly<Record<string, Reader>>,
  iterations: number,
): Promise<ReaderFigures[]> {
  const bytes = statSync(path).size;
  const bench = new Bench({ name, time: 0, iterations, warmup: true, warmupIterations: 1 });
  const cpu = new Map<string, number[]>();
  for (const [task, run] of Object.entries(tasks)) {
    const cpuMs: number[] = [];
    cpu.set(task, cpuMs);
    bench.add(task, async () => {
      const start = process.cpuUsage();
      const got = await run(path);
      const used = process.cpuUsage(start);
      cpuMs.push((used.user + used.system) / 1000);
      if (got.rows !== expectedRows) throw new Error(`${task}: ${got.rows} rows, expected ${expectedRows}`);
    });
  }
  await bench.run();
  return bench.tasks.map((task) => {
    const ms = completed(task).latency.p50;
    const cpuMs = linearQuantile(cpu.get(task.name)!, 0.5);
    return {
      task: task.name,
      ms,
      mbps: bytes / 1e6 / (ms / 1000),
      rowsps: expectedRows / (ms / 1000),
      cpuMs,
      cpuMbps: bytes / 1e6 / (cpuMs / 1000),
    };
  });
}

/** One table per file: every reader's MB/s and rows/s, and how many times faster ours (each of its rows) is. */
function print(
  title: string,
  bytes: number,
  rows: number,
  results: readonly ReaderFigures[],
  ours: readonly { label: string; index: number }[],
  anchor: Anchor,
): void {
  console.log(`\n${title}: ${(bytes / 1e6).toFixed(1)} MB, ${rows.toLocaleString('en-US')} rows`);
  console.table(
    results.map((r) => ({
      reader: r.task,
      'MB/s': +r.mbps.toFixed(1),
      'rows/s': Math.round(r.rowsps),
      'ms (median)': Math.round(r.ms),
      'CPU ms (median)': Math.round(r.cpuMs),
      'MB/s of CPU time': +r.cpuMbps.toFixed(1),
      ...Object.fromEntries(
        ours.map((o) => [`ours (${o.label}) is x faster`, +(results[o.index].mbps / r.mbps).toFixed(2)]),
      ),
    })),
  );
  for (const o of ours) {
    const r = results[o.index];
    const ratio = 'mbps' in anchor ? r.mbps / anchor.mbps : r.rowsps / anchor.rowsps;
    console.log(
      `pandas read_csv anchor (quoted, not run): ${anchor.label}; ours (${o.label}) / pandas = ${ratio.toFixed(2)}x wall, ` +
        `${('mbps' in anchor ? r.cpuMbps / anchor.mbps : rows / (r.cpuMs / 1000) / anchor.rowsps).toFixed(2)}x by CPU time`,
    );
  }
}

/** Runs the read suite; prints a table per file and returns ours' figures. */
export async function ioReadSuite({
  iterations = 3,
  quick = false,
}: { iterations?: number; quick?: boolean } = {}): Promise<{ numeric: ReaderFigures; userDays: ReaderFigures }> {
  const ROWS = Number(process.env.IO_BENCH_ROWS ?? (quick ? 100_000 : 1_000_000));
  const USER_DAYS = Number(process.env.IO_BENCH_USER_DAYS ?? (quick ? 20_000 : 106_000));
  const threads = os.availableParallelism();
  const baselinePath = process.env.IO_READ_BASELINE;
  const baseline =
    baselinePath === undefined ? null : ((await import(pathToFileURL(resolve(baselinePath)).href)) as IngestReaders);
  const dir = mkdtempSync(join(os.tmpdir(), 'io-read-bench-'));
  try {
    const numeric = join(dir, 'numeric.csv');
    const userDays = join(dir, 'user-days.csv');
    writeNumeric(numeric, ROWS);
    writeUserDays(userDays, USER_DAYS);
    const numericResults = await measure(
      'numeric',
      numeric,
      ROWS,
      {
        'ingest columnar reader': (p) => oursNumeric(p, { threads: 1 }),
        [`ingest columnar reader, ${threads} threads (16 MiB parts)`]: (p) => oursNumeric(p, { threads }),
        ...(baseline && { 'ingest columnar reader, baseline build': (p) => oursNumeric(p, { threads: 1 }, baseline) }),
        'csv-parse 6.2.0 (+ Number)': (p) => csvParseRead(p, true),
        'papaparse 5.7.1 (dynamicTyping)': (p) => papaRead(p, true),
        'd3-dsv 3.0.2 csvParseRows (+ Number)': (p) => d3Read(p, true),
      },
      iterations,
    );
    print(
      `numeric file (${ROWS.toLocaleString('en-US')} x 6)`,
      statSync(numeric).size,
      ROWS,
      numericResults,
      [
        { label: 'one thread', index: 0 },
        { label: `${threads} threads`, index: 1 },
      ],
      PANDAS.numeric,
    );
    const userDayResults = await measure(
      'user-days',
      userDays,
      USER_DAYS,
      {
        'ingest readUserDayCsv (Arrow batches)': (p) => oursUserDays(p, { threads: 1 }),
        [`ingest readUserDayCsv, ${threads} threads (4 MiB parts)`]: (p) =>
          oursUserDays(p, { threads, partBytes: 4 << 20 }),
        ...(baseline && {
          'ingest readUserDayCsv, baseline build': (p) => oursUserDays(p, { threads: 1 }, baseline),
        }),
        'csv-parse 6.2.0 (string records)': (p) => csvParseRead(p, false),
        'papaparse 5.7.1 (string rows)': (p) => papaRead(p, false),
        'd3-dsv 3.0.2 csvParseRows (string rows)': (p) => d3Read(p, false),
      },
      iterations,
    );
    print(
      "user-day file (the notebook's export format)",
      statSync(userDays).size,
      USER_DAYS,
      userDayResults,
      [
        { label: 'one thread', index: 0 },
        { label: `${threads} threads`, index: 1 },
      ],
      PANDAS.userDays,
    );
    return { numeric: numericResults[0], userDays: userDayResults[0] };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const cpus = os.cpus();
  console.log(`machine: ${cpus[0]?.model ?? 'unknown CPU'}, ${cpus.length} logical cores, Node ${process.version}`);
  await ioReadSuite();
}
