import { MS_PER_DAY } from '@isoforest/ingest';

/** Is the UTC day starting at `dayStartMs` a Saturday or a Sunday? */
export function isWeekend(dayStartMs: number): boolean {
  // Day 0 of the epoch, 1970-01-01, was a Thursday: days 2 and 3 (mod 7) are Saturday and Sunday.
  const weekday = ((Math.floor(dayStartMs / MS_PER_DAY) % 7) + 7) % 7;
  return weekday === 2 || weekday === 3;
}
