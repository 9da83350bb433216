import { MS_PER_DAY } from '../schema.js';
import { formatIsoDate, utcDayStart } from '../timeFormats.js';

/**
 * One Log Analytics request: the events of `[startMs, endMs)` (within one UTC day), optionally only the users
 * with `hash(DstUser, buckets) == bucket`. Because every event of a user-day has the same day and user, a
 * user-day never spans two slices.
 */
export interface QuerySlice {
  readonly startMs: number;
  readonly endMs: number;
  /** Number of user-hash buckets the day is split into; 1 = the whole day. */
  readonly buckets: number;
  readonly bucket: number;
}

/** `2022-09-19` or `2022-09-19 users hash(DstUser, 8) == 3`: how errors and progress name a slice. */
export function sliceLabel(slice: QuerySlice): string {
  const day = formatIsoDate(utcDayStart(slice.startMs));
  return slice.buckets === 1 ? day : `${day} users hash(DstUser, ${slice.buckets}) == ${slice.bucket}`;
}

/** Cuts `[startMs, endMs)` at UTC midnights into one whole-user slice per day, in time order. */
export function daySlices(startMs: number, endMs: number, buckets = 1): QuerySlice[] {
  const slices: QuerySlice[] = [];
  for (let from = startMs; from < endMs; from = utcDayStart(from) + MS_PER_DAY) {
    const to = Math.min(endMs, utcDayStart(from) + MS_PER_DAY);
    for (let bucket = 0; bucket < buckets; bucket++) slices.push({ startMs: from, endMs: to, buckets, bucket });
  }
  return slices;
}

/**
 * Splits a slice into `factor` finer ones. Kusto's `hash(x, n)` is `hash(x) % n`, so the users of bucket `k` of
 * `n` are exactly those of buckets `k + n*j` (j < factor) of `n*factor`: the split is stable and loses no one.
 */
export function splitSlice(slice: QuerySlice, factor: number): QuerySlice[] {
  const buckets = slice.buckets * factor;
  return Array.from({ length: factor }, (_, j) => ({ ...slice, buckets, bucket: slice.bucket + slice.buckets * j }));
}
