import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { MODEL_FEATURES } from '@isoforest/features';
import { anomalyRecords } from '@isoforest/publish';
import { describe, expect, it } from 'vitest';
import { loadIsoforest } from '@isoforest/core';
import { huntUserDays } from '@isoforest/hunt';
import { readAll, readUserDayCsv } from '@isoforest/ingest';
import { huntAnomalyRecords, modelId } from '../src/hunt/toSentinel.js';
import { EXIT } from '../src/exitCodes.js';
import { readTable } from '../src/io/tableReader.js';
import { fixture, runCli, tempDir } from './support/runCli.js';

describe('isoforest publish', () => {
  it("turns a hunt's outliers.csv into Sentinel rows whose SHAP values add up to each row's mean path length", async () => {
    const dir = tempDir();
    const model = fixture('golden', 'notebook-demo', 'model.json');
    const hunt = await runCli(['hunt', '--model', model, '--output-dir', dir, '--json', '--quiet']);
    expect(hunt.code, hunt.stderr).toBe(EXIT.ok);
    const document = JSON.parse(hunt.stdout) as {
      model: { expectedValue: number };
      outliers: { DstUser: string; score: number }[];
    };
    const table = await readTable(join(dir, 'outliers.csv'), {
      numericColumns: [
        ...MODEL_FEATURES,
        ...MODEL_FEATURES.map((f) => `shap_${f}`),
        'decision_function',
        'score',
        'score_samples',
        'expected_value',
      ],
    });
    const records = anomalyRecords(table, { timeGeneratedMs: 0, modelId: 'm', runId: 'r', topContributions: 6 });
    expect(records.map((r) => r.DstUser)).toEqual(document.outliers.map((o) => o.DstUser));
    records.forEach((record, k) => {
      expect(record.Score).toBe(document.outliers[k]!.score);
      expect(record.ExpectedValue).toBe(document.model.expectedValue);
      // The notebook's SRVACC-04 spike: its failed logons push hardest toward anomalous (README's worked example).
      if (record.DstUser === 'SRVACC-04')
        expect((record.TopContributions as { feature: string }[])[0]!.feature).toBe('FailedLogons_zscore');
    });
    // The file's expected_value completes each row's explanation: score_samples = -2^(-(sum(shap) + expected) / c(135)).
    const c = 2 * (Math.log(134) + 0.5772156649015329) - (2 * 134) / 135;
    for (let row = 0; row < table.numRows; row++) {
      const meanPath = MODEL_FEATURES.reduce(
        (sum, f) => sum + Number(table.getChild(`shap_${f}`)!.get(row)),
        Number(table.getChild('expected_value')!.get(row)),
      );
      expect(-(2 ** (-meanPath / c))).toBeCloseTo(Number(table.getChild('score_samples')!.get(row)), 9);
    }
    // hunt --to-sentinel builds the same rows from the hunt in memory as publish does from its file.
    const isoforest = await loadIsoforest();
    const result = await huntUserDays(
      isoforest,
      await readAll(readUserDayCsv(fixture('demo', 'iforest-demo-data.csv'))),
      {
        model: isoforest.importSklearn(readFileSync(model, 'utf8')),
      },
    );
    const inMemory = huntAnomalyRecords(
      result,
      result.ranking.filter((row) => result.scores.predict[row] === -1),
      'r',
      0,
    );
    const fromFile = anomalyRecords(table, { timeGeneratedMs: 0, modelId: modelId(result.model.save()), runId: 'r' });
    expect(inMemory).toEqual(fromFile);
    expect(inMemory[0]!.ModelId).toMatch(/^[0-9a-f]{16}$/);
  }, 120_000);

  it('refuses what it cannot send before reaching the service', async () => {
    const dir = tempDir();
    const input = join(dir, 'outliers.csv');
    writeFileSync(input, 'Date,DstDomain,DstUser\n2022-09-16,D,u\n');
    const base = ['publish', '--input', input, '--dce', 'https://dce.example', '--dcr', 'dcr-1'];
    expect(await runCli([...base])).toMatchObject({
      code: EXIT.usage,
      stderr: expect.stringContaining('exactly one of --model and --model-id'),
    });
    expect(
      await runCli(['publish', '--input', input, '--dce', 'http://dce.example', '--dcr', 'dcr-1', '--model-id', 'm']),
    ).toMatchObject({
      code: EXIT.usage,
      stderr: expect.stringContaining('--dce must be an https:// URL'),
    });
    expect(await runCli(['hunt', '--to-sentinel', '--dcr', 'dcr-1'])).toMatchObject({
      code: EXIT.usage,
      stderr: expect.stringContaining('needs --dce URL and --dcr ID'),
    });
    const missing = await runCli([...base, '--model-id', 'm']);
    expect(missing.code).toBe(EXIT.badInput);
    expect(missing.stderr).toContain(input);
    expect(missing.stderr).toContain('missing column');
  });
});
