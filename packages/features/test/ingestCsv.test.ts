import { readAll, readUserDayCsv } from '@isoforest/ingest';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { DERIVED_COLUMNS, buildFeatureTable } from '../src/index.js';
import { demoUserDays } from './demoData.js';

describe('buildFeatureTable on the ingest package output', () => {
  it('gives the same features for the demo CSV read by @isoforest/ingest (Float64 counts, record batches)', async () => {
    const file = fileURLToPath(new URL('../../../fixtures/demo/iforest-demo-data.csv', import.meta.url));
    const userDays = await readAll(readUserDayCsv(file, { batchRows: 50 }));
    expect(userDays.batches.length).toBe(3);
    const fromIngest = buildFeatureTable(userDays);
    const fromTestParser = buildFeatureTable(demoUserDays());
    expect(fromIngest.numRows).toBe(135);
    for (const name of DERIVED_COLUMNS) {
      expect(fromIngest.getChild(name)!.toArray(), name).toEqual(fromTestParser.getChild(name)!.toArray());
    }
  });
});
