import type { UserDayResult } from '@isoforest/report/browser';

/**
 * A user-day's identity across hunts (a hunt ranks the same rows with new scores): date, domain and user, then its
 * daily counts, since a user may have more than one row a day (one per logon type).
 */
export function userDayKey(row: Pick<UserDayResult, 'date' | 'domain' | 'user' | 'raw'>): string {
  return JSON.stringify([row.date, row.domain, row.user, ...row.raw]);
}

/** The flagged user-days of one hunt, by key. */
export function flaggedKeys(rows: readonly UserDayResult[]): Set<string> {
  return new Set(rows.filter((r) => r.anomaly).map(userDayKey));
}

/** User-days that entered and left the flagged set between two hunts, in the new and the old ranking's order. */
export function flaggedChanges(before: readonly UserDayResult[], after: readonly UserDayResult[]) {
  const was = flaggedKeys(before);
  const is = flaggedKeys(after);
  return {
    entered: after.filter((r) => r.anomaly && !was.has(userDayKey(r))),
    left: before.filter((r) => r.anomaly && !is.has(userDayKey(r))),
  };
}

/** What the ranking's filter form holds; empty strings match everything. */
export interface RankingFilter {
  readonly user: string;
  readonly domain: string;
  /** `YYYY-MM-DD` bounds, inclusive. */
  readonly from: string;
  readonly to: string;
  readonly flaggedOnly: boolean;
}

/** The rows that pass `filter`: user and domain by case-insensitive substring, dates within the bounds. */
export function filterRows(rows: readonly UserDayResult[], filter: RankingFilter): UserDayResult[] {
  const user = filter.user.trim().toLowerCase();
  const domain = filter.domain.trim().toLowerCase();
  return rows.filter(
    (r) =>
      (!filter.flaggedOnly || r.anomaly) &&
      (user === '' || r.user.toLowerCase().includes(user)) &&
      (domain === '' || r.domain.toLowerCase().includes(domain)) &&
      (filter.from === '' || r.date >= filter.from) &&
      (filter.to === '' || r.date <= filter.to),
  );
}
