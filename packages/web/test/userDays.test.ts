import { describe, expect, it } from 'vitest';
import type { UserDayResult } from '@isoforest/report/browser';
import { filterRows, flaggedChanges, userDayKey } from '../src/userDays.js';

const day = (user: string, date: string, anomaly: boolean, failed = 0): UserDayResult => ({
  date,
  domain: 'CONTOSO',
  user,
  score: 0,
  scoreSamples: -0.5,
  anomaly,
  features: [],
  raw: [failed],
  userMeans: {},
});

describe('user-days across hunts', () => {
  it("lists the user-days that entered and left the flagged set, telling a user's two rows of a day apart", () => {
    const before = [day('a', '2022-09-01', true), day('b', '2022-09-01', true), day('b', '2022-09-01', false, 5)];
    const after = [day('b', '2022-09-01', true, 5), day('a', '2022-09-01', true), day('b', '2022-09-01', false)];
    const { entered, left } = flaggedChanges(before, after);
    expect(entered.map(userDayKey)).toEqual([userDayKey(day('b', '2022-09-01', true, 5))]);
    expect(left.map(userDayKey)).toEqual([userDayKey(day('b', '2022-09-01', true))]);
  });

  it('filters by user and domain (any case, substring), date range and flag', () => {
    const rows = [day('Alice', '2022-09-01', false), day('bob', '2022-09-05', true), day('ALICE2', '2022-09-09', true)];
    const none = { user: '', domain: '', from: '', to: '', flaggedOnly: false };
    expect(filterRows(rows, none)).toEqual(rows);
    expect(filterRows(rows, { ...none, user: 'alice' }).map((r) => r.user)).toEqual(['Alice', 'ALICE2']);
    expect(filterRows(rows, { ...none, from: '2022-09-05', to: '2022-09-05' }).map((r) => r.user)).toEqual(['bob']);
    expect(filterRows(rows, { ...none, flaggedOnly: true, user: 'ali' }).map((r) => r.user)).toEqual(['ALICE2']);
    expect(filterRows(rows, { ...none, domain: 'fabrikam' })).toEqual([]);
  });
});
