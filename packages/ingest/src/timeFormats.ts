/**
 * Parsers for the date and time spellings the sources meet, all to milliseconds since the Unix epoch, UTC.
 * Timestamps keep their sub-millisecond digits as a fraction of a millisecond (python-evtx writes microseconds),
 * so a span between two events can be rounded once, at the end; Arrow `Timestamp(ms)` columns truncate.
 * Each parser returns `null` for anything it does not accept, so callers can name the file, row and column.
 */
import { MS_PER_DAY } from './schema.js';

const US_DATE = /^(\d{1,2})\/(\d{1,2})\/(\d{4})$/;
const ISO_DATE = /^(\d{4})-(\d{2})-(\d{2})(?:[T ]00:00(?::00(?:\.0+)?)?(?:Z|[+-]00:?00)?)?$/;
const US_TIMESTAMP = /^(\d{1,2})\/(\d{1,2})\/(\d{4}),? (\d{1,2}):(\d{2}):(\d{2})(?:\.(\d+))? ([AP]M)$/i;
const ISO_TIMESTAMP =
  /^(\d{4})-(\d{2})-(\d{2})[T ](\d{2}):(\d{2})(?::(\d{2})(?:\.(\d+))?)?(Z|[+-]\d{2}(?::?\d{2})?)?$/i;

function daysInMonth(year: number, month: number): number {
  return new Date(Date.UTC(year, month, 0)).getUTCDate();
}

/** ms of UTC midnight of a calendar date, or null if the date does not exist. */
function utcMidnight(year: number, month: number, day: number): number | null {
  if (month < 1 || month > 12 || day < 1 || day > daysInMonth(year, month)) return null;
  const d = new Date(0);
  d.setUTCFullYear(year, month - 1, day);
  return d.getTime();
}

/** Fractional-second digits -> ms, keeping up to 100 ns (7 digits, Kusto's tick) as a fraction. */
function fractionMs(digits: string | undefined): number {
  if (digits === undefined) return 0;
  const ticks = Number((digits + '000000').slice(0, 7));
  return ticks / 10_000;
}

function clockMs(hour: number, minute: number, second: number, fraction: string | undefined): number | null {
  if (hour > 23 || minute > 59 || second > 59) return null;
  return ((hour * 60 + minute) * 60 + second) * 1000 + fractionMs(fraction);
}

/** `-05:00`, `+0530`, `+01`, `Z` or none (UTC) -> offset in ms east of UTC. */
function zoneOffsetMs(zone: string | undefined): number | null {
  if (zone === undefined || zone.toUpperCase() === 'Z') return 0;
  const m = /^([+-])(\d{2}):?(\d{2})?$/.exec(zone);
  if (m === null) return null;
  const hours = Number(m[2]);
  const minutes = Number(m[3] ?? '0');
  if (hours > 23 || minutes > 59) return null;
  return (m[1] === '-' ? -1 : 1) * (hours * 60 + minutes) * 60_000;
}

/**
 * A calendar date, US `M/D/YYYY` (`9/19/2022`) or ISO `YYYY-MM-DD` (optionally with a midnight time as Log
 * Analytics writes `datetime` day bins) -> ms of that day's UTC midnight.
 */
export function parseUtcDate(text: string): number | null {
  let m = US_DATE.exec(text);
  if (m !== null) return utcMidnight(Number(m[3]), Number(m[1]), Number(m[2]));
  m = ISO_DATE.exec(text);
  if (m !== null) return utcMidnight(Number(m[1]), Number(m[2]), Number(m[3]));
  return null;
}

/**
 * A point in time -> ms since the epoch, UTC, possibly with a fraction of a millisecond. Accepts the Log Analytics export spelling
 * `9/19/2022, 11:29:46.297 PM` (UTC), and ISO 8601 `2022-09-19T23:29:46.297Z` / `2022-09-19 23:29:46.297000`
 * with an optional zone offset; a time without a zone is taken as UTC (python-evtx and the `[UTC]` columns
 * write UTC without saying so).
 */
export function parseUtcTimestamp(text: string): number | null {
  let m = US_TIMESTAMP.exec(text);
  if (m !== null) {
    const day = utcMidnight(Number(m[3]), Number(m[1]), Number(m[2]));
    const hour12 = Number(m[4]);
    if (day === null || hour12 < 1 || hour12 > 12) return null;
    const hour = (hour12 % 12) + (m[8]!.toUpperCase() === 'PM' ? 12 : 0);
    const clock = clockMs(hour, Number(m[5]), Number(m[6]), m[7]);
    return clock === null ? null : day + clock;
  }
  m = ISO_TIMESTAMP.exec(text);
  if (m !== null) {
    const day = utcMidnight(Number(m[1]), Number(m[2]), Number(m[3]));
    const clock = clockMs(Number(m[4]), Number(m[5]), Number(m[6] ?? '0'), m[7]);
    const offset = zoneOffsetMs(m[8]);
    if (day === null || clock === null || offset === null) return null;
    return day + clock - offset;
  }
  return null;
}

/** The UTC midnight that starts the day containing `timeMs` (Kusto `bin(t, 1d)`). */
export function utcDayStart(timeMs: number): number {
  return Math.floor(timeMs / MS_PER_DAY) * MS_PER_DAY;
}

/** `YYYY-MM-DD` of a UTC day. */
export function formatIsoDate(dayMs: number): string {
  return new Date(dayMs).toISOString().slice(0, 10);
}
