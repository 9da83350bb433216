import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'csv-parse/sync';
import { describe, expect, it } from 'vitest';
import { readParquetBatches } from '@isoforest/ingest';
import { EXIT } from '../src/exitCodes.js';
import { runCli, tempDir } from './support/runCli.js';

const ok = (run: { code: number; stderr: string }) => expect(run.code, run.stderr).toBe(EXIT.ok);

describe('Parquet files in and out, by extension', () => {
  it('hunts a Parquet tenant exactly as the same tenant in CSV, and writes and reads Parquet features and scores', async () => {
    const dir = tempDir();
    const synth = ['synth', '--users', '40', '--days', '12', '--seed', '7', '--output'];
    ok(await runCli([...synth, join(dir, 'days.csv')]));
    ok(await runCli([...synth, join(dir, 'days.parquet')]));

    const hunt = (source: string, out: string) =>
      runCli([
        'hunt',
        '--source',
        source,
        '--output-dir',
        join(dir, out),
        '--save-model',
        join(dir, `${out}.iforest`),
        '--json',
      ]);
    ok(await hunt(`csv:${join(dir, 'days.csv')}`, 'from-csv'));
    ok(await hunt(`parquet:${join(dir, 'days.parquet')}`, 'from-parquet'));
    const scores = (out: string) => readFileSync(join(dir, out, 'scores.csv'), 'utf8');
    expect(scores('from-parquet')).toBe(scores('from-csv'));

    ok(await runCli(['features', '--input', join(dir, 'days.parquet'), '--output', join(dir, 'features.parquet')]));
    ok(await runCli(['features', '--input', join(dir, 'days.csv'), '--output', join(dir, 'features.csv')]));
    const model = join(dir, 'from-csv.iforest');
    ok(
      await runCli([
        'score',
        '--model',
        model,
        '--input',
        join(dir, 'features.parquet'),
        '--output',
        join(dir, 'scored.parquet'),
      ]),
    );
    ok(
      await runCli([
        'score',
        '--model',
        model,
        '--input',
        join(dir, 'features.csv'),
        '--output',
        join(dir, 'scored.csv'),
      ]),
    );
    const fromCsv = parse(readFileSync(join(dir, 'scored.csv')), { columns: true }) as Record<string, string>[];
    const fromParquet: number[] = [];
    for await (const batch of readParquetBatches(join(dir, 'scored.parquet')))
      fromParquet.push(...(batch.getChild('score_samples')!.toArray() as Float64Array));
    expect(fromParquet.length).toBe(fromCsv.length);
    expect(fromParquet).toEqual(fromCsv.map((row) => Number(row.score_samples)));
  }, 120_000);
});
