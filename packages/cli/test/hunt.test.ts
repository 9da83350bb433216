import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { EXIT } from '../src/exitCodes.js';
import { fixture, runCli, tempDir } from './support/runCli.js';

interface NotebookResults {
  score: number[];
  shap_values: number[][];
  shap_row_index: number[];
  outliers: { row_index: number; Date: string; DstUser: string; score: number }[];
}

interface HuntJson {
  counts: { rowsIn: number; rowsScored: number; rowsFiltered: number; outliers: number; explained: number };
  outliers: {
    Date: string;
    DstDomain: string;
    DstUser: string;
    score: number;
    anomaly: boolean;
    contributions: Record<string, number> | null;
    why: string[];
  }[];
  top: { Date: string; DstUser: string; score: number }[];
}

async function huntJson(...args: string[]): Promise<HuntJson> {
  const run = await runCli(['hunt', '--json', '--output-dir', tempDir(), ...args]);
  expect(run.code, run.stderr).toBe(EXIT.ok);
  return JSON.parse(run.stdout) as HuntJson;
}

/** The user-days scikit-learn flags on the demo data under any seed. */
const DEMO_OUTLIERS = [
  { Date: '2022-09-25', DstUser: 'SVC-ACC-02' },
  { Date: '2022-09-16', DstUser: 'SRVACC-04' },
];

describe('isoforest hunt on the bundled demo data', { timeout: 60_000 }, () => {
  it("flags the two user-days scikit-learn flags, under the notebook's seed and others", async () => {
    for (const seed of ['42', '1', '2024']) {
      const result = await huntJson('--seed', seed);
      expect(result.counts).toMatchObject({ rowsIn: 135, rowsScored: 135, rowsFiltered: 0 });
      expect(result.outliers.map(({ Date, DstUser }) => ({ Date, DstUser }))).toEqual(DEMO_OUTLIERS);
    }
  });

  it("with the notebook's own scikit-learn model, reproduces the notebook's scores and SHAP values", async () => {
    const notebook = JSON.parse(
      readFileSync(fixture('golden', 'notebook-demo', 'results.json'), 'utf8'),
    ) as NotebookResults;
    const result = await huntJson('--model', fixture('golden', 'notebook-demo', 'model.json'), '--top', '135');
    expect(result.outliers).toHaveLength(notebook.outliers.length);
    result.outliers.forEach((outlier, k) => {
      const expected = notebook.outliers[k];
      expect(outlier.DstUser).toBe(expected.DstUser);
      expect(outlier.score).toBeCloseTo(expected.score, 12);
      const shapRow = notebook.shap_values[notebook.shap_row_index.indexOf(expected.row_index)];
      Object.values(outlier.contributions!).forEach((value, c) => expect(value).toBeCloseTo(shapRow[c], 9));
    });
    const scores = [...notebook.score].sort((a, b) => b - a);
    result.top.forEach((row, k) => expect(row.score).toBeCloseTo(scores[k], 12));
  });

  it('explains each flagged user-day in words, most anomalous push first', async () => {
    const result = await huntJson();
    const spike = result.outliers.find((o) => o.DstUser === 'SRVACC-04')!;
    const shap = Object.values(spike.contributions!);
    expect(Math.min(...shap)).toBe(spike.contributions!.FailedLogons_zscore);
    expect(spike.why[0]).toMatch(/^FailedLogons 1256 vs this user's mean \d+\.\d$/);
  });

  it('prints the ranked table and writes the report and CSV files', async () => {
    const dir = tempDir();
    const run = await runCli(['hunt', '--output-dir', dir]);
    expect(run.code, run.stderr).toBe(EXIT.ok);
    expect(run.stdout).toContain('135 user-days in, 135 scored');
    expect(run.stdout).toMatch(/ 1 {2}2022-09-25 {2}CONTOSO {4}SVC-ACC-02 .* yes/);
    for (const file of ['report.html', 'scores.csv', 'outliers.csv']) expect(existsSync(join(dir, file))).toBe(true);
    const outliers = readFileSync(join(dir, 'outliers.csv'), 'utf8').trim().split('\n');
    expect(outliers).toHaveLength(3);
    expect(outliers[1]).toContain('SVC-ACC-02');
    expect(readFileSync(join(dir, 'scores.csv'), 'utf8').trim().split('\n')).toHaveLength(136);
  });
});

describe('isoforest hunt on a user-day CSV with a bad row', { timeout: 60_000 }, () => {
  it('stops at the row, naming it, unless --lenient skips and counts it', async () => {
    const dir = tempDir();
    const lines = readFileSync(fixture('demo', 'iforest-demo-data.csv'), 'utf8').split('\r\n');
    // Line 3 of the file (ACC-01 on 9/24/2022: 111 successful, 0 failed logons) gets -5 failed logons.
    expect(lines[2]).toContain('AM",111,0,');
    lines[2] = lines[2].replace('AM",111,0,', 'AM",111,-5,');
    const bad = join(dir, 'days.csv');
    writeFileSync(bad, lines.join('\r\n'));

    const strict = await runCli(['hunt', '--source', `csv:${bad}`, '--output-dir', dir]);
    expect(strict.code).toBe(EXIT.badInput);
    expect(strict.stderr).toContain(`${bad}:3:FailedLogons`);

    const lenient = await runCli(['hunt', '--source', `csv:${bad}`, '--lenient', '--output-dir', dir]);
    expect(lenient.code, lenient.stderr).toBe(EXIT.ok);
    expect(lenient.stdout).toMatch(
      /^135 rows read, 134 kept, 1 rejected \(first: .*:3:FailedLogons.*\); 134 user-days in/,
    );
  });
});
