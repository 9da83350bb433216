import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { MODEL_FEATURES } from '@isoforest/features';
import { TUNE_REPORT_FORMAT, type TuneReport } from '@isoforest/tune';
import { describe, expect, it } from 'vitest';
import { synthCommand } from '../src/commands/synth.js';
import { tuneCommand } from '../src/commands/tune.js';
import { runCommand } from './support/runCommand.js';
import { REPO } from './support/runCli.js';

const tenant = 'fixtures/synth/tenant-small.csv';
const tenantRows = readFileSync(join(REPO, tenant), 'utf8').trimEnd().split('\n').length - 1;
const scratch = mkdtempSync(join(tmpdir(), 'isoforest-tune-'));

/** scikit-learn's defaults: 100 trees, max_samples "auto", all features, contamination "auto". */
const DEFAULTISH = { trees: '100', 'max-samples': 'auto', 'max-features': '1', contamination: 'auto' };

async function tuneJson(values: Record<string, string | boolean>): Promise<TuneReport> {
  const run = await runCommand(tuneCommand, { ...values, format: 'json' });
  expect(run.stderr).not.toMatch(/error/);
  expect(run.exitCode).toBe(0);
  const report = JSON.parse(run.stdout);
  expect(report.format).toBe(TUNE_REPORT_FORMAT);
  return report;
}

describe('isoforest tune on the shipped synthetic tenant', { timeout: 120_000 }, () => {
  it('finds the injected attacks: ROC AUC far above chance with the default-ish setting', async () => {
    const report = await tuneJson({ input: tenant, label: 'label', ...DEFAULTISH, 'explain-rows': '100' });
    // A user-day table: the hunting features are computed and used.
    expect(report.features).toEqual([...MODEL_FEATURES]);
    expect(report.rows).toBe(tenantRows);
    expect(report.seeds).toEqual([0, 1, 2, 3, 4]);
    const [result] = report.results;
    // Brute force and lateral movement push one per-user z-score above every normal day of the user, and most
    // password sprays push FailedLogons_zscore positive (packages/synth/test/standOut.test.ts): a forest that
    // isolates extreme z-scores must rank nearly all of them above the ~4,000 ordinary days. 0.9 leaves room for
    // the sprays on users who fail logons anyway. Chance is 0.5; average precision's chance is 45 / 4,104 = 0.011.
    expect(result.quality!.rocAuc.mean).toBeGreaterThan(0.9);
    expect(result.quality!.averagePrecision.mean).toBeGreaterThan(10 * (report.positives! / report.rows));
    expect(result.stability!.topKOverlap).toBeGreaterThanOrEqual(0);
    expect(result.stability!.topKOverlap).toBeLessThanOrEqual(1);
    expect(result.stability!.spearman).toBeGreaterThan(0.5);
    expect(result.stability!.spearman).toBeLessThanOrEqual(1);
  });

  it('writes a Markdown table with one row per setting, reporting progress per setting', async () => {
    const output = join(scratch, 'report.md');
    const run = await runCommand(tuneCommand, {
      input: tenant,
      label: 'label',
      trees: '20,40',
      'max-samples': '64,auto',
      'max-features': '1',
      contamination: 'auto,0.01',
      seeds: '2',
      'top-k': '15',
      'explain-rows': '0',
      output,
    });
    expect(run.exitCode).toBe(0);
    expect(run.stdout).toBe('');
    expect(run.stderr).toContain(`wrote the markdown report to ${output}`);
    const lines = readFileSync(output, 'utf8').trimEnd().split('\n');
    expect(lines[0]).toMatch(
      new RegExp(`^${tenantRows.toLocaleString('en-US')} rows x 6 features .*; seeds 0, 1\\. Best by ROC AUC`),
    );
    const rows = lines.slice(4);
    expect(rows.length).toBe(2 * 2 * 1 * 2);
    expect(lines[2]).toContain('| top-15 overlap |');
    expect(rows.filter((row) => row.startsWith('| ★ |')).length).toBe(1);
    const tuning = run.steps.find((step) => step.label === 'tuning')!;
    expect(tuning.total).toBe(8);
    expect(tuning.updates).toEqual([1, 2, 3, 4, 5, 6, 7, 8]);
  });

  it('measures the same quality and stability when run again (forests are seeded)', async () => {
    const values = { input: tenant, label: 'label', ...DEFAULTISH, seeds: '3', 'explain-rows': '0', metric: 'ap' };
    const a = await tuneJson(values);
    const b = await tuneJson(values);
    expect(b.results[0].quality).toEqual(a.results[0].quality);
    expect(b.results[0].stability).toEqual(a.results[0].stability);
    expect(a.metric).toBe('ap');
  });
});

describe('isoforest tune on synth output', { timeout: 120_000 }, () => {
  it('measures the same on the Arrow and the CSV file of one tenant', async () => {
    const tenantValues = { users: '60', days: '14', seed: '9', 'attack-rate': '0.03' };
    const csv = join(scratch, 'tenant.csv');
    const arrow = join(scratch, 'tenant.arrow');
    expect((await runCommand(synthCommand, { ...tenantValues, output: csv })).exitCode).toBe(0);
    expect((await runCommand(synthCommand, { ...tenantValues, output: arrow })).exitCode).toBe(0);
    const sweep = {
      label: 'label',
      trees: '30',
      'max-samples': '64',
      'max-features': '1',
      contamination: 'auto',
      seeds: '2',
      'explain-rows': '0',
    };
    const fromCsv = await tuneJson({ ...sweep, input: csv });
    const fromArrow = await tuneJson({ ...sweep, input: arrow });
    expect(fromArrow.features).toEqual([...MODEL_FEATURES]);
    expect(fromArrow.rows).toBe(fromCsv.rows);
    expect(fromArrow.positives).toBe(fromCsv.positives);
    expect(fromArrow.results[0].quality).toEqual(fromCsv.results[0].quality);
    expect(fromArrow.results[0].stability).toEqual(fromCsv.results[0].stability);
  });
});

describe('isoforest tune on a plain numeric table', { timeout: 120_000 }, () => {
  // 60 rows on a line from (0, 0) to (59, 59) and 3 rows far off it, labelled 1.
  const path = join(scratch, 'plain.csv');
  const lines = ['x,y,name,label'];
  for (let i = 0; i < 60; i++) lines.push(`${i},${i},row${i},0`);
  lines.push('500,-400,far1,1', '-300,700,far2,1', '900,900,far3,1');
  writeFileSync(path, `${lines.join('\n')}\n`);
  const small = { trees: '50', 'max-samples': '32', 'max-features': '1', contamination: 'auto' };

  it('uses every numeric column but the label', async () => {
    const report = await tuneJson({ input: path, label: 'label', ...small, 'top-k': '3', 'explain-rows': '10' });
    expect(report.features).toEqual(['x', 'y']);
    expect(report.positives).toBe(3);
    expect(report.results[0].quality!.rocAuc.mean).toBe(1);
  });

  it('uses the features it is given, and without a label ranks by stability', async () => {
    const report = await tuneJson({ input: path, features: 'x', ...small, 'top-k': '3' });
    expect(report.features).toEqual(['x']);
    expect(report.label).toBeNull();
    expect(report.metric).toBe('stability');
    expect(report.results[0].quality).toBeNull();
  });

  it('uses all rows for a max samples above the rows, with a warning on stderr and in the JSON report', async () => {
    const run = await runCommand(tuneCommand, {
      input: path,
      ...small,
      'max-samples': '1000,1,100%',
      seeds: '1',
      'explain-rows': '0',
      format: 'json',
    });
    expect(run.exitCode).toBe(0);
    const message =
      'max_samples (1000) is greater than the total number of samples (63). max_samples will be set to n_samples for estimation.';
    expect(run.stderr).toContain(`isoforest tune: warning: max samples 1000: ${message}`);
    expect(run.stderr.match(/warning/g)).toHaveLength(1);
    const report = JSON.parse(run.stdout) as {
      results: { setting: { maxSamples: unknown }; resolved: { maxSamples: number }; warnings: string[] }[];
    };
    expect(report.results.map((r) => [r.setting.maxSamples, r.resolved.maxSamples, r.warnings])).toEqual([
      [{ count: 1000 }, 63, [message]],
      [{ count: 1 }, 1, []],
      [{ fraction: 1 }, 63, []],
    ]);
  });

  it('refuses bad options and bad labels with one line naming them', async () => {
    const cases: [Record<string, string>, number, RegExp][] = [
      [{ input: path, metric: 'fastest' }, 2, /--metric must be one of auc, ap, stability, speed/],
      [{ input: path, 'max-samples': '64,0' }, 2, /--max-samples must be 'auto', a whole number of rows .* not '0'/],
      [
        { input: path, 'max-samples': '64,1.5' },
        2,
        /--max-samples must be 'auto', a whole number of rows .* not '1.5'/,
      ],
      [{ input: path, 'max-samples': '1,1.0,100%' }, 2, /--max-samples lists 1.0 twice/],
      [{ input: path, trees: '10,10' }, 2, /--trees lists 10 twice/],
      [{ input: path, format: 'html' }, 2, /--format must be one of markdown, json/],
      [{ input: path, label: 'missing', ...small }, 1, /plain\.csv: missing label column 'missing'/],
      [{ input: path, metric: 'auc', ...small }, 1, /metric auc needs a label column/],
      [{ input: path, label: 'x', features: 'y', ...small }, 1, /plain\.csv: column x, row 2: label 2 is not 0 or 1/],
      [{ input: join(scratch, 'nope.csv') }, 1, /nope\.csv: no such file/],
    ];
    for (const [values, exitCode, message] of cases) {
      const run = await runCommand(tuneCommand, values);
      expect(run.stderr).toMatch(message);
      expect(run.exitCode).toBe(exitCode);
    }
  });
});
