// The parallel CSV writer runs worker threads from the built package (workers need JavaScript files), so this file
// imports ingest's dist/: build first (`npx tsc -b packages/ingest`).
import { readFileSync } from 'node:fs';
import { Writable } from 'node:stream';
import fc from 'fast-check';
import {
  DateDay,
  Dictionary,
  Float64,
  Int32,
  makeVector,
  RecordBatch,
  Table,
  TimestampMillisecond,
  Utf8,
  vectorFromArray,
} from 'apache-arrow';
import { describe, expect, it } from 'vitest';
import { csvNumber, writeCsv, writeCsvStream, type WriteCsvOptions } from '../dist/index.js';
import { perUser, tempFile } from './support.js';

/** The bytes `writeCsvStream` writes of `batches` with `options`. */
async function written(batches: RecordBatch[], options: WriteCsvOptions): Promise<{ text: string; rows: number }> {
  const chunks: Buffer[] = [];
  const sink = new Writable({
    write(chunk: Buffer, _encoding, done) {
      chunks.push(chunk);
      done();
    },
  });
  const rows = await writeCsvStream(sink, batches, options);
  return { text: Buffer.concat(chunks).toString('utf8'), rows };
}

/** The first line where two CSV texts differ, with both versions; null when they are equal (a short failure message). */
function firstDifference(actual: string, expected: string): { line: number; actual: string; expected: string } | null {
  if (actual === expected) return null;
  const a = actual.split('\n');
  const e = expected.split('\n');
  let line = 0;
  while (a[line] === e[line]) line++;
  return { line, actual: a[line] ?? '(end)', expected: e[line] ?? '(end)' };
}

describe('CSV written on worker threads', { timeout: 120_000 }, () => {
  const cell = fc.record({
    name: fc.option(fc.constantFrom('ACC-01', '=cmd', 'a,b', 'say "hi"', 'ünï', 'two\nlines', ' lead', ''), {
      nil: null,
    }),
    x: fc.option(fc.double(), { nil: null }),
    user: fc.nat({ max: 9 }),
    day: fc.integer({ min: -800_000, max: 3_000_000 }),
    ts: fc.integer({ min: -70_000_000_000_000, max: 260_000_000_000_000 }),
    flag: fc.constantFrom(-1, 1),
    text: fc.option(fc.constantFrom('x', 'y', '+z', 'w w'), { nil: null }),
  });

  it('writes the bytes of one thread: every type, nulls, slices, dictionaries shared by batches and replaced (differential)', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.array(fc.array(cell, { minLength: 0, maxLength: 30 }), { minLength: 1, maxLength: 6 }),
        fc.array(fc.double(), { minLength: 10, maxLength: 10 }),
        fc.nat(),
        fc.constantFrom<'\n' | '\r\n'>('\n', '\r\n'),
        async (parts, means, cut, eol) => {
          // One per-user dictionary shared by every batch, as the hunt's features share theirs; a string dictionary
          // made per batch, as a reader's replaced dictionaries are.
          const shared = makeVector(Float64Array.from(means));
          const sharedStd = makeVector(Float64Array.from(means, (m) => m / 3));
          const batches = parts.flatMap((rows) => {
            const users = Int32Array.from(rows, (r) => r.user);
            const table = new Table({
              name: vectorFromArray(
                rows.map((r) => r.name),
                new Utf8(),
              ),
              x: vectorFromArray(
                rows.map((r) => r.x),
                new Float64(),
              ),
              mean: perUser(users, shared),
              // Indexed by the same array as `mean`: the two are sent as one index and written as one run.
              std: perUser(users, sharedStd),
              day: vectorFromArray(
                rows.map((r) => new Date(r.day * 86_400_000)),
                new DateDay(),
              ),
              ts: vectorFromArray(
                rows.map((r) => r.ts),
                new TimestampMillisecond(),
              ),
              predict: makeVector(Int8Array.from(rows, (r) => r.flag)),
              text: vectorFromArray(
                rows.map((r) => r.text),
                new Dictionary(new Utf8(), new Int32()),
              ),
            });
            const batch = table.batches[0] ?? new RecordBatch(table.schema, undefined);
            const at = cut % (batch.numRows + 1);
            return [batch.slice(0, at), batch.slice(at)];
          });
          const one = await written(batches, { eol });
          const many = await written(batches, { eol, workers: 2, parallelMinRows: 0 });
          expect(many.rows).toBe(one.rows);
          expect(firstDifference(many.text, one.text)).toBeNull();
        },
      ),
      { numRuns: 10 },
    );
  });

  it('writes the bytes of one thread over many batches of one size, which reuse the buffers sent to the workers', async () => {
    // The per-user dictionary is sent once, with the first batch; later batches are packed into the buffers of
    // earlier ones that the workers handed back, so a dictionary read from a reused buffer would come out wrong;
    // and the workers fill the buffers of bytes already written again.
    const users = 5000;
    const means = makeVector(Float64Array.from({ length: users }, (_, u) => u / 7 + 0.1));
    const batches = Array.from({ length: 40 }, (_, b) => {
      const user = Int32Array.from({ length: 4096 }, (_, i) => (b * 4096 + i * 7919) % users);
      return new Table({
        // Thirds (17 digits), integers, short decimals, negatives, tiny and huge values, NaN and -0.
        x: makeVector(
          Float64Array.from(user, (u, i) => [(u * i) / 3, u * i, -u / 8, u * 1e-9, u * 1e19, NaN, -0][i % 7]!),
        ),
        mean: perUser(user, means),
      }).batches[0]!;
    });
    // Into files: the workers' byte buffers, once written, go back to them to be filled again.
    const one = tempFile('one-thread.csv', '');
    const many = tempFile('workers.csv', '');
    await writeCsv(one, batches);
    expect(await writeCsv(many, batches, { workers: 2, parallelMinRows: 0 })).toBe(40 * 4096);
    expect(firstDifference(readFileSync(many, 'utf8'), readFileSync(one, 'utf8'))).toBeNull();
    // And both are the text of String(n), cell by cell.
    const expected = ['x,mean'];
    for (const batch of batches) {
      const x = batch.getChild('x')!;
      const mean = batch.getChild('mean')!;
      for (let row = 0; row < batch.numRows; row++)
        expected.push(`${csvNumber(x.get(row) as number)},${csvNumber(mean.get(row) as number)}`);
    }
    expect(firstDifference(readFileSync(many, 'utf8'), expected.join('\n') + '\n')).toBeNull();
  });

  it('starts its workers only after the rows it is told, and keeps the rows in order across the switch', async () => {
    const batches = Array.from(
      { length: 7 },
      (_, b) => new Table({ i: makeVector(Int32Array.from({ length: 1000 }, (_, i) => b * 1000 + i)) }).batches[0]!,
    );
    const { text, rows } = await written(batches, { workers: 3, parallelMinRows: 2500 });
    expect(rows).toBe(7000);
    expect(text).toBe(`i\n${Array.from({ length: 7000 }, (_, i) => `${i}\n`).join('')}`);
  });
});
