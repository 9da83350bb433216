import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { makeVector, Table, type RecordBatch } from 'apache-arrow';
import { describe, expect, it } from 'vitest';
import { EXIT } from '../src/exitCodes.js';
import { reservoirSample } from '../src/io/reservoirSample.js';
import { runCli, tempDir } from './support/runCli.js';

/** Rows 0..rows-1 with `id = row` and `twice = 2 row`, in batches of `size`. */
async function* batchesOf(rows: number, size: number): AsyncGenerator<RecordBatch> {
  for (let start = 0; start < rows; start += size) {
    const ids = Float64Array.from({ length: Math.min(size, rows - start) }, (_, k) => start + k);
    yield new Table({ id: makeVector(ids), twice: makeVector(ids.map((v) => 2 * v)) }).batches[0];
  }
}

describe('reservoirSample', () => {
  it('keeps every row, in order, when the sample is as large as the input', async () => {
    const sample = await reservoirSample(batchesOf(50, 7), 80, 1, 'test');
    expect(sample).toMatchObject({ rows: 50, rowsRead: 50 });
    expect(Array.from(sample.columns.id)).toEqual(Array.from({ length: 50 }, (_, k) => k));
  });

  it('draws distinct whole rows, the same for the same seed, different for another', async () => {
    const a = await reservoirSample(batchesOf(1000, 64), 100, 7, 'test');
    const b = await reservoirSample(batchesOf(1000, 333), 100, 7, 'test');
    const c = await reservoirSample(batchesOf(1000, 64), 100, 8, 'test');
    expect(a.rowsRead).toBe(1000);
    expect(new Set(a.columns.id).size).toBe(100);
    a.columns.id.forEach((id, k) => expect(a.columns.twice[k]).toBe(2 * id));
    expect(Array.from(b.columns.id)).toEqual(Array.from(a.columns.id));
    expect(Array.from(c.columns.id)).not.toEqual(Array.from(a.columns.id));
  });

  it('keeps each row with the same probability', async () => {
    // 400 samples of 10 rows out of 40: each row is expected 100 times; a chi-square test with 39 degrees of
    // freedom rejects uniformity above 72.1 at the 0.1% level.
    const counts = new Float64Array(40);
    for (let seed = 0; seed < 400; seed++)
      for (const id of (await reservoirSample(batchesOf(40, 9), 10, seed, 'test')).columns.id) counts[id]++;
    const chiSquare = counts.reduce((sum, n) => sum + (n - 100) ** 2 / 100, 0);
    expect(chiSquare).toBeLessThan(72.1);
  });
});

describe('isoforest fit --sample', () => {
  it('trains on a uniform sample and says how many rows it drew from how many', async () => {
    const dir = tempDir();
    const input = join(dir, 'x.csv');
    writeFileSync(input, `a,b\n${Array.from({ length: 2000 }, (_, i) => `${i % 37},${(i * 7) % 101}`).join('\n')}\n`);
    const run = await runCli([
      'fit',
      '--input',
      input,
      '--model',
      join(dir, 'm.iforest'),
      '--sample',
      '300',
      '--seed',
      '5',
    ]);
    expect(run.code, run.stderr).toBe(EXIT.ok);
    expect(run.stderr).toContain('sampled 300 of 2,000 rows, uniformly');
    expect(run.stderr).toContain('fitted 100 trees on 300 rows x 2 features (a, b); max_samples 256');
  }, 60_000);
});
