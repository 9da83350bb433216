/**
 * Values read straight from a CSV field's bytes, without decoding it to a string: numbers, counts, dates and
 * times. Each fast parser accepts only the plain spellings it can read exactly and returns `null` for anything
 * else, so that callers fall back to the text parsers (`Number`, `parseCount`, `parseUtcDate`,
 * `parseUtcTimestamp`) on `fieldText`: the bytes path gives exactly what the text path gives, only faster (the
 * differential tests check it). No Node built-ins.
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

/**
 * A count spelled as plain digits, optionally with a zero fraction (`238`, `238.0`), of at most 15 significant
 * digits -> its value; `null` for anything else (the caller's `parseCount` then accepts or names the problem).
 */
export function parseCountBytes(bytes: Uint8Array, start: number, end: number): number | null {
  let value = 0;
  let i = start;
  for (; i < end; i++) {
    const c = bytes[i]! - 48;
    if (c < 0 || c > 9) break;
    value = value * 10 + c;
  }
  if (i === start || i - start > EXACT_DIGITS) return null;
  if (i < end && bytes[i] === 46) {
    for (i++; i < end && bytes[i] === 48; i++);
  }
  return i === end ? value : null;
}

/** A read position shared by the date and time parsers (they never nest). */
interface Cursor {
  at: number;
}

/** `min`..`max` ASCII digits at `cursor.at` -> their value, moving the cursor past them; -1 when there are not. */
function digitsAt(bytes: Uint8Array, cursor: Cursor, end: number, min: number, max: number): number {
  let value = 0;
  let i = cursor.at;
  const stop = Math.min(end, i + max);
  for (; i < stop; i++) {
    const c = bytes[i]! - 48;
    if (c < 0 || c > 9) break;
    value = value * 10 + c;
  }
  if (i - cursor.at < min || (i < end && i === stop && bytes[i]! >= 48 && bytes[i]! <= 57)) return -1;
  cursor.at = i;
  return value;
}

function isLeap(year: number): boolean {
  return (year % 4 === 0 && year % 100 !== 0) || year % 400 === 0;
}

const MONTH_DAYS = [31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31];

/** ms of the UTC midnight of a proleptic Gregorian date, or -1 when it does not exist (Hinnant's days_from_civil). */
function midnight(year: number, month: number, day: number): number {
  if (month < 1 || month > 12 || day < 1) return -1;
  if (day > (month === 2 && isLeap(year) ? 29 : MONTH_DAYS[month - 1]!)) return -1;
  const y = month <= 2 ? year - 1 : year;
  const era = Math.floor(y / 400);
  const yoe = y - era * 400;
  const doy = Math.floor((153 * (month + (month > 2 ? -3 : 9)) + 2) / 5) + day - 1;
  const doe = yoe * 365 + Math.floor(yoe / 4) - Math.floor(yoe / 100) + doy;
  return (era * 146_097 + doe - 719_468) * MS_PER_DAY;
}

const cursor: Cursor = { at: 0 };

function expect(bytes: Uint8Array, byte: number): boolean {
  if (bytes[cursor.at] !== byte) return false;
  cursor.at++;
  return true;
}

/**
 * `M/D/YYYY` or `YYYY-MM-DD` -> ms of that UTC midnight; `null` for anything else, including dates that do not
 * exist (the caller's `parseUtcDate` then decides). Years before 1 are left to the text parser too.
 */
export function parseDateBytes(bytes: Uint8Array, start: number, end: number): number | null {
  cursor.at = start;
  let year: number;
  let month: number;
  let day: number;
  if (end - start >= 10 && bytes[start + 4] === 45) {
    year = digitsAt(bytes, cursor, end, 4, 4);
    if (year < 0 || !expect(bytes, 45)) return null;
    month = digitsAt(bytes, cursor, end, 2, 2);
    if (month < 0 || !expect(bytes, 45)) return null;
    day = digitsAt(bytes, cursor, end, 2, 2);
  } else {
    month = digitsAt(bytes, cursor, end, 1, 2);
    if (month < 0 || !expect(bytes, 47)) return null;
    day = digitsAt(bytes, cursor, end, 1, 2);
    if (day < 0 || !expect(bytes, 47)) return null;
    year = digitsAt(bytes, cursor, end, 4, 4);
  }
  if (day < 0 || year < 1 || cursor.at !== end) return null;
  const ms = midnight(year, month, day);
  return ms === -1 ? null : ms;
}

/** Fractional-second digits at the cursor -> ms (up to 7 digits kept, as `parseUtcTimestamp` does). */
function fractionAt(bytes: Uint8Array, end: number): number {
  let ticks = 0;
  let kept = 0;
  let i = cursor.at;
  for (; i < end; i++) {
    const c = bytes[i]! - 48;
    if (c < 0 || c > 9) break;
    if (kept < 7) {
      ticks = ticks * 10 + c;
      kept++;
    }
  }
  if (i === cursor.at) return -1;
  cursor.at = i;
  return (ticks * POW10[7 - kept]!) / 10_000;
}

/**
 * The Log Analytics export's `9/19/2022, 11:29:46.297 PM` and ISO `2022-09-19T23:29:46.297Z` (or without the `Z`,
 * or with a space for the `T`) -> ms since the epoch, exactly as `parseUtcTimestamp` computes it; `null` for
 * anything else (zone offsets, impossible dates and times, ...), which the caller hands to `parseUtcTimestamp`.
 */
export function parseTimestampBytes(bytes: Uint8Array, start: number, end: number): number | null {
  cursor.at = start;
  if (end - start >= 16 && bytes[start + 4] === 45) {
    const year = digitsAt(bytes, cursor, end, 4, 4);
    if (year < 1 || !expect(bytes, 45)) return null;
    const month = digitsAt(bytes, cursor, end, 2, 2);
    if (month < 0 || !expect(bytes, 45)) return null;
    const day = digitsAt(bytes, cursor, end, 2, 2);
    if (day < 0 || !(expect(bytes, 84) || expect(bytes, 32) || expect(bytes, 116))) return null;
    const hour = digitsAt(bytes, cursor, end, 2, 2);
    if (hour < 0 || !expect(bytes, 58)) return null;
    const minute = digitsAt(bytes, cursor, end, 2, 2);
    if (minute < 0 || !expect(bytes, 58)) return null;
    const second = digitsAt(bytes, cursor, end, 2, 2);
    if (second < 0) return null;
    let fraction = 0;
    if (expect(bytes, 46)) {
      fraction = fractionAt(bytes, end);
      if (fraction < 0) return null;
    }
    if (cursor.at < end && !(expect(bytes, 90) || expect(bytes, 122))) return null;
    if (cursor.at !== end) return null;
    const midnightMs = midnight(year, month, day);
    if (midnightMs === -1 || hour > 23 || minute > 59 || second > 59) return null;
    return midnightMs + (((hour * 60 + minute) * 60 + second) * 1000 + fraction) - 0;
  }
  const month = digitsAt(bytes, cursor, end, 1, 2);
  if (month < 0 || !expect(bytes, 47)) return null;
  const day = digitsAt(bytes, cursor, end, 1, 2);
  if (day < 0 || !expect(bytes, 47)) return null;
  const year = digitsAt(bytes, cursor, end, 4, 4);
  if (year < 1) return null;
  expect(bytes, 44);
  if (!expect(bytes, 32)) return null;
  const hour12 = digitsAt(bytes, cursor, end, 1, 2);
  if (hour12 < 1 || hour12 > 12 || !expect(bytes, 58)) return null;
  const minute = digitsAt(bytes, cursor, end, 2, 2);
  if (minute < 0 || !expect(bytes, 58)) return null;
  const second = digitsAt(bytes, cursor, end, 2, 2);
  if (second < 0) return null;
  let fraction = 0;
  if (expect(bytes, 46)) {
    fraction = fractionAt(bytes, end);
    if (fraction < 0) return null;
  }
  if (!expect(bytes, 32) || cursor.at + 2 !== end) return null;
  const meridiem = bytes[cursor.at]! | 0x20;
  if ((meridiem !== 97 && meridiem !== 112) || (bytes[cursor.at + 1]! | 0x20) !== 109) return null;
  const midnightMs = midnight(year, month, day);
  const hour = (hour12 % 12) + (meridiem === 112 ? 12 : 0);
  if (midnightMs === -1 || minute > 59 || second > 59) return null;
  return midnightMs + (((hour * 60 + minute) * 60 + second) * 1000 + fraction);
}
