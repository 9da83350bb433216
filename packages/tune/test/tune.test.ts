import { describe, expect, it } from 'vitest';
import { mulberry32 } from '@isoforest/common';
import { makeVector, Table } from 'apache-arrow';
import { loadIsoforest, OptionsError } from '@isoforest/core';
import {
  DEFAULT_GRID,
  TUNE_REPORT_FORMAT,
  TUNE_REPORT_VERSION,
  TuneError,
  rocAuc,
  tune,
  tuneReportJson,
  tuneReportMarkdown,
  type SettingResult,
} from '../src/index.js';

/** 400 rows: 390 uniform in [0, 1)^3 and, every 40th row, one at 3 to 4 on every feature (labelled 1). */
function blobWithOutliers(): Table {
  const uniform = mulberry32(12345);
  const rows = 400;
  const columns = [new Float64Array(rows), new Float64Array(rows), new Float64Array(rows)];
  const label = new Uint8Array(rows);
  for (let r = 0; r < rows; r++) {
    label[r] = r % 40 === 7 ? 1 : 0;
    for (const column of columns) column[r] = label[r] === 1 ? 3 + uniform() : uniform();
  }
  return new Table({
    a: makeVector(columns[0]),
    b: makeVector(columns[1]),
    c: makeVector(columns[2]),
    label: makeVector(label),
  });
}

const table = blobWithOutliers();
const isoforest = await loadIsoforest();
const SMALL_GRID = {
  trees: [20, 50],
  maxSamples: ['auto' as const, 64],
  maxFeatures: [1],
  contamination: ['auto' as const, 0.025],
};

describe('tune', () => {
  it('measures every setting of the grid in order, reporting progress after each', () => {
    const progress: [number, number][] = [];
    const report = tune(isoforest, table, {
      label: 'label',
      grid: SMALL_GRID,
      seeds: [0, 1, 2],
      topK: 10,
      explainRows: 50,
      onSetting: (done, total) => progress.push([done, total]),
    });
    expect(report.results.map((r) => [r.setting.trees, r.setting.maxSamples, r.setting.contamination])).toEqual([
      [20, 'auto', 'auto'],
      [20, 'auto', 0.025],
      [20, 64, 'auto'],
      [20, 64, 0.025],
      [50, 'auto', 'auto'],
      [50, 'auto', 0.025],
      [50, 64, 'auto'],
      [50, 64, 0.025],
    ]);
    expect(progress).toEqual([1, 2, 3, 4, 5, 6, 7, 8].map((done) => [done, 8]));
    expect(report.features).toEqual(['a', 'b', 'c']);
    expect(report.positives).toBe(10);
    expect(report.metric).toBe('auc');
    for (const result of report.results) {
      expect(result.resolved).toEqual({ maxSamples: result.setting.maxSamples === 'auto' ? 256 : 64, maxFeatures: 3 });
      expect(result.fitMs).toBeGreaterThan(0);
      expect(result.scoreMs).toBeGreaterThan(0);
      expect(result.explainMs).toBeGreaterThan(0);
      const { topKOverlap, spearman } = result.stability!;
      expect(topKOverlap).toBeGreaterThanOrEqual(0);
      expect(topKOverlap).toBeLessThanOrEqual(1);
      expect(spearman).toBeGreaterThan(0);
      expect(spearman).toBeLessThanOrEqual(1);
      // The ten outliers sit 2 or more away from a unit cube on every feature: any forest ranks them first.
      expect(result.quality!.rocAuc.mean).toBe(1);
      expect(result.quality!.averagePrecision.mean).toBe(1);
    }
    // contamination 0.025 flags the 2.5 % lowest training scores: 400 * 0.025 = 10 rows, the ten outliers.
    const cut = report.results[1].quality!;
    expect(cut.flagged).toBe(10);
    expect(cut.precisionAtCut.mean).toBe(1);
  });

  it('computes ROC AUC on the scores of the very model fit gives', () => {
    const report = tune(isoforest, table, {
      label: 'label',
      features: ['a', 'b'],
      grid: { trees: [30], maxSamples: [32], maxFeatures: [1], contamination: ['auto'] },
      seeds: [9],
    });
    const model = isoforest.fit(table, { features: ['a', 'b'], nEstimators: 30, maxSamples: 32, randomState: 9 });
    const labels = table.getChild('label')!.toArray() as Uint8Array;
    expect(report.results[0].quality!.rocAuc).toEqual({ mean: rocAuc(model.score(table).score, labels), std: 0 });
    expect(report.results[0].stability).toBeNull();
  });

  it('finds identical seeds perfectly stable', () => {
    const report = tune(isoforest, table, {
      grid: { trees: [10], maxSamples: [32], maxFeatures: [0.5], contamination: ['auto'] },
      seeds: [7, 7],
    });
    expect(report.results[0].stability).toEqual({ topKOverlap: 1, spearman: 1 });
    expect(report.metric).toBe('stability');
    expect(report.results[0].quality).toBeNull();
  });

  it('fits a max samples above the rows on all rows, as scikit-learn does, and reports the warning', () => {
    const rows = table.numRows;
    const report = tune(isoforest, table, {
      grid: { trees: [10], maxSamples: [rows + 100, { count: 1 }], maxFeatures: [1], contamination: ['auto'] },
      seeds: [3],
      explainRows: 0,
    });
    const message = `max_samples (${rows + 100}) is greater than the total number of samples (${rows}). max_samples will be set to n_samples for estimation.`;
    expect(report.results.map((r) => [r.resolved.maxSamples, r.warnings])).toEqual([
      [rows, [message]],
      [1, []],
    ]);
    expect(tuneReportMarkdown(report)).toContain(
      `- trees 10, max samples ${rows + 100}, max features 1, contamination auto: ${message}`,
    );
    expect(JSON.parse(tuneReportJson(report)).results[0].warnings).toEqual([message]);
  });

  it('sweeps the default grid when given none', () => {
    const settings: SettingResult[] = [];
    // Twice the rows, so that the default's 512 rows per tree fit.
    tune(isoforest, table.concat(table), {
      seeds: [0],
      explainRows: 0,
      grid: { trees: [5] },
      onSetting: (_d, _t, r) => settings.push(r),
    });
    expect(settings.map((r) => r.setting.maxSamples)).toEqual(DEFAULT_GRID.maxSamples.flatMap((m) => [m, m, m, m]));
    expect(settings.length).toBe(
      DEFAULT_GRID.maxSamples.length * DEFAULT_GRID.maxFeatures.length * DEFAULT_GRID.contamination.length,
    );
  });

  it('refuses bad options before fitting anything', () => {
    let fitted = 0;
    const onSetting = () => fitted++;
    const run = (options: Parameters<typeof tune>[2]) => () => tune(isoforest, table, { ...options, onSetting });
    expect(run({ label: 'nope' })).toThrow(/no label column nope/);
    expect(run({ metric: 'auc' })).toThrow(/metric auc needs a label column/);
    expect(run({ metric: 'stability', seeds: [1] })).toThrow(/two seeds/);
    expect(run({ label: 'label', features: ['a', 'label'] })).toThrow(TuneError);
    expect(run({ grid: { trees: [] } })).toThrow(/grid.trees must list at least one value/);
    expect(run({ grid: { trees: [10, 10] } })).toThrow(/lists 10 twice/);
    expect(run({ topK: 401 })).toThrow(/topK 401/);
    // The core's own check, reached through the one-tree trial run before the sweep.
    expect(run({ grid: { trees: [10], maxSamples: [64, 0] } })).toThrow(OptionsError);
    expect(run({ grid: { trees: [10], maxSamples: [1, { fraction: 1 }] } })).toThrow(/grid.maxSamples lists 1.0 twice/);
    expect(run({ grid: { trees: [0] } })).toThrow(/nEstimators/);
    expect(fitted).toBe(0);
  });

  it('refuses labels other than 0 and 1, naming the row', () => {
    const bad = new Table({ a: makeVector(new Float64Array([1, 2, 3])), y: makeVector(new Float64Array([0, 1, 0.5])) });
    expect(() => tune(isoforest, bad, { label: 'y' })).toThrow(/column y, row 2: label 0.5 is not 0 or 1/);
  });
});

describe('report formats', () => {
  const report = tune(isoforest, table, {
    label: 'label',
    grid: SMALL_GRID,
    seeds: [0, 1],
    topK: 10,
    explainRows: 20,
    metric: 'speed',
  });

  it('Markdown: a summary line, then a table with one row per setting and the best one marked', () => {
    const lines = tuneReportMarkdown(report).trimEnd().split('\n');
    expect(lines[0]).toMatch(
      /^400 rows x 3 features \(a, b, c\), label `label` \(10 rows labelled 1\); seeds 0, 1\. Best by fit \+ score time/,
    );
    const table = lines.slice(2);
    expect(table.length).toBe(2 + report.results.length);
    const header = table[0]
      .split('|')
      .slice(1, -1)
      .map((cell) => cell.trim());
    expect(header).toEqual([
      'best',
      'trees',
      'max samples',
      'max features',
      'contamination',
      'fit ms',
      'score ms',
      'explain ms (20 rows)',
      'top-10 overlap',
      'Spearman',
      'ROC AUC',
      'AP',
      'precision at cut',
      'flagged',
    ]);
    const rows = table.slice(2).map((line) =>
      line
        .split('|')
        .slice(1, -1)
        .map((cell) => cell.trim()),
    );
    expect(rows.every((cells) => cells.length === header.length)).toBe(true);
    expect(rows.map((cells) => cells[0] === '★')).toEqual(report.results.map((_, i) => i === report.best));
    expect(rows[0].slice(1, 5)).toEqual(['20', 'auto (256)', '1 (3)', 'auto']);
    expect(rows[0][10]).toBe('1.000 ± 0.000');
  });

  it('Markdown: a long feature list is elided in the middle', () => {
    const columns = Object.fromEntries(
      Array.from({ length: 10 }, (_, c) => [
        `f${c}`,
        makeVector(Float64Array.from({ length: 40 }, (_, r) => (r * (c + 3)) % 17)),
      ]),
    );
    const wide = tune(isoforest, new Table(columns), {
      grid: { trees: [5], maxSamples: [16], maxFeatures: [1], contamination: ['auto'] },
      seeds: [0],
    });
    expect(tuneReportMarkdown(wide)).toMatch(
      /^40 rows x 10 features \(f0, f1, f2, f3, f4, f5, f6, \.\.\., f9\), no label; seeds 0\. Best by fit \+ score time/,
    );
  });

  it('JSON: the report with its format and version', () => {
    const parsed = JSON.parse(tuneReportJson(report));
    expect(parsed.format).toBe(TUNE_REPORT_FORMAT);
    expect(parsed.version).toBe(TUNE_REPORT_VERSION);
    expect(parsed.results.length).toBe(8);
    expect(parsed.best).toBe(report.best);
    expect(parsed.results[0].quality.rocAuc).toEqual({ mean: 1, std: 0 });
    expect(Object.keys(parsed.results[0]).sort()).toEqual([
      'explainMs',
      'fitMs',
      'quality',
      'resolved',
      'scoreMs',
      'setting',
      'stability',
      'warnings',
    ]);
  });

  it('JSON: NaN (a constant ranking has no Spearman) becomes null', () => {
    const constant = new Table({
      a: makeVector(new Float64Array(50).fill(1)),
      b: makeVector(Float64Array.from({ length: 50 }, (_, i) => i)),
    });
    const flat = tune(isoforest, constant, {
      features: ['a'],
      grid: { trees: [5], maxSamples: [16], maxFeatures: [1], contamination: ['auto'] },
      seeds: [0, 1],
    });
    expect(flat.results[0].stability!.spearman).toBeNaN();
    expect(JSON.parse(tuneReportJson(flat)).results[0].stability.spearman).toBeNull();
  });
});
