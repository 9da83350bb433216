// Times buildFeatureTable on a synthetic in-memory user-day table.
// Usage: node bench/features.bench.js [rows=10000000] [users=100000]   (after `npx tsc -b packages/features`)
import os from 'node:os';
import { Dictionary, Int32, Table, Utf8, makeData, makeVector, vectorFromArray } from 'apache-arrow';
import { RAW_MODEL_FEATURES, ZSCORE_SOURCES, buildFeatureTable } from '../dist/index.js';

const rows = Number(process.argv[2] ?? 10_000_000);
const users = Number(process.argv[3] ?? 100_000);
const batchRows = 1 << 16;

/** xorshift32: deterministic counts without Math.random. */
let state = 0x9e3779b9;
const next = () => ((state ^= state << 13), (state ^= state >>> 17), (state ^= state << 5), state >>> 0);

const userNames = Array.from({ length: users }, (_, i) => `user-${i.toString(36).padStart(5, '0')}`);
const userOf = Int32Array.from({ length: rows }, (_, row) => row % users);

function countColumn(scale) {
  const values = new Int32Array(rows);
  for (let row = 0; row < rows; row++) values[row] = next() % scale;
  return values;
}

/** Splits a typed array into record-batch-sized chunks of the given Arrow type. */
function chunked(type, values, extra = {}) {
  const chunks = [];
  for (let start = 0; start < rows; start += batchRows) {
    const length = Math.min(batchRows, rows - start);
    chunks.push(makeData({ type, length, nullCount: 0, data: values.subarray(start, start + length), ...extra }));
  }
  return makeVector(chunks);
}

function utf8Keys(names) {
  const encoder = new TextEncoder();
  const encoded = names.map((name) => encoder.encode(name));
  const chunks = [];
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

const counts = {};
for (const name of [...ZSCORE_SOURCES, ...RAW_MODEL_FEATURES])
  counts[name] = chunked(new Int32(), countColumn(name === 'SuccessfulLogons' ? 5000 : 20));
const domains = chunked(new Dictionary(new Utf8(), new Int32()), new Int32Array(rows), {
  dictionary: vectorFromArray(['CONTOSO'], new Utf8()),
});

const dictionaryUsers = chunked(new Dictionary(new Utf8(), new Int32()), userOf, {
  dictionary: vectorFromArray(userNames, new Utf8()),
});
const tables = {
  'dictionary-encoded keys': new Table({ DstDomain: domains, DstUser: dictionaryUsers, ...counts }),
  'plain Utf8 keys': new Table({ DstDomain: domains, DstUser: utf8Keys(userNames), ...counts }),
};

console.log(`${os.cpus()[0].model}, ${os.cpus().length} cores, Node ${process.version}`);
console.log(
  `${rows.toLocaleString('en')} user-days, ${users.toLocaleString('en')} users, ${Math.ceil(rows / batchRows)} record batches`,
);
for (const [label, table] of Object.entries(tables)) {
  buildFeatureTable(table.slice(0, 100_000)); // warm-up: let V8 optimise the hot loops
  const times = [];
  for (let run = 0; run < 3; run++) {
    const start = performance.now();
    const features = buildFeatureTable(table);
    times.push(performance.now() - start);
    if (features.numRows !== rows) throw new Error(`lost rows: ${features.numRows} of ${rows}`);
  }
  const best = Math.min(...times);
  console.log(
    `${label}: best of 3 ${(best / 1000).toFixed(2)} s (${(((rows / best) * 1000) / 1e6).toFixed(1)} M rows/s)`,
  );
}
