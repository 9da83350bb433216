/**
 * Windows FILETIME (100-nanosecond ticks since 1601-01-01 UTC, an unsigned 64-bit integer read as two u32 halves)
 * converted without BigInt and without losing precision: ticks exceed 2^53, so they are never formed as one
 * double. Formatting uses integer calendar arithmetic rather than `Date`, as it runs for every record.
 */

/** Milliseconds from 1601-01-01 to 1970-01-01. */
const EPOCH_DIFF_MS = 11_644_473_600_000;
/** 2^32 = 429496 * 10000 + 7296, which lets ticks / 10000 be split into exact pieces. */
const HI_MS = 429_496;
const HI_REM = 7_296;
const TICKS_PER_MS = 10_000;
const MS_PER_DAY = 86_400_000;

/** A FILETIME split into its high and low unsigned 32-bit halves. */
export interface FileTime {
  readonly hi: number;
  readonly lo: number;
}

/** Milliseconds since the Unix epoch (UTC), rounded down; negative before 1970. */
export function fileTimeToMs(hi: number, lo: number): number {
  const low = hi * HI_REM + lo; // < 2^45: exact
  return hi * HI_MS + Math.floor(low / TICKS_PER_MS) - EPOCH_DIFF_MS;
}

/** The ticks below the millisecond returned by `fileTimeToMs`: 0..9999, in 100 ns units. */
function fileTimeSubMsTicks(hi: number, lo: number): number {
  return (hi * HI_REM + lo) % TICKS_PER_MS;
}

/**
 * ISO-8601 UTC with all seven fractional digits the FILETIME carries, e.g. `2015-08-24T06:51:38.4062480Z`.
 */
export function fileTimeToIso(hi: number, lo: number): string {
  const ms = fileTimeToMs(hi, lo);
  const msOfSecond = ms - Math.floor(ms / 1000) * 1000;
  return `${dateTimeText(ms - msOfSecond, 'T')}.${pad(msOfSecond * TICKS_PER_MS + fileTimeSubMsTicks(hi, lo), 7)}Z`;
}

/**
 * The form python-evtx (and so the derived JSON lines) gives a timestamp: `YYYY-MM-DD HH:MM:SS.ffffff` in UTC,
 * no fraction at all when it is zero (Python's `datetime.isoformat(' ')`). Microseconds are truncated from the
 * exact ticks; python-evtx itself goes through a double and can be up to 2 us off. FILETIME 0 renders as
 * `0001-01-01 00:00:00`, python-evtx's `datetime.min`.
 */
export function fileTimeToPythonText(hi: number, lo: number): string {
  if (hi === 0 && lo === 0) return '0001-01-01 00:00:00';
  const ms = fileTimeToMs(hi, lo);
  const msOfSecond = ms - Math.floor(ms / 1000) * 1000;
  return pythonDateTimeText(ms - msOfSecond, msOfSecond * 1000 + Math.floor(fileTimeSubMsTicks(hi, lo) / 10));
}

/**
 * `YYYY-MM-DD HH:MM:SS[.ffffff]` for a whole-second time (ms since the epoch, UTC) plus microseconds, as
 * Python's `datetime.isoformat(' ')` writes it.
 */
export function pythonDateTimeText(wholeSecondMs: number, micros: number): string {
  const base = dateTimeText(wholeSecondMs, ' ');
  return micros === 0 ? base : `${base}.${pad(micros, 6)}`;
}

/** `YYYY-MM-DD<sep>HH:MM:SS` of a time in ms since the epoch, UTC (proleptic Gregorian; years 0..9999 padded). */
function dateTimeText(ms: number, separator: string): string {
  const days = Math.floor(ms / MS_PER_DAY);
  const secondOfDay = Math.floor((ms - days * MS_PER_DAY) / 1000);
  // Days since 1970-01-01 to year / month / day (H. Hinnant's civil_from_days).
  const z = days + 719_468;
  const era = Math.floor(z / 146_097);
  const dayOfEra = z - era * 146_097;
  const yearOfEra = Math.floor(
    (dayOfEra - Math.floor(dayOfEra / 1460) + Math.floor(dayOfEra / 36_524) - Math.floor(dayOfEra / 146_096)) / 365,
  );
  const dayOfYear = dayOfEra - (365 * yearOfEra + Math.floor(yearOfEra / 4) - Math.floor(yearOfEra / 100));
  const mp = Math.floor((5 * dayOfYear + 2) / 153);
  const day = dayOfYear - Math.floor((153 * mp + 2) / 5) + 1;
  const month = mp < 10 ? mp + 3 : mp - 9;
  const year = yearOfEra + era * 400 + (month <= 2 ? 1 : 0);
  const h = Math.floor(secondOfDay / 3600);
  const m = Math.floor((secondOfDay % 3600) / 60);
  return `${pad(year, 4)}-${pad(month, 2)}-${pad(day, 2)}${separator}${pad(h, 2)}:${pad(m, 2)}:${pad(secondOfDay % 60, 2)}`;
}

function pad(n: number, width: number): string {
  const s = String(n);
  return s.length >= width ? s : '0000000'.slice(0, width - s.length) + s;
}
