/**
 * Values read straight from a CSV field's bytes, without decoding it to a string: numbers, counts, dates and
 * times. Each fast parser accepts only the plain spellings it can read exactly and declines anything else (`null`,
 * false or a value no field has), so that callers fall back to the text parsers (`Number`, `parseCount`,
 * `parseUtcDate`, `parseUtcTimestamp`) on `fieldText`: the bytes path gives exactly what the text path gives, only
 * faster (the differential tests check it). No Node built-ins.
 */
import { MS_PER_DAY } from '../msPerDay.js';
import { decimalValue, POW10 } from './decimalValue.js';
import type { CsvFields } from './tokenizer.js';

// ignoreBOM: a field that starts with U+FEFF keeps it (only the file's first bytes are a BOM).
const utf8 = new TextDecoder('utf-8', { ignoreBOM: true });

/** The text of a field (already checked to be UTF-8), with doubled quotes undone when `escaped`. */
export function fieldText(bytes: Uint8Array, start: number, end: number, escaped: number | boolean): string {
  const text = utf8.decode(bytes.subarray(start, end));
  return escaped ? text.replaceAll('""', '"') : text;
}

/** An ASCII range as a string, cheaply for the short ranges numbers are. */
function asciiText(bytes: Uint8Array, start: number, end: number): string {
  if (end - start > 64) return utf8.decode(bytes.subarray(start, end));
  return String.fromCharCode.apply(null, bytes.subarray(start, end) as unknown as number[]);
}

/** Significant digits a count may have to be read here: 10^15 < 2^53. */
const EXACT_DIGITS = 15;
/** Significant digits `decimalValue` takes: 15 in its exact head, 4 more in its tail (10^19 < 2^64). */
const HEAD_DIGITS = 15;
const DECIMAL_DIGITS = 19;

/**
 * A plain decimal `[+-]?(digits[.digits]|.digits)([eE][+-]?digits)?` -> exactly `Number(text)`; `null` for any
 * other bytes (spaces, hex, `Infinity`, ...). The first 19 significant digits go to `decimalValue`'s exact fast
 * paths; more nonzero digits, a power of ten beyond 10^22 or a value its paths cannot be sure of go to `Number`.
 * `view` is `bytes` as a DataView ({@link bytesView}: four digits are read in one load): a caller that parses many
 * fields of one buffer makes it once, as making it takes longer than parsing a short field, and drops it with the
 * buffer (a view kept here for the last buffer kept that buffer alive).
 */
export function parseDecimalBytes(
  bytes: Uint8Array,
  start: number,
  end: number,
  view: DataView = bytesView(bytes),
): number | null {
  return decimalInto(bytes, view, start, end, scratch, 0) ? scratch[0]! : null;
}

const scratch = new Float64Array(1);

/** `bytes` as a DataView, for {@link parseDecimalBytes} and {@link readDecimalColumn}. */
export function bytesView(bytes: Uint8Array): DataView {
  return new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
}

/**
 * The value of the four ASCII digits in `x` (four bytes read little-endian: the first digit in the low byte), or
 * -1 when any of them is not a digit. A byte is a digit when its high nibble is 3 and adding 6 keeps it so (no
 * carry crosses bytes once every high nibble is 3); the digits are then paired (10a + b) and the pairs joined.
 */
function fourDigits(x: number): number {
  if ((x & 0xf0f0f0f0) !== 0x30303030 || ((x + 0x06060606) & 0xf0f0f0f0) !== 0x30303030) return -1;
  const d = x - 0x30303030;
  const pairs = (d * 10 + (d >>> 8)) & 0x00ff00ff;
  return (pairs & 0xff) * 100 + (pairs >>> 16);
}

/**
 * Field `column` of the records `first, first + 1, ...` of a block, read as plain decimals into `out` (one per
 * record, `out.length` of them); a field that is not a plain decimal is left NaN (no plain decimal reads as NaN) for
 * the caller's text parser. Returns how many were left. A whole column per call, so no value is ever boxed.
 */
export function readDecimalColumn(
  bytes: Uint8Array,
  fields: CsvFields,
  first: number,
  column: number,
  out: Float64Array,
): number {
  const { starts, ends, recordFirst } = fields;
  const view = bytesView(bytes);
  let left = 0;
  for (let r = 0; r < out.length; r++) {
    const f = recordFirst[first + r]! + column;
    if (!decimalInto(bytes, view, starts[f]!, ends[f]!, out, r)) {
      out[r] = NaN;
      left++;
    }
  }
  return left;
}

/**
 * `parseDecimalBytes` into `out[at]`; false (and `out` untouched) for `null`. The value goes to an array rather
 * than being returned: a double returned from a call that is not inlined is boxed, one allocation per cell.
 * `view` is `bytes` as a DataView, to read four digits in one load.
 */
function decimalInto(
  bytes: Uint8Array,
  view: DataView,
  start: number,
  end: number,
  out: Float64Array,
  at: number,
): boolean {
  let i = start;
  let negative = false;
  if (i < end && (bytes[i] === 45 || bytes[i] === 43)) {
    negative = bytes[i] === 45;
    i++;
  }
  const digitsStart = i;
  // Where the '.' is, once seen; the digit loops step over it (a second one ends the number).
  let dot = -1;
  // Leading zeros are not significant.
  for (; i < end; i++) {
    const b = bytes[i]!;
    if (b === 48) continue;
    if (b === 46 && dot < 0) dot = i;
    else break;
  }
  // The significant digits: the first 15 in head, the next 4 in tail, and any more must be zeros (else `Number`).
  // Four at a time while four digits are there and fit in head.
  let head = 0;
  let taken = 0;
  for (; i < end && taken < HEAD_DIGITS; i++) {
    if (taken <= HEAD_DIGITS - 4 && i + 4 <= end) {
      const four = fourDigits(view.getUint32(i, true));
      if (four >= 0) {
        head = head * 10_000 + four;
        taken += 4;
        i += 3;
        continue;
      }
    }
    const c = bytes[i]! - 48;
    if (c >>> 0 > 9) {
      if (c === -2 && dot < 0) {
        dot = i;
        continue;
      }
      break;
    }
    head = head * 10 + c;
    taken++;
  }
  let tail = 0;
  for (; i < end && taken < DECIMAL_DIGITS; i++) {
    const c = bytes[i]! - 48;
    if (c >>> 0 > 9) {
      if (c === -2 && dot < 0) {
        dot = i;
        continue;
      }
      break;
    }
    tail = tail * 10 + c;
    taken++;
  }
  let dropped = 0;
  let inexact = false;
  for (; i < end; i++) {
    const c = bytes[i]! - 48;
    if (c >>> 0 > 9) {
      if (c === -2 && dot < 0) {
        dot = i;
        continue;
      }
      break;
    }
    inexact ||= c !== 0;
    dropped++;
  }
  const digitsEnd = i;
  if (digitsEnd - digitsStart - (dot < 0 ? 0 : 1) === 0) return false;
  let exponent = 0;
  if (i < end && (bytes[i] === 101 || bytes[i] === 69)) {
    i++;
    let expNegative = false;
    if (i < end && (bytes[i] === 45 || bytes[i] === 43)) {
      expNegative = bytes[i] === 45;
      i++;
    }
    const expStart = i;
    for (; i < end; i++) {
      const c = bytes[i]! - 48;
      if (c >>> 0 > 9) break;
      if (exponent < 100_000) exponent = exponent * 10 + c;
    }
    if (i === expStart) return false;
    if (expNegative) exponent = -exponent;
  }
  if (i !== end) return false;
  if (taken === 0) out[at] = negative ? -0 : 0;
  else if (
    inexact ||
    !decimalValue(
      head,
      tail,
      taken > HEAD_DIGITS ? taken - HEAD_DIGITS : 0,
      // The digits taken, read as an integer, times 10^power: every digit after the '.' scales by 1/10, every
      // dropped digit by 10.
      exponent + dropped - (dot < 0 ? 0 : digitsEnd - dot - 1),
      out,
      at,
    )
  )
    out[at] = Number(asciiText(bytes, start, end));
  else if (negative) out[at] = -out[at]!;
  return true;
}

/** What `countValue` gives for bytes that are not a plain count (a count is never negative). */
export const NOT_A_COUNT = -1;

/**
 * A count spelled as plain digits, optionally with a zero fraction (`238`, `238.0`), of at most 15 significant
 * digits -> its value; `NOT_A_COUNT` for anything else (the caller's `parseCount` then accepts or names the problem).
 * A number, not `null`, so that the result is never boxed.
 */
export function countValue(bytes: Uint8Array, start: number, end: number): number {
  let value = 0;
  let i = start;
  for (; i < end; i++) {
    const c = bytes[i]! - 48;
    if (c < 0 || c > 9) break;
    value = value * 10 + c;
  }
  if (i === start || i - start > EXACT_DIGITS) return NOT_A_COUNT;
  if (i < end && bytes[i] === 46) {
    for (i++; i < end && bytes[i] === 48; i++);
  }
  return i === end ? value : NOT_A_COUNT;
}

/*
 * The date and time parsers below read with a local position and small integers only: a run of digits comes back as
 * `value * 8 + count` (values of at most 4 digits, counts of at most 4), so no call returns a boxed double or writes
 * a shared cursor.
 */

/**
 * The `min`..`max` (at most 4) ASCII digits at `at` -> `value * 8 + count`; -1 when fewer than `min` are there or a
 * digit follows the `max`-th.
 */
function digitRun(bytes: Uint8Array, at: number, end: number, min: number, max: number): number {
  let value = 0;
  let i = at;
  const stop = Math.min(end, at + max);
  for (; i < stop; i++) {
    const c = bytes[i]! - 48;
    if (c < 0 || c > 9) break;
    value = value * 10 + c;
  }
  if (i - at < min || (i < end && i === stop && bytes[i]! >= 48 && bytes[i]! <= 57)) return -1;
  return value * 8 + (i - at);
}

function isLeap(year: number): boolean {
  return (year % 4 === 0 && year % 100 !== 0) || year % 400 === 0;
}

const MONTH_DAYS = [31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31];

/** What `dateDays` and `civilDays` give for bytes or a date that is not one: no day of years 1 to 9999 (a Smi). */
export const NO_DAY = -(2 ** 30);

// The last date `civilDays` computed: a user-day file's dates and times fall on a few days, so most rows ask again.
let cachedYear = 0;
let cachedMonth = 0;
let cachedDay = 0;
let cachedDays = NO_DAY;

/** Days from 1970-01-01 to a proleptic Gregorian date, or `NO_DAY` when it does not exist (Hinnant's algorithm). */
function civilDays(year: number, month: number, day: number): number {
  if (year === cachedYear && month === cachedMonth && day === cachedDay) return cachedDays;
  let days = NO_DAY;
  if (month >= 1 && month <= 12 && day >= 1 && day <= (month === 2 && isLeap(year) ? 29 : MONTH_DAYS[month - 1]!)) {
    const y = month <= 2 ? year - 1 : year;
    const era = Math.floor(y / 400);
    const yoe = y - era * 400;
    const doy = Math.floor((153 * (month + (month > 2 ? -3 : 9)) + 2) / 5) + day - 1;
    const doe = yoe * 365 + Math.floor(yoe / 4) - Math.floor(yoe / 100) + doy;
    days = era * 146_097 + doe - 719_468;
  }
  cachedYear = year;
  cachedMonth = month;
  cachedDay = day;
  cachedDays = days;
  return days;
}

/**
 * `M/D/YYYY` or `YYYY-MM-DD` -> days since 1970-01-01 (its UTC midnight is that times `MS_PER_DAY`); `NO_DAY` for
 * anything else, including dates that do not exist (the caller's `parseUtcDate` then decides). Years before 1 are
 * left to the text parser too.
 */
export function dateDays(bytes: Uint8Array, start: number, end: number): number {
  let i = start;
  let year: number;
  let month: number;
  let day: number;
  if (end - start >= 10 && bytes[start + 4] === 45) {
    const y = digitRun(bytes, i, end, 4, 4);
    if (y < 0 || bytes[i + 4] !== 45) return NO_DAY;
    i += 5;
    const m = digitRun(bytes, i, end, 2, 2);
    if (m < 0 || i + 2 >= end || bytes[i + 2] !== 45) return NO_DAY;
    i += 3;
    const d = digitRun(bytes, i, end, 2, 2);
    if (d < 0) return NO_DAY;
    i += 2;
    year = y >> 3;
    month = m >> 3;
    day = d >> 3;
  } else {
    const m = digitRun(bytes, i, end, 1, 2);
    if (m < 0) return NO_DAY;
    i += m & 7;
    if (i >= end || bytes[i] !== 47) return NO_DAY;
    i++;
    const d = digitRun(bytes, i, end, 1, 2);
    if (d < 0) return NO_DAY;
    i += d & 7;
    if (i >= end || bytes[i] !== 47) return NO_DAY;
    i++;
    const y = digitRun(bytes, i, end, 4, 4);
    if (y < 0) return NO_DAY;
    i += 4;
    year = y >> 3;
    month = m >> 3;
    day = d >> 3;
  }
  if (year < 1 || i !== end) return NO_DAY;
  return civilDays(year, month, day);
}

/**
 * The fraction of a second at `at` (a run of digits, up to 7 of them kept, as `parseUtcTimestamp` does) -> the
 * position after the run, with its value in ms in `fractionMs[0]`; `at` itself when no digit is there.
 */
function fractionRun(bytes: Uint8Array, at: number, end: number): number {
  let i = at;
  while (i < end && bytes[i]! >= 48 && bytes[i]! <= 57) i++;
  const kept = Math.min(i - at, 7);
  let ticks = 0;
  for (let j = at; j < at + kept; j++) ticks = ticks * 10 + bytes[j]! - 48;
  fractionMs[0] = (ticks * POW10[7 - kept]!) / 10_000;
  return i;
}

const fractionMs = new Float64Array(1);

/** `MM:SS` at `at`, two digits each and each at most 59 -> seconds into the hour; -1 for anything else. */
function minutesSeconds(bytes: Uint8Array, at: number, end: number): number {
  if (at + 5 > end || bytes[at + 2] !== 58) return -1;
  const m1 = bytes[at]! - 48;
  const m2 = bytes[at + 1]! - 48;
  const s1 = bytes[at + 3]! - 48;
  const s2 = bytes[at + 4]! - 48;
  if (m1 >>> 0 > 5 || m2 >>> 0 > 9 || s1 >>> 0 > 5 || s2 >>> 0 > 9) return -1;
  return (m1 * 10 + m2) * 60 + s1 * 10 + s2;
}

/**
 * The Log Analytics export's `9/19/2022, 11:29:46.297 PM` and ISO `2022-09-19T23:29:46.297Z` (or without the `Z`,
 * or with a space for the `T`) -> ms since the epoch, exactly as `parseUtcTimestamp` computes it, into `out[at]`;
 * false (and `out` untouched) for anything else (zone offsets, impossible dates and times, ...), which the caller
 * hands to `parseUtcTimestamp`. Into an array, like `decimalInto`, so that the double is never boxed.
 */
export function timestampInto(bytes: Uint8Array, start: number, end: number, out: Float64Array, at: number): boolean {
  let i = start;
  let days: number;
  let hour: number;
  let fraction = 0;
  let secondsInHour: number;
  if (end - start >= 16 && bytes[start + 4] === 45) {
    const y = digitRun(bytes, i, end, 4, 4);
    if (y < 8 || bytes[i + 4] !== 45) return false;
    i += 5;
    const mo = digitRun(bytes, i, end, 2, 2);
    if (mo < 0 || i + 2 >= end || bytes[i + 2] !== 45) return false;
    i += 3;
    const d = digitRun(bytes, i, end, 2, 2);
    if (d < 0) return false;
    i += 2;
    const t = bytes[i];
    if (i >= end || (t !== 84 && t !== 32 && t !== 116)) return false;
    i++;
    const h = digitRun(bytes, i, end, 2, 2);
    if (h < 0 || i + 2 >= end || bytes[i + 2] !== 58) return false;
    i += 3;
    secondsInHour = minutesSeconds(bytes, i, end);
    if (secondsInHour < 0) return false;
    i += 5;
    if (i < end && bytes[i] === 46) {
      const after = fractionRun(bytes, i + 1, end);
      if (after === i + 1) return false;
      fraction = fractionMs[0]!;
      i = after;
    }
    if (i < end && (bytes[i] === 90 || bytes[i] === 122)) i++;
    if (i !== end) return false;
    days = civilDays(y >> 3, mo >> 3, d >> 3);
    hour = h >> 3;
    if (hour > 23) return false;
  } else {
    const mo = digitRun(bytes, i, end, 1, 2);
    if (mo < 0) return false;
    i += mo & 7;
    if (i >= end || bytes[i] !== 47) return false;
    i++;
    const d = digitRun(bytes, i, end, 1, 2);
    if (d < 0) return false;
    i += d & 7;
    if (i >= end || bytes[i] !== 47) return false;
    i++;
    const y = digitRun(bytes, i, end, 4, 4);
    if (y < 8) return false;
    i += 4;
    if (i < end && bytes[i] === 44) i++;
    if (i >= end || bytes[i] !== 32) return false;
    i++;
    const h = digitRun(bytes, i, end, 1, 2);
    if (h < 8) return false;
    i += h & 7;
    const hour12 = h >> 3;
    if (hour12 > 12 || i >= end || bytes[i] !== 58) return false;
    i++;
    secondsInHour = minutesSeconds(bytes, i, end);
    if (secondsInHour < 0) return false;
    i += 5;
    if (i < end && bytes[i] === 46) {
      const after = fractionRun(bytes, i + 1, end);
      if (after === i + 1) return false;
      fraction = fractionMs[0]!;
      i = after;
    }
    if (i >= end || bytes[i] !== 32 || i + 3 !== end) return false;
    const meridiem = bytes[i + 1]! | 0x20;
    if ((meridiem !== 97 && meridiem !== 112) || (bytes[i + 2]! | 0x20) !== 109) return false;
    days = civilDays(y >> 3, mo >> 3, d >> 3);
    hour = (hour12 % 12) + (meridiem === 112 ? 12 : 0);
  }
  if (days === NO_DAY) return false;
  out[at] = days * MS_PER_DAY + ((hour * 3600 + secondsInHour) * 1000 + fraction);
  return true;
}
