import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { tableFromIPC } from 'apache-arrow';
import { describe, expect, it } from 'vitest';
import { EXIT } from '../src/exitCodes.js';
import { fixture, runCli, tempDir } from './support/runCli.js';

interface Expected {
  score_samples: number[];
  decision_function: number[];
  predict: number[];
  shap_values: number[][];
  shap_expected_value: number;
}

function readCsv(path: string): { header: string[]; rows: string[][] } {
  const [head, ...lines] = readFileSync(path, 'utf8').trim().split('\n');
  return { header: head.split(','), rows: lines.map((line) => line.split(',')) };
}

describe('isoforest score with a scikit-learn model', () => {
  it("reproduces scikit-learn's scores for the golden case, as CSV and as Arrow", async () => {
    const dir = tempDir();
    const expected = JSON.parse(readFileSync(fixture('golden', 'blobs-outliers', 'expected.json'), 'utf8')) as Expected;
    const model = fixture('golden', 'blobs-outliers', 'model.json');
    const input = fixture('golden', 'blobs-outliers', 'X.csv');

    const csvRun = await runCli(['score', '--model', model, '--input', input, '--output', join(dir, 'out.csv')]);
    expect(csvRun.code, csvRun.stderr).toBe(EXIT.ok);
    const { header, rows } = readCsv(join(dir, 'out.csv'));
    const inputHeader = readCsv(input).header;
    expect(header).toEqual([...inputHeader, 'score_samples', 'decision_function', 'predict', 'score']);
    expect(rows).toHaveLength(expected.score_samples.length);
    const at = (name: string) => header.indexOf(name);
    rows.forEach((row, r) => {
      expect(Number(row[at('score_samples')])).toBeCloseTo(expected.score_samples[r], 12);
      expect(Number(row[at('decision_function')])).toBeCloseTo(expected.decision_function[r], 12);
      expect(Number(row[at('predict')])).toBe(expected.predict[r]);
      expect(Number(row[at('score')])).toBe(-Number(row[at('decision_function')]));
    });

    const arrowRun = await runCli(['score', '--model', model, '--input', input, '--output', join(dir, 'out.arrow')]);
    expect(arrowRun.code, arrowRun.stderr).toBe(EXIT.ok);
    const table = tableFromIPC(readFileSync(join(dir, 'out.arrow')));
    const scores = table.getChild('score_samples')!.toArray() as Float64Array;
    // Written numbers read back to the same double: the CSV and the Arrow file agree exactly.
    rows.forEach((row, r) => expect(Number(row[at('score_samples')])).toBe(scores[r]));
  });

  it("explains rows with shap's values and expected value", async () => {
    const dir = tempDir();
    const expected = JSON.parse(readFileSync(fixture('golden', 'small-n', 'expected.json'), 'utf8')) as Expected;
    const run = await runCli([
      'explain',
      '--model',
      fixture('golden', 'small-n', 'model.json'),
      '--input',
      fixture('golden', 'small-n', 'X.csv'),
      '--output',
      join(dir, 'shap.csv'),
    ]);
    expect(run.code, run.stderr).toBe(EXIT.ok);
    const { header, rows } = readCsv(join(dir, 'shap.csv'));
    const shapColumns = header.filter((name) => name.startsWith('shap_'));
    expect(shapColumns).toHaveLength(expected.shap_values[0].length);
    expect(header.at(-1)).toBe('expected_value');
    rows.forEach((row, r) => {
      shapColumns.forEach((name, c) =>
        expect(Number(row[header.indexOf(name)])).toBeCloseTo(expected.shap_values[r][c], 9),
      );
      expect(Number(row.at(-1))).toBeCloseTo(expected.shap_expected_value, 9);
    });
  });
});

describe('isoforest fit then score', () => {
  it('saves a model that scores the training rows, with the contamination share flagged', async () => {
    const dir = tempDir();
    const lines = ['x,y,host'];
    for (let i = 0; i < 200; i++) lines.push(`${(i % 20) / 10},${Math.floor(i / 20) / 10},h${i}`);
    lines.push('25,25,outlier');
    writeFileSync(join(dir, 'train.csv'), `${lines.join('\n')}\n`);
    const fit = await runCli([
      'fit',
      '--input',
      join(dir, 'train.csv'),
      '--model',
      join(dir, 'm.iforest'),
      '--contamination',
      '0.01',
      '--seed',
      '7',
    ]);
    expect(fit.code, fit.stderr).toBe(EXIT.ok);
    expect(fit.stderr).toContain('2 features (x, y)');
    const score = await runCli([
      'score',
      '--model',
      join(dir, 'm.iforest'),
      '--input',
      join(dir, 'train.csv'),
      '--output',
      join(dir, 's.csv'),
    ]);
    expect(score.code, score.stderr).toBe(EXIT.ok);
    const { header, rows } = readCsv(join(dir, 's.csv'));
    const flagged = rows.filter((row) => row[header.indexOf('predict')] === '-1');
    // 1% of 201 rows sits below the offset: the two lowest scores, and the far point is the lowest of all.
    expect(flagged.length).toBeGreaterThanOrEqual(2);
    expect(flagged.length).toBeLessThanOrEqual(3);
    const scores = rows.map((row) => Number(row[header.indexOf('score')]));
    expect(rows[scores.indexOf(Math.max(...scores))][header.indexOf('host')]).toBe('outlier');
  });

  it('gives the same model bytes for the same seed', async () => {
    const dir = tempDir();
    const input = fixture('golden', 'small-n', 'X.csv');
    for (const name of ['a', 'b']) {
      const run = await runCli([
        'fit',
        '--input',
        input,
        '--model',
        join(dir, `${name}.iforest`),
        '--seed',
        '3',
        '--trees',
        '20',
      ]);
      expect(run.code, run.stderr).toBe(EXIT.ok);
    }
    expect(readFileSync(join(dir, 'a.iforest')).equals(readFileSync(join(dir, 'b.iforest')))).toBe(true);
  });
});
