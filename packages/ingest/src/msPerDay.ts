/**
 * Milliseconds in one day; `Date` values are whole multiples of it. A module without imports, so that the CSV
 * reader's worker threads, which parse dates but build no Arrow data, need not load Arrow (about 0.3 s per thread).
 */
export const MS_PER_DAY = 86_400_000;
