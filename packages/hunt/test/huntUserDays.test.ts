import { fileURLToPath } from 'node:url';
import { Table } from 'apache-arrow';
import { beforeAll, describe, expect, it } from 'vitest';
import { loadIsoforest, type Isoforest } from '@isoforest/core';
import { MODEL_FEATURES } from '@isoforest/features';
import { readAll, readUserDayCsv, toUserDays, UserDayBatchBuilder, type UserDay } from '@isoforest/ingest';
import { DEFAULT_CONTRIBUTIONS, huntUserDays, toHuntReport, topContributions, userDayView } from '../src/index.js';

const DEMO = fileURLToPath(new URL('../../../fixtures/demo/iforest-demo-data.csv', import.meta.url));

let isoforest: Isoforest;
let demo: UserDay[];

beforeAll(async () => {
  isoforest = await loadIsoforest();
  demo = toUserDays(await readAll(readUserDayCsv(DEMO)));
});

function tableOf(days: UserDay[]): Table {
  const builder = new UserDayBatchBuilder(days.length);
  for (const day of days) builder.push(day);
  return new Table(builder.finish());
}

describe('huntUserDays', () => {
  it('scores every user-day but ranks only those with successful logons, most anomalous first', async () => {
    // Two of the demo's user-days lose their successful logons: they are scored, then filtered out of the results.
    const days = demo.map((day, k) =>
      k === 3 || k === 50 ? { ...day, SuccessfulLogons: 0, AttemptedLogons: day.FailedLogons } : day,
    );
    const result = await huntUserDays(isoforest, tableOf(days), { trees: 50 });
    expect(result.counts).toMatchObject({ rowsIn: 135, rowsScored: 135, rowsFiltered: 2 });
    expect(result.scores.score).toHaveLength(135);
    expect([...result.ranking].sort((a, b) => a - b)).toEqual(
      days.flatMap((day, k) => (day.SuccessfulLogons > 0 ? [k] : [])),
    );
    for (let k = 1; k < result.ranking.length; k++) {
      const [before, after] = [result.ranking[k - 1], result.ranking[k]];
      const [a, b] = [result.scores.score[before], result.scores.score[after]];
      expect(a > b || (a === b && before < after)).toBe(true);
    }
    expect(result.counts.outliers).toBe(result.ranking.filter((row) => result.scores.predict[row] === -1).length);
  });

  it('explains the flagged and top rows only when asked, with the values the model gives those rows', async () => {
    const flaggedOnly = await huntUserDays(isoforest, tableOf(demo), { explain: 'flagged', top: 3 });
    const everyRow = await huntUserDays(isoforest, tableOf(demo), { explain: 'all' });
    const explained = new Set(
      flaggedOnly.ranking.filter((row, rank) => rank < 3 || flaggedOnly.scores.predict[row] === -1),
    );
    expect(flaggedOnly.counts.explained).toBe(explained.size);
    for (let row = 0; row < demo.length; row++) {
      for (let c = 0; c < MODEL_FEATURES.length; c++) {
        if (explained.has(row)) expect(flaggedOnly.shap[c][row]).toBeCloseTo(everyRow.shap[c][row], 12);
        else expect(flaggedOnly.shap[c][row]).toBeNaN();
      }
    }
    // Local accuracy ties the explanations to the scores: sum(shap) + expected value = mean path length.
    for (const row of everyRow.ranking) {
      const sum = everyRow.shap.reduce((total, column) => total + column[row], everyRow.model.expectedValue);
      expect(sum).toBeCloseTo(everyRow.scores.meanPathLength[row], 9);
    }
  });

  it("scores with a given model instead of fitting one, and says so in the report's parameters", async () => {
    const fitted = await huntUserDays(isoforest, tableOf(demo), { seed: 5 });
    const reused = await huntUserDays(isoforest, tableOf(demo.slice(0, 40)), { model: fitted.model });
    expect(reused.fitted).toBe(false);
    expect(reused.model).toBe(fitted.model);
    const report = toHuntReport(reused, { source: 'test', generatedAt: '2026-01-01T00:00:00Z', maxRows: 5 });
    expect(report.rows).toHaveLength(5);
    expect(report.parameters['rows shown']).toBe(`5 of ${reused.ranking.length}`);
    expect(report.rows[0].score).toBe(reused.scores.score[reused.ranking[0]]);
  });
});

describe('huntUserDays on several threads', () => {
  it('keeps the demo in one thread: starting workers would cost more than they save', async () => {
    expect((await huntUserDays(isoforest, tableOf(demo), { explain: 'all', threads: 2 })).threads).toBe(1);
  });

  it('gives the same scores, ranking and SHAP values as one thread', async () => {
    // Fifty copies of the demo's users, renamed: enough rows to explain for two threads to pay.
    const many = Array.from({ length: 50 }, (_, copy) =>
      demo.map((day) => ({ ...day, DstUser: `${day.DstUser}-${copy}` })),
    ).flat();
    const one = await huntUserDays(isoforest, tableOf(many), { explain: 'all' });
    const two = await huntUserDays(isoforest, tableOf(many), { explain: 'all', threads: 2 });
    expect([one.threads, two.threads]).toEqual([1, 2]);
    expect(Array.from(two.ranking)).toEqual(Array.from(one.ranking));
    for (let row = 0; row < many.length; row++) {
      expect(Object.is(two.scores.score[row], one.scores.score[row])).toBe(true);
      for (let c = 0; c < MODEL_FEATURES.length; c++) expect(Object.is(two.shap[c][row], one.shap[c][row])).toBe(true);
    }
  }, 120_000);
});

describe('topContributions', () => {
  it('lists the features that pushed toward anomalous, most negative first, with the raw values behind them', async () => {
    const result = await huntUserDays(isoforest, tableOf(demo));
    const spike = demo.findIndex((day) => day.DstUser === 'SRVACC-04' && day.FailedLogons === 1256);
    const contributions = topContributions(result, spike);
    // The features with negative SHAP values, most negative first, at most DEFAULT_CONTRIBUTIONS of them.
    const negative = MODEL_FEATURES.map((feature, c) => ({ feature, shap: result.shap[c][spike] }))
      .filter((c) => c.shap < 0)
      .sort((a, b) => a.shap - b.shap)
      .slice(0, DEFAULT_CONTRIBUTIONS);
    expect(negative.length).toBeGreaterThan(0);
    expect(contributions.map(({ feature, shap }) => ({ feature, shap }))).toEqual(negative);
    const failed = contributions.find((c) => c.feature === 'FailedLogons_zscore')!;
    const userDays = demo.filter((day) => day.DstUser === 'SRVACC-04' && day.DstDomain === 'CONTOSO');
    const mean = userDays.reduce((sum, day) => sum + day.FailedLogons, 0) / userDays.length;
    expect(failed.value).toBe(1256);
    expect(failed.userMean).toBeCloseTo(mean, 12);
    expect(failed.text).toBe(`FailedLogons 1256 vs this user's mean ${mean.toFixed(1)}`);
  });

  it('is the ranking the report shows: a view carries it when the row was explained, and only then', async () => {
    const result = await huntUserDays(isoforest, tableOf(demo), { explain: 'flagged', top: 1 });
    const [explained, unexplained] = [result.ranking[0], result.ranking.at(-1)!];
    expect(Number.isNaN(result.shap[0][unexplained])).toBe(true);
    expect(userDayView(result, explained).contributions).toEqual(
      topContributions(result, explained).map(({ feature, shap }) => ({ feature, shap })),
    );
    expect(userDayView(result, unexplained)).not.toHaveProperty('contributions');
    expect(topContributions(result, unexplained)).toEqual([]);
    const report = toHuntReport(result, { source: 'test', generatedAt: '2026-01-01T00:00:00Z' });
    expect(report.rows[0].contributions).toEqual(userDayView(result, explained).contributions);
  });
});
