import { spawnSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { makeVector, type RecordBatch, Table } from 'apache-arrow';
import { writeArrowIpc } from '@isoforest/ingest';
import { describe, expect, it } from 'vitest';
import { mulberry32 } from '@isoforest/common';
import { EXIT } from '../src/exitCodes.js';
import { tempDir } from './support/runCli.js';

const BIN = fileURLToPath(new URL('../bin/isoforest.js', import.meta.url));
const PEAK_RSS_HOOK = fileURLToPath(new URL('./support/reportPeakRss.mjs', import.meta.url));
const FEATURES = ['a', 'b', 'c', 'd', 'e', 'f'];
const BATCH_ROWS = 100_000;

/** `rows` rows of six seeded features, written batch by batch (the test never holds the whole table either). */
async function writeRows(path: string, rows: number): Promise<void> {
  const next = mulberry32(12345);
  function* batches() {
    for (let start = 0; start < rows; start += BATCH_ROWS) {
      const length = Math.min(BATCH_ROWS, rows - start);
      const columns = Object.fromEntries(
        FEATURES.map((name) => [name, makeVector(Float64Array.from({ length }, next))]),
      );
      yield new Table(columns).batches[0] as RecordBatch;
    }
  }
  await writeArrowIpc(path, batches());
}

/** Runs the real command in a child process; returns its exit status and peak RSS in MiB. */
function isoforest(args: string[]): { status: number | null; peakMiB: number; stderr: string } {
  const child = spawnSync(process.execPath, ['--import', PEAK_RSS_HOOK, BIN, ...args], { encoding: 'utf8' });
  const peak = /peak-rss-kb (\d+)/.exec(child.stderr);
  return { status: child.status, peakMiB: peak ? Number(peak[1]) / 1024 : Number.NaN, stderr: child.stderr };
}

describe('score streams: memory is bounded by the batch, not by the rows', () => {
  it('scores 5 million rows from Arrow to Arrow in about the memory it needs for half a million', async () => {
    const dir = tempDir();
    const train = join(dir, 'train.csv');
    writeFileSync(
      train,
      `${FEATURES.join(',')}\n${Array.from({ length: 500 }, (_, i) => FEATURES.map((_, c) => ((i * (c + 7)) % 97) / 97).join(',')).join('\n')}\n`,
    );
    const model = join(dir, 'model.iforest');
    expect(isoforest(['fit', '--input', train, '--model', model, '--quiet']).status).toBe(EXIT.ok);

    const peaks: Record<string, number> = {};
    for (const rows of [500_000, 5_000_000]) {
      const input = join(dir, `rows-${rows}.arrow`);
      await writeRows(input, rows);
      const run = isoforest([
        'score',
        '--model',
        model,
        '--input',
        input,
        '--output',
        join(dir, `scored-${rows}.arrow`),
        '--threads',
        '2',
      ]);
      expect(run.status, run.stderr).toBe(EXIT.ok);
      expect(run.stderr).toContain(
        `scored ${rows.toLocaleString('en-US')} rows in, ${rows.toLocaleString('en-US')} rows out`,
      );
      peaks[rows] = run.peakMiB;
    }
    // 4.5 million more rows are 360 MB more data in and out (10 float64 columns): holding them would raise the peak
    // by at least that. Streaming, the peaks differ only by garbage-collection timing (seen here: up to 100 MB).
    expect(peaks[5_000_000] - peaks[500_000]).toBeLessThan(180);
    expect(peaks[5_000_000]).toBeLessThan(1024);
  }, 180_000);
});
