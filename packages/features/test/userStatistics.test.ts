import { Dictionary, Int32, Table, Utf8, makeData, makeVector, vectorFromArray, type Vector } from 'apache-arrow';
import { describe, expect, it } from 'vitest';
import {
  DERIVED_COLUMNS,
  MODEL_FEATURES,
  USER_KEY_COLUMNS,
  UserStatisticsBuilder,
  buildFeatureTable,
  rowsWithSuccessfulLogons,
  type UserStatistics,
} from '../src/index.js';
import { demoUserDays, dictionaryEncode } from './demoData.js';

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

  it('refuses rows past the first read of the input: the input changed between reads', () => {
    const builder = new UserStatisticsBuilder();
    const batches = batchesOf(userDays, 50);
    builder.add(batches[0]);
    const statistics = builder.finish();
    expect(() => statistics.featureBatch(batches[1], 50)).toThrow(
      'rows 50 to 99 reach past the 50 rows of the first read of the input: the input changed while it was read',
    );
    expect(() => statistics.featureRows(batches[0], 1, [0], MODEL_FEATURES)).toThrow(
      'rows 1 to 50 reach past the 50 rows of the first read of the input',
    );
  });

  it('refuses a row whose user is not the one the first read found there, and only when it reads that row', () => {
    const statistics = statisticsOf(batchesOf(userDays, 50));
    const batch = batchesOf(userDays, 50)[1];
    // Row 7 of the batch (row 57) takes the user of a later row of another user: one the first read met, but not
    // in this row.
    const users = Array.from(batch.getChild('DstUser')!, String);
    const other = users.findIndex((user, i) => i > 7 && user !== users[7]);
    const changed = users.map((user, i) => (i === 7 ? users[other] : user));
    const edited = batch.assign(new Table({ DstUser: vectorFromArray(changed, new Utf8()) }));
    const message =
      'row 57 holds another user than the first read of the input did: the input changed while it was read';
    expect(() => statistics.featureBatch(edited, 50)).toThrow(message);
    expect(() => statistics.features(edited, 50)).toThrow(message);
    expect(() => statistics.featureRows(edited, 50, [2, 7], MODEL_FEATURES)).toThrow(message);
    // The rows it does not read are not checked; the untouched batch is the first read's.
    const rows = [0, 6, 8];
    expect(statistics.featureRows(edited, 50, rows, MODEL_FEATURES)).toEqual(
      statistics.featureRows(batch, 50, rows, MODEL_FEATURES),
    );
    expect(derivedValues(statistics.featureBatch(batch, 50))).toEqual(derivedValues(whole.slice(50, 100)));
  });

  /** The statistics of `batches`, streamed in order. */
  function statisticsOf(batches: Table[]): UserStatistics {
    const builder = new UserStatisticsBuilder();
    for (const batch of batches) builder.add(batch);
    return builder.finish();
  }

  /** `expect`s the two arrays to hold the same values, Object.is per element (0 is not -0, NaN is NaN). */
  function expectSame(actual: ArrayLike<unknown>, expected: ArrayLike<unknown>, what: string): void {
    expect(actual.length, what).toBe(expected.length);
    for (let i = 0; i < expected.length; i++)
      if (!Object.is(actual[i], expected[i]))
        expect({ what, i, value: actual[i] }).toEqual({ what, i, value: expected[i] });
  }

  it('gives the model columns alone, and the result rows, as the whole feature table has them', () => {
    const batches = batchesOf(userDays, 40);
    const statistics = statisticsOf(batches);
    let firstRow = 0;
    for (const batch of batches) {
      const features = statistics.features(batch, firstRow);
      const rows = whole.slice(firstRow, firstRow + batch.numRows);
      for (const name of [...MODEL_FEATURES, ...DERIVED_COLUMNS]) {
        const column = features.column(name)!;
        const values = column instanceof Float64Array ? column : Array.from(column as Vector, Number);
        expectSame(values, Array.from(rows.getChild(name)!, Number), name);
      }
      expect(features.column('no such column')).toBeNull();
      expectSame(features.resultRows(), rowsWithSuccessfulLogons(rows), 'result rows');
      firstRow += batch.numRows;
    }
  });

  it('gives the features of chosen rows only, to the bit', () => {
    const batches = batchesOf(userDays, 64);
    const statistics = statisticsOf(batches);
    let firstRow = 0;
    for (const batch of batches) {
      // Every third row, and the last: rows of several users, some of them once.
      const rows = Int32Array.from({ length: batch.numRows }, (_, i) => i).filter(
        (i) => i % 3 === 1 || i === batch.numRows - 1,
      );
      const values = statistics.featureRows(batch, firstRow, rows, MODEL_FEATURES);
      MODEL_FEATURES.forEach((name, c) => {
        const column = whole.getChild(name)!;
        expectSame(
          values[c],
          Array.from(rows, (i) => Number(column.get(firstRow + i))),
          name,
        );
      });
      firstRow += batch.numRows;
    }
  });

  it('groups dictionary-encoded keys, with a dictionary per batch or one grown by deltas, as plain strings', () => {
    const type = new Dictionary(new Utf8(), new Int32());
    const keys = (table: Table, name: string) => Array.from(table.getChild(name)!) as string[];
    // Each batch with a dictionary of its own, in another order.
    const ownDictionaries = batchesOf(userDays, 50).map((batch) =>
      batch.assign(
        new Table(
          Object.fromEntries(
            USER_KEY_COLUMNS.map((name) => [name, makeVector(dictionaryEncode(keys(batch, name), type))]),
          ),
        ),
      ),
    );
    // Every batch's users from one dictionary in two chunks, the second added after the first batch (a delta).
    const users = keys(userDays, 'DstUser');
    const firstUsers = [...new Set(users.slice(0, 50))];
    const laterUsers = [...new Set(users)].filter((user) => !firstUsers.includes(user));
    const dictionary = makeVector([
      vectorFromArray(firstUsers, new Utf8()).data[0],
      vectorFromArray(laterUsers, new Utf8()).data[0],
    ]);
    const entries = [...firstUsers, ...laterUsers];
    const oneDictionary = batchesOf(userDays, 50).map((batch) => {
      const indices = Int32Array.from(keys(batch, 'DstUser'), (user) => entries.indexOf(user));
      const data = makeData({ type, data: indices, dictionary, length: batch.numRows, nullCount: 0 });
      return batch.assign(new Table({ DstUser: makeVector(data) }));
    });
    const domains = keys(userDays, 'DstDomain');
    const distinctUsers = new Set(keys(userDays, 'DstUser').map((user, row) => `${domains[row]}\u0000${user}`)).size;
    for (const batches of [ownDictionaries, oneDictionary]) {
      const statistics = statisticsOf(batches);
      expect(statistics.users).toBe(distinctUsers);
      const streamed: number[] = [];
      let firstRow = 0;
      for (const batch of batches) {
        const piece = derivedValues(statistics.featureBatch(batch, firstRow));
        streamed.push(...piece['FailedLogons_zscore']);
        firstRow += batch.numRows;
      }
      expectSame(streamed, derivedValues(whole)['FailedLogons_zscore'], 'FailedLogons_zscore');
    }
  });

  it('names the row, counted over all batches, of a null user key', () => {
    const builder = new UserStatisticsBuilder();
    const [first, second] = batchesOf(userDays, 10);
    builder.add(first);
    const users = Array.from(second.getChild('DstUser')!) as (string | null)[];
    users[4] = null;
    const broken = second.assign(new Table({ DstUser: vectorFromArray(users, new Utf8()) }));
    expect(() => builder.add(broken)).toThrow(
      expect.objectContaining({ message: 'column DstUser, row 14: user key is null', row: 14 }),
    );
  });
});
