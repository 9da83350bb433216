import { Int64, Int8, Table, Uint16, Utf8, vectorFromArray } from 'apache-arrow';
import { describe, expect, it } from 'vitest';
import {
  FeatureError,
  MODEL_FEATURES,
  buildFeatureTable,
  clippedLogZscore,
  groupRowsByUser,
  modelFeatureColumns,
} from '../src/index.js';
import { userDayTable } from './userDayTable.js';

const column = (table: Table, name: string): number[] => {
  const vector = table.getChild(name)!;
  return Array.from({ length: vector.length }, (_, row) => vector.get(row) as number);
};

describe('clippedLogZscore', () => {
  it('log-scales the z-score clipped at 0', () => {
    // (7 - 3) / 2 = 2 standard deviations above the mean -> log10(3).
    expect(clippedLogZscore(7, 3, 2)).toBe(Math.log10(3));
    // Below the mean clips to 0 -> log10(1) = 0.
    expect(clippedLogZscore(1, 3, 2)).toBe(0);
    expect(clippedLogZscore(3, 3, 2)).toBe(0);
  });

  it('log-scales the value itself when the std is 0 or NaN', () => {
    expect(clippedLogZscore(9, 9, 0)).toBe(1); // log10(9 + 1)
    expect(clippedLogZscore(0, 0, 0)).toBe(0);
    expect(clippedLogZscore(99, 99, NaN)).toBe(2);
    expect(clippedLogZscore(0, 0, NaN)).toBe(0);
  });
});

describe('buildFeatureTable, hand-checked', () => {
  it('gives a one-row user NaN std and the log of its counts', () => {
    const out = buildFeatureTable(userDayTable([{ user: 'solo', failed: 9, successful: 0, computers: 999, ips: 0 }]));
    expect(column(out, 'FailedLogons_mean')).toEqual([9]);
    expect(column(out, 'FailedLogons_std')[0]).toBeNaN();
    expect(column(out, 'FailedLogons_zscore')).toEqual([1]);
    expect(column(out, 'SuccessfulLogons_zscore')).toEqual([0]);
    expect(column(out, 'ComputersSuccessfulAccess_zscore')).toEqual([3]);
    expect(column(out, 'SrcIpSuccessfulAccess_zscore')).toEqual([0]);
  });

  it('applies the zero-std rule to a constant user, zero or not', () => {
    const out = buildFeatureTable(
      userDayTable([
        { user: 'steady', failed: 0, successful: 99 },
        { user: 'steady', failed: 0, successful: 99 },
        { user: 'steady', failed: 0, successful: 99 },
      ]),
    );
    expect(column(out, 'SuccessfulLogons_std')).toEqual([0, 0, 0]);
    expect(column(out, 'SuccessfulLogons_zscore')).toEqual([2, 2, 2]);
    expect(column(out, 'FailedLogons_zscore')).toEqual([0, 0, 0]);
  });

  it('computes mean, ddof=1 std and z-scores per (domain, user), not per user name', () => {
    // Values 1, 2, 6: mean 3, sample variance ((-2)^2 + (-1)^2 + 3^2) / 2 = 7, std sqrt(7).
    const out = buildFeatureTable(
      userDayTable([
        { user: 'a', failed: 1 },
        { user: 'a', domain: 'OTHER', failed: 100 },
        { user: 'a', failed: 2 },
        { user: 'a', failed: 6 },
      ]),
    );
    expect(column(out, 'FailedLogons_mean')).toEqual([3, 100, 3, 3]);
    const std = Math.sqrt(7);
    expect(column(out, 'FailedLogons_std')[0]).toBeCloseTo(std, 15);
    expect(column(out, 'FailedLogons_std')[1]).toBeNaN();
    const z = column(out, 'FailedLogons_zscore');
    expect(z[0]).toBe(0);
    expect(z[1]).toBe(Math.log10(101));
    expect(z[2]).toBe(0);
    expect(z[3]).toBeCloseTo(Math.log10(3 / std + 1), 15);
  });

  it('reads 64-bit and 8-bit integer counts exactly', () => {
    const big = 2 ** 40 + 3;
    const out = buildFeatureTable(
      userDayTable(
        [
          { user: 'a', failed: big },
          { user: 'a', failed: big },
        ],
        new Int64(),
      ),
    );
    expect(column(out, 'FailedLogons_mean')).toEqual([big, big]);
    const small = buildFeatureTable(
      userDayTable(
        [
          { user: 'a', failed: 5 },
          { user: 'a', failed: 7 },
        ],
        new Int8(),
      ),
    );
    expect(column(small, 'FailedLogons_mean')).toEqual([6, 6]);
  });

  it('keeps an empty table empty', () => {
    const out = buildFeatureTable(userDayTable([]));
    expect(out.numRows).toBe(0);
    expect(out.getChild('FailedLogons_zscore')?.length).toBe(0);
  });
});

describe('groupRowsByUser', () => {
  it('numbers (domain, user) pairs by first appearance, comparing UTF-8 bytes', () => {
    const table = userDayTable([
      { user: 'b' },
      { user: 'a' },
      { user: 'b' },
      { user: 'é' },
      { user: 'a', domain: 'X' },
      { user: 'é' },
      { user: '' },
    ]);
    const { groupOf, groups } = groupRowsByUser(table);
    expect(Array.from(groupOf)).toEqual([0, 1, 0, 2, 3, 2, 4]);
    expect(groups).toBe(5);
  });

  it('keeps thousands of users apart (hash table growth)', () => {
    const rows = Array.from({ length: 20000 }, (_, i) => ({ user: `user-${i % 5000}`, domain: `D${i % 3}` }));
    const { groupOf, groups } = groupRowsByUser(userDayTable(rows));
    // i mod 5000 and i mod 3 together are i mod 15000: 15000 groups, row i in the group of row i mod 15000.
    expect(groups).toBe(15000);
    for (let i = 15000; i < 20000; i++) expect(groupOf[i]).toBe(groupOf[i - 15000]);
  });

  it('keeps pairs apart among millions of possible combinations of domain and user', () => {
    // 2100 domains x 2100 users = 4.41 million combinations, of which 4200 rows hold 2100.
    const rows = Array.from({ length: 4200 }, (_, i) => ({ user: `u${i % 2100}`, domain: `d${(i * 11) % 2100}` }));
    const { groupOf, groups } = groupRowsByUser(userDayTable(rows));
    // Row i is the pair (user i mod 2100, domain 11i mod 2100): 11 is prime to 2100, so all 2100 domains occur, and
    // row i + 2100 repeats the pair of row i.
    expect(groups).toBe(2100);
    for (let i = 0; i < 2100; i++) expect(groupOf[i]).toBe(i);
    for (let i = 2100; i < 4200; i++) expect(groupOf[i]).toBe(groupOf[i - 2100]);
  });
});

describe('bad input', () => {
  const catchError = (run: () => unknown): FeatureError => {
    try {
      run();
    } catch (error) {
      if (error instanceof FeatureError) return error;
      throw error;
    }
    throw new Error('no error thrown');
  };

  it('names a missing column', () => {
    const table = userDayTable([{ user: 'a' }]).select(['DstDomain', 'DstUser', 'SuccessfulLogons']);
    const error = catchError(() => buildFeatureTable(table));
    expect(error.column).toBe('FailedLogons');
    expect(error.message).toMatch(
      /^missing column FailedLogons \(the table has columns DstDomain, DstUser, SuccessfulLogons\)$/,
    );
  });

  it('names the row and column of a null count', () => {
    const error = catchError(() => buildFeatureTable(userDayTable([{ user: 'a' }, { user: 'a', computers: null }])));
    expect([error.column, error.row]).toEqual(['ComputersSuccessfulAccess', 1]);
    expect(error.message).toBe('column ComputersSuccessfulAccess, row 1: count is null');
  });

  it('names the row of a negative or NaN count', () => {
    expect(
      catchError(() => buildFeatureTable(userDayTable([{ user: 'a' }, { user: 'a' }, { user: 'a', ips: -1 }]))).row,
    ).toBe(2);
    const error = catchError(() => buildFeatureTable(userDayTable([{ user: 'a', failed: NaN }])));
    expect([error.column, error.row]).toEqual(['FailedLogons', 0]);
  });

  it('names a non-numeric count column', () => {
    const table = userDayTable([{ user: 'a' }]).assign(new Table({ FailedLogons: vectorFromArray(['3'], new Utf8()) }));
    const error = catchError(() => buildFeatureTable(table));
    expect(error.column).toBe('FailedLogons');
    expect(error.message).toMatch(/^column FailedLogons has type Utf8; expected an integer or float count$/);
    const half = userDayTable([{ user: 'a' }], new Uint16()).assign(
      new Table({ SrcIpSuccessfulAccess: vectorFromArray([1], new Utf8()) }),
    );
    expect(catchError(() => buildFeatureTable(half)).column).toBe('SrcIpSuccessfulAccess');
  });

  it('names the row of a null user key', () => {
    const table = userDayTable([{ user: 'a' }, { user: 'b' }]).assign(
      new Table({ DstUser: vectorFromArray(['a', null], new Utf8()) }),
    );
    const error = catchError(() => groupRowsByUser(table));
    expect([error.column, error.row]).toEqual(['DstUser', 1]);
  });

  it('refuses a table that already has the derived columns', () => {
    const features = buildFeatureTable(userDayTable([{ user: 'a' }]));
    expect(catchError(() => buildFeatureTable(features)).column).toBe('FailedLogons_mean');
  });
});

describe('modelFeatureColumns', () => {
  it('returns the six features in model order, nulls in the raw counts as 0', () => {
    const features = buildFeatureTable(
      userDayTable([
        { user: 'a', domains: 2, hosts: null },
        { user: 'a', domains: null, hosts: 5 },
      ]),
    );
    const columns = modelFeatureColumns(features);
    expect(columns).toHaveLength(MODEL_FEATURES.length);
    expect(Array.from(columns[MODEL_FEATURES.indexOf('ComputerDomainsSuccessfulAccess')])).toEqual([2, 0]);
    expect(Array.from(columns[MODEL_FEATURES.indexOf('SrcHostNameSuccessfulAccess')])).toEqual([0, 5]);
  });
});
