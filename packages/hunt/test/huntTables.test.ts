import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { loadIsoforest } from '@isoforest/core';
import { readAll, readUserDayCsv } from '@isoforest/ingest';
import { huntUserDays, outliersTable, scoresTable } from '../src/index.js';

const DEMO = fileURLToPath(new URL('../../../fixtures/demo/iforest-demo-data.csv', import.meta.url));

describe('the hunt as tables, and the feature set', () => {
  it('fits on the chosen columns, scores every row, and lists the flagged rows ranked with their SHAP values', async () => {
    const isoforest = await loadIsoforest();
    const table = await readAll(readUserDayCsv(DEMO));
    const features = ['FailedLogons', 'DistinctSrcIp', 'SuccessfulLogons_zscore'];
    const result = await huntUserDays(isoforest, table, { features, contamination: 0.05 });
    expect(result.model.featureNames).toEqual(features);

    const scored = scoresTable(result);
    expect(scored.numRows).toBe(table.numRows);
    expect(scored.schema.fields.slice(-4).map((f) => f.name)).toEqual([
      'score_samples',
      'decision_function',
      'predict',
      'score',
    ]);
    expect(Array.from(scored.getChild('score')!.toArray() as Float64Array)).toEqual(Array.from(result.scores.score));

    const outliers = outliersTable(result, scored);
    const flagged = result.ranking.filter((row) => result.scores.predict[row] === -1);
    expect(outliers.numRows).toBe(result.counts.outliers);
    expect(outliers.numRows).toBeGreaterThan(2);
    expect(outliers.schema.fields.slice(-4).map((f) => f.name)).toEqual([
      ...features.map((f) => `shap_${f}`),
      'expected_value',
    ]);
    // Every column of the scored table, of the same type, with the flagged rows' values (NaN and -0 kept).
    for (const field of scored.schema.fields) {
      expect(String(outliers.getChild(field.name)!.type), field.name).toBe(String(field.type));
      const column = scored.getChild(field.name)!;
      const expected = Array.from(flagged, (row) => column.get(row));
      const actual = Array.from(flagged, (_, k) => outliers.getChild(field.name)!.get(k));
      expect(
        actual.every((value, k) => Object.is(value, expected[k]) || String(value) === String(expected[k])),
        field.name,
      ).toBe(true);
    }
    flagged.forEach((row, k) => {
      expect(outliers.getChild('DstUser')!.get(k)).toBe(table.getChild('DstUser')!.get(row));
      expect(outliers.getChild('score')!.get(k)).toBe(result.scores.score[row]);
      features.forEach((f, c) => expect(outliers.getChild(`shap_${f}`)!.get(k)).toBe(result.shap[c][row]));
      expect(outliers.getChild('expected_value')!.get(k)).toBe(result.model.expectedValue);
    });
  });
});
