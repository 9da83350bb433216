// EVTX reading throughput on one core: the sample Security log's written chunks repeated into a file of
// EVTX_BENCH_MB megabytes (default 128) behind a proper file header, read end to end. Reports records/s and MB/s
// of file bytes at the median run, wall clock and CPU time, for the reader alone and with the flat conversion
// the raw-event normaliser takes. Run alone with `node dist/evtx.bench.js` after a build.
import { mkdtempSync, openSync, readFileSync, rmSync, writeSync, closeSync } from 'node:fs';
import os from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { crc32 } from 'node:zlib';
import { linearQuantile } from '@isoforest/common';
import { evtxRecordToFlat, readEvtx } from '@isoforest/ingest';
import { Bench } from 'tinybench';
import { completed } from './suite/stats.js';

const SAMPLE = resolve(
  dirname(fileURLToPath(import.meta.url)),
  '../../../shared/data/raw/omerbenamram-evtx__Security_with_size_t.evtx',
);
const TARGET_MB = Number(process.env.EVTX_BENCH_MB ?? 128);
const HEADER_BLOCK = 4096;
const CHUNK = 65536;

/** Writes the sample's non-empty chunks over and over after its file header; returns path, bytes, records. */
function buildLog(dir: string): { path: string; bytes: number; copies: number; chunks: number } {
  const sample = readFileSync(SAMPLE);
  const chunks: Buffer[] = [];
  for (let at = HEADER_BLOCK; at + CHUNK <= sample.length; at += CHUNK) {
    const chunk = sample.subarray(at, at + CHUNK);
    if (chunk.subarray(0, 8).toString('latin1') === 'ElfChnk\0') chunks.push(chunk);
  }
  const copies = Math.max(1, Math.round((TARGET_MB * 1e6) / (chunks.length * CHUNK)));
  const header = Buffer.from(sample.subarray(0, HEADER_BLOCK));
  header.writeUInt16LE(Math.min(copies * chunks.length, 0xffff), 42);
  header.writeUInt32LE(crc32(header.subarray(0, 120)), 124);
  const path = join(dir, 'bench.evtx');
  const fd = openSync(path, 'w');
  writeSync(fd, header);
  for (let i = 0; i < copies; i++) for (const chunk of chunks) writeSync(fd, chunk);
  closeSync(fd);
  return { path, bytes: HEADER_BLOCK + copies * chunks.length * CHUNK, copies, chunks: chunks.length };
}

async function readAll(path: string, flatten: boolean): Promise<{ records: number; fields: number }> {
  let records = 0;
  let fields = 0;
  for await (const record of readEvtx(path)) {
    records++;
    if (flatten) fields += Object.keys(evtxRecordToFlat(record)).length;
  }
  return { records, fields };
}

/** Runs the suite; prints one line per task and returns the reader's MB/s and records/s at the median. */
export async function evtxSuite(): Promise<{ megabytesPerSecond: number; recordsPerSecond: number }> {
  const dir = mkdtempSync(join(os.tmpdir(), 'evtx-bench-'));
  try {
    const log = buildLog(dir);
    const { records } = await readAll(log.path, false);
    const mb = log.bytes / 1e6;
    const cpuMs: number[][] = [];
    const bench = new Bench({ name: 'evtx', time: 0, iterations: 5, warmup: true, warmupIterations: 1 });
    for (const flatten of [false, true]) {
      const name = flatten ? 'readEvtx + evtxRecordToFlat' : 'readEvtx';
      const cpu: number[] = [];
      cpuMs.push(cpu);
      bench.add(name, async () => {
        const start = process.cpuUsage();
        const got = await readAll(log.path, flatten);
        const used = process.cpuUsage(start);
        cpu.push((used.user + used.system) / 1000);
        if (got.records !== records) throw new Error(`${name}: ${got.records} records, expected ${records}`);
      });
    }
    await bench.run();
    console.log(
      `evtx: ${mb.toFixed(1)} MB file (${log.copies} copies of the sample's ${log.chunks} written chunks), ${records} records`,
    );
    const rows = bench.tasks.map((task, i) => {
      const result = completed(task);
      const ms = result.latency.p50;
      return {
        task: task.name,
        'MB/s (median)': +(mb / (ms / 1000)).toFixed(1),
        'records/s (median)': Math.round(records / (ms / 1000)),
        'MB/s (CPU time, median)': +(mb / (linearQuantile(cpuMs[i], 0.5) / 1000)).toFixed(1),
        'ms/run (median)': ms.toFixed(0),
        runs: result.latency.samplesCount,
      };
    });
    console.table(rows);
    return { megabytesPerSecond: rows[0]['MB/s (median)'], recordsPerSecond: rows[0]['records/s (median)'] };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const cpus = os.cpus();
  console.log(
    `machine: ${cpus[0]?.model ?? 'unknown CPU'}, ${cpus.length} logical cores, Node ${process.version}; single-threaded`,
  );
  await evtxSuite();
}
