// The write half of the I/O suite: one frame of IO_WRITE_ROWS rows (default 1M) x 6 full-precision Float64 columns
// (the six model features' shape, seeded), written as CSV by isoforest's writer, d3-dsv's csvFormatRows and
// papaparse's unparse, and as Parquet by hyparquet-writer (the product's) and parquet-wasm, all in one run, into
// memory (no disk in the figures). The peers get the rows in the form they take (row arrays), built once outside
// the timings. pandas is the outside anchor, quoted: DataFrame.to_csv of the same 1M x 6 frame takes 5.1 s on this
// kind of machine (pandas 1.5, C engine). Run alone with `node dist/io-write.bench.js` after a build, or `--suite io-write`.
import { createRequire } from 'node:module';
import { readFileSync } from 'node:fs';
import os from 'node:os';
import { Writable } from 'node:stream';
import { fileURLToPath } from 'node:url';
import { linearQuantile } from '@isoforest/common';
import { tableToIPC, Table, type Float64 } from 'apache-arrow';
import { csvFormatRows } from 'd3-dsv';
import Papa from 'papaparse';
import * as parquetWasm from 'parquet-wasm/esm';
import { CsvEncoder, writeParquetStream } from '@isoforest/ingest';
import { Bench } from 'tinybench';
import { featureBatches } from './suite/scaleData.js';
import { completed } from './suite/stats.js';

const ROWS = Number(process.env.IO_WRITE_ROWS ?? 1_000_000);
/** pandas 1.5 DataFrame.to_csv of the 1M x 6 frame on this kind of machine (2 cores), seconds. */
const PANDAS_TO_CSV_1M_SECONDS = 5.1;

/**
 * d3-dsv's csvFormatRows, typed as it behaves: it writes any value as `String(value)` (its formatValue), while its
 * type declarations admit only strings. The benchmark hands it numbers, as users with a numeric frame would.
 */
const d3FormatRows = csvFormatRows as (rows: readonly (readonly (string | number)[])[]) => string;

/** A sink that counts bytes and keeps none. */
class CountingSink extends Writable {
  bytes = 0;

  override _write(chunk: Uint8Array, _encoding: BufferEncoding, done: (error?: Error | null) => void): void {
    this.bytes += chunk.length;
    done();
  }
}

function isoforestCsv(table: Table<Record<string, Float64>>): number {
  const encoder = new CsvEncoder();
  encoder.header(table.schema);
  let bytes = 0;
  for (const batch of table.batches) {
    encoder.rows(batch, 0, batch.numRows);
    for (const chunk of encoder.out.take()) bytes += chunk.length;
  }
  for (const chunk of encoder.out.take()) bytes += chunk.length;
  return bytes;
}

function loadParquetWasm(): void {
  const require = createRequire(import.meta.url);
  parquetWasm.initSync({ module: readFileSync(require.resolve('parquet-wasm/esm/parquet_wasm_bg.wasm')) });
}

/** Runs the suite; prints one line per writer with its speed and its ratio to pandas (CSV) at 1M rows. */
export async function ioWriteSuite(): Promise<void> {
  const table = new Table([...featureBatches(ROWS, 20_260_101)]);
  const names = table.schema.fields.map((f) => f.name);
  const columns = names.map((name) => table.getChild(name)!.toArray());
  const rowArrays = Array.from({ length: ROWS }, (_, r) => columns.map((column) => column[r]));
  loadParquetWasm();

  // The writers must agree before they are timed: d3-dsv writes String(n), as ours does.
  const head = new Table(table.batches[0].slice(0, 1000));
  const encoder = new CsvEncoder();
  encoder.header(head.schema);
  encoder.rows(head.batches[0], 0, head.numRows);
  const ours = Buffer.concat(encoder.out.take()).toString('utf8');
  const theirs = d3FormatRows([names, ...rowArrays.slice(0, 1000)]) + '\n';
  if (ours !== theirs) throw new Error('isoforest and d3-dsv write different CSV for the same rows');

  const cpu = new Map<string, number[]>();
  const bench = new Bench({ name: 'io-write', time: 0, iterations: 3, warmup: true, warmupIterations: 1 });
  /** Adds a writer; `fn` returns the bytes it wrote. */
  const add = (name: string, fn: () => number | Promise<number>) => {
    const cpuMs: number[] = [];
    cpu.set(name, cpuMs);
    bench.add(name, async () => {
      const start = process.cpuUsage();
      const bytes = await fn();
      const used = process.cpuUsage(start);
      cpuMs.push((used.user + used.system) / 1000);
      if (!(bytes > 0)) throw new Error(`${name} wrote nothing`);
    });
  };
  add('CSV: isoforest CsvEncoder', () => isoforestCsv(table));
  add('CSV: d3-dsv csvFormatRows', () => d3FormatRows([names, ...rowArrays]).length);
  add('CSV: papaparse unparse', () => Papa.unparse({ fields: names, data: rowArrays }).length);
  add('Parquet: isoforest writeParquetStream (hyparquet-writer)', async () => {
    const sink = new CountingSink();
    await writeParquetStream(sink, table);
    return sink.bytes;
  });
  add(
    'Parquet: parquet-wasm writeParquet (via Arrow IPC)',
    () => parquetWasm.writeParquet(parquetWasm.Table.fromIPCStream(tableToIPC(table, 'stream'))).length,
  );
  await bench.run();

  const median = (xs: readonly number[]) => linearQuantile(xs, 0.5);
  const ourCsv = completed(bench.tasks[0]).latency.p50;
  console.log(`io-write: ${ROWS.toLocaleString('en-US')} rows x ${names.length} Float64 columns, written into memory`);
  console.table(
    bench.tasks.map((task) => {
      const ms = completed(task).latency.p50;
      return {
        task: task.name,
        'ms/run (median)': Math.round(ms),
        'CPU ms (median)': Math.round(median(cpu.get(task.name)!)),
        'rows/s': Math.round(ROWS / (ms / 1000)),
        'vs isoforest CSV': `${(ms / ourCsv).toFixed(2)}x the time`,
      };
    }),
  );
  const pandasMs = (PANDAS_TO_CSV_1M_SECONDS * 1000 * ROWS) / 1_000_000;
  console.log(
    `pandas to_csv (quoted: ${PANDAS_TO_CSV_1M_SECONDS} s for 1M x 6${ROWS === 1_000_000 ? '' : `, scaled to ${ROWS.toLocaleString('en-US')} rows`}): ` +
      `isoforest's CSV writer is ${(pandasMs / ourCsv).toFixed(1)}x faster by wall clock, ` +
      `${(pandasMs / median(cpu.get('CSV: isoforest CsvEncoder')!)).toFixed(1)}x by CPU time (target: 5x)`,
  );
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const cpus = os.cpus();
  console.log(
    `machine: ${cpus[0]?.model ?? 'unknown CPU'}, ${cpus.length} logical cores, Node ${process.version}; single-threaded`,
  );
  await ioWriteSuite();
}
