import { Table, makeVector } from 'apache-arrow';
import { describe, expect, it } from 'vitest';
import { DERIVED_COLUMNS, UserStatisticsBuilder, buildFeatureTable } from '../src/index.js';
import { demoUserDays } from './demoData.js';

/** The table's rows as tables of `size` rows (the last one shorter), in order. */
function batchesOf(table: Table, size: number): Table[] {
  const batches: Table[] = [];
  for (let start = 0; start < table.numRows; start += size)
    batches.push(table.slice(start, Math.min(table.numRows, start + size)));
  return batches;
}

/** Every derived column's values, as numbers (Object.is tells 0 from -0 and NaN from NaN). */
function derivedValues(table: Table): Record<string, number[]> {
  return Object.fromEntries(DERIVED_COLUMNS.map((name) => [name, Array.from(table.getChild(name)!, Number)]));
}

describe('UserStatistics: per-user statistics streamed over record batches', () => {
  const userDays = demoUserDays();
  const whole = buildFeatureTable(userDays);

  it.each([1, 7, 100, 5000])("gives buildFeatureTable's features to the bit with batches of %i rows", (size) => {
    const builder = new UserStatisticsBuilder();
    const batches = batchesOf(userDays, size);
    for (const batch of batches) builder.add(batch);
    const statistics = builder.finish();
    expect(statistics.rows).toBe(userDays.numRows);
    let firstRow = 0;
    const streamed: Record<string, number[]> = Object.fromEntries(DERIVED_COLUMNS.map((name) => [name, []]));
    for (const batch of batches) {
      const piece = derivedValues(statistics.featureBatch(batch, firstRow));
      for (const name of DERIVED_COLUMNS) streamed[name].push(...piece[name]);
      firstRow += batch.numRows;
    }
    const expected = derivedValues(whole);
    for (const name of DERIVED_COLUMNS) {
      expect(streamed[name].length).toBe(expected[name].length);
      expect(streamed[name].every((v, i) => Object.is(v, expected[name][i]))).toBe(true);
    }
  });

  it('names the row, counted over all batches, of a bad count', () => {
    const builder = new UserStatisticsBuilder();
    const [first, second] = batchesOf(userDays, 10);
    builder.add(first);
    const failed = Int32Array.from(second.getChild('FailedLogons')!, Number);
    failed[9] = -3;
    const broken = second.assign(new Table({ FailedLogons: makeVector(failed) }));
    expect(() => builder.add(broken)).toThrow(
      expect.objectContaining({
        message: 'column FailedLogons, row 19: count -3 is not a finite non-negative number',
        row: 19,
      }),
    );
  });

  it('refuses a batch with a user the first pass did not see: the input changed between reads', () => {
    const builder = new UserStatisticsBuilder();
    const batches = batchesOf(userDays, 50);
    builder.add(batches[0]);
    const statistics = builder.finish();
    const unseen = batches.findIndex(
      (batch, k) =>
        k > 0 &&
        Array.from(batch.getChild('DstUser')!).some((u) => !Array.from(batches[0].getChild('DstUser')!).includes(u)),
    );
    expect(() => statistics.featureBatch(batches[unseen], 50 * unseen)).toThrow(/the input changed while it was read/);
  });
});
