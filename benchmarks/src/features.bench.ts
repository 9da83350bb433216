// Times buildFeatureTable, and its grouping of rows by user alone, on a synthetic in-memory user-day table.
// Usage: npm run bench:features -w benchmarks -- [rows=10000000] [users=100000]   (after a build)
import os from 'node:os';
import { mulberry32 } from '@isoforest/common';
import { valuesData } from '@isoforest/common/arrow';
import { RAW_MODEL_FEATURES, ZSCORE_SOURCES, buildFeatureTable, groupRowsByUser } from '@isoforest/features';
import {
  Dictionary,
  Int32,
  Table,
  Utf8,
  makeData,
  makeVector,
  vectorFromArray,
  type Data,
  type DataType,
  type Vector,
} from 'apache-arrow';

const rows = Number(process.argv[2] ?? 10_000_000);
const users = Number(process.argv[3] ?? 100_000);
const batchRows = 1 << 16;

/** Seeded, so every run counts the same logons. */
const uniform = mulberry32(0x9e3779b9);

const userNames = Array.from({ length: users }, (_, i) => `user-${i.toString(36).padStart(5, '0')}`);
const userOf = Int32Array.from({ length: rows }, (_, row) => row % users);

function countColumn(scale: number): Int32Array {
  const values = new Int32Array(rows);
  for (let row = 0; row < rows; row++) values[row] = Math.floor(uniform() * scale);
  return values;
}

/** Splits `values` into record-batch-sized chunks, each made by `chunk` from its subarray. */
function chunked<T extends DataType>(values: Int32Array, chunk: (part: Int32Array) => Data<T>): Vector<T> {
  const chunks: Data<T>[] = [];
  for (let start = 0; start < rows; start += batchRows) {
    chunks.push(chunk(values.subarray(start, Math.min(rows, start + batchRows))));
  }
  return makeVector(chunks);
}

/** A dictionary-encoded string column: `indices` into `names`. */
function dictionaryColumn(indices: Int32Array, names: readonly string[]): Vector<Dictionary<Utf8, Int32>> {
  const dictionary = vectorFromArray([...names], new Utf8());
  const type = new Dictionary(new Utf8(), new Int32());
  return chunked(indices, (part) => makeData({ type, length: part.length, nullCount: 0, data: part, dictionary }));
}

function utf8Keys(names: readonly string[]): Vector<Utf8> {
  const encoder = new TextEncoder();
  const encoded = names.map((name) => encoder.encode(name));
  const chunks: Data<Utf8>[] = [];
  for (let start = 0; start < rows; start += batchRows) {
    const length = Math.min(batchRows, rows - start);
    const valueOffsets = new Int32Array(length + 1);
    let bytes = 0;
    for (let i = 0; i < length; i++) valueOffsets[i + 1] = bytes += encoded[userOf[start + i]].length;
    const data = new Uint8Array(bytes);
    for (let i = 0; i < length; i++) data.set(encoded[userOf[start + i]], valueOffsets[i]);
    chunks.push(makeData({ type: new Utf8(), length, nullCount: 0, data, valueOffsets }));
  }
  return makeVector(chunks);
}

const counts: Record<string, Vector<Int32>> = {};
for (const name of [...ZSCORE_SOURCES, ...RAW_MODEL_FEATURES]) {
  const values = countColumn(name === 'SuccessfulLogons' ? 5000 : 20);
  counts[name] = chunked(values, (part) => valuesData(new Int32(), part));
}
const domains = dictionaryColumn(new Int32Array(rows), ['CONTOSO']);
const tables = {
  'dictionary-encoded keys': new Table({ DstDomain: domains, DstUser: dictionaryColumn(userOf, userNames), ...counts }),
  'plain Utf8 keys': new Table({ DstDomain: domains, DstUser: utf8Keys(userNames), ...counts }),
};

console.log(`${os.cpus()[0].model}, ${os.cpus().length} cores, Node ${process.version}`);
console.log(
  `${rows.toLocaleString('en')} user-days, ${users.toLocaleString('en')} users, ${Math.ceil(rows / batchRows)} record batches`,
);
/**
 * Best of 3 runs of `run`, by wall time and by CPU time (user + system: the figure that holds on a machine others
 * load), after a warm-up on the first 100,000 rows that lets V8 optimise the hot loops.
 */
function bestOf3(label: string, table: Table, run: (table: Table) => number): void {
  run(table.slice(0, 100_000));
  let wall = Infinity;
  let cpu = Infinity;
  for (let i = 0; i < 3; i++) {
    const startCpu = process.cpuUsage();
    const start = performance.now();
    const rowsOut = run(table);
    wall = Math.min(wall, performance.now() - start);
    const used = process.cpuUsage(startCpu);
    cpu = Math.min(cpu, (used.user + used.system) / 1000);
    if (rowsOut !== rows) throw new Error(`lost rows: ${rowsOut} of ${rows}`);
  }
  console.log(
    `${label}: best of 3 ${(wall / 1000).toFixed(2)} s, CPU ${(cpu / 1000).toFixed(2)} s (${(((rows / wall) * 1000) / 1e6).toFixed(1)} M rows/s)`,
  );
}

for (const [label, table] of Object.entries(tables)) {
  bestOf3(`${label}, features`, table, (t) => buildFeatureTable(t).numRows);
  bestOf3(`${label}, grouping by user`, table, (t) => groupRowsByUser(t).groupOf.length);
}
