/**
 * Numbers as the ASCII bytes of `csvNumber` (`String(n)`, `-0` keeping its sign), put straight into an output
 * buffer without a string: integers by their digits, other doubles of 1e-6 <= |v| < 1e15 by their shortest
 * round-trip digits found with exact double-double arithmetic, the rest (and the rare cases that arithmetic cannot
 * settle) by `String`. Browser-safe: no Node built-ins.
 */
import { csvNumber } from './csvCells.js';

export const MINUS = 0x2d;
export const DOT = 0x2e;
const ZERO = 0x30;

/** Bytes a number cell can take (`-1.7976931348623157e+308` is 24); `putNumber` writes scratch digits up to 25. */
export const MAX_NUMBER_CELL = 32;

const POW10 = Array.from({ length: 23 }, (_, k) => 10 ** k);
/** `00` to `99`: two digits per lookup halve the divisions of writing an integer. */
const DIGIT_PAIRS = Uint8Array.from(
  { length: 200 },
  (_, j) => ZERO + (j & 1 ? (j >> 1) % 10 : Math.floor((j >> 1) / 10)),
);

/** Writes `digits` digits of the non-negative integer `v` (< 2^53) ending before `end`. */
export function putDigits(buf: Uint8Array, end: number, v: number, digits: number): void {
  for (let q = end - 1; q >= end - digits; q--) {
    const next = Math.floor(v / 10);
    buf[q] = ZERO + (v - next * 10);
    v = next;
  }
}

/** Puts the two digits of `v` (0..99) at `q`. */
export function putPair(buf: Uint8Array, q: number, v: number): void {
  buf[q] = DIGIT_PAIRS[2 * v]!;
  buf[q + 1] = DIGIT_PAIRS[2 * v + 1]!;
}

/**
 * `0000` to `9999` as four ASCII bytes in one little-endian word: eight digits are one division, two lookups and
 * two unaligned stores.
 */
const DIGIT_QUADS = Uint32Array.from({ length: 10_000 }, (_, v) => {
  const digit = (place: number) => ZERO + (Math.floor(v / place) % 10);
  return (digit(1000) | (digit(100) << 8) | (digit(10) << 16) | (digit(1) << 24)) >>> 0;
});

/** `0.00` and `0000` as little-endian words. */
const ZERO_POINT_ZEROS = ZERO | (DOT << 8) | (ZERO << 16) | (ZERO << 24);
const FOUR_ZEROS = ZERO | (ZERO << 8) | (ZERO << 16) | (ZERO << 24);

/** Puts the eight digits of `v` (0..99,999,999) at `q`. */
function put8(view: DataView, q: number, v: number): void {
  const high = (v / 10_000) | 0;
  view.setUint32(q, DIGIT_QUADS[high]!, true);
  view.setUint32(q + 4, DIGIT_QUADS[v - high * 10_000]!, true);
}

/** Puts the digits of the integer `v` (0 <= v < 2^31) at `p`, two per division from the right; returns the end. */
function putSmallInteger(buf: Uint8Array, p: number, v: number): number {
  const end = p + digitCount(v);
  let q = end;
  while (v >= 100) {
    const next = (v / 100) | 0;
    q -= 2;
    putPair(buf, q, v - next * 100);
    v = next;
  }
  if (v >= 10) putPair(buf, q - 2, v);
  else buf[q - 1] = ZERO + v;
  return end;
}

function digitCount(v: number): number {
  let digits = 1;
  while (digits < 16 && v >= POW10[digits]!) digits++;
  return digits;
}

/** Puts the ASCII `text` at `p`; returns the end. */
export function putAscii(buf: Uint8Array, p: number, text: string): number {
  for (let j = 0; j < text.length; j++) buf[p++] = text.charCodeAt(j);
  return p;
}

/** Bits of one double, to read its exponent and last mantissa bit without a string. */
const BITS_F64 = new Float64Array(1);
const BITS_U32 = new Uint32Array(BITS_F64.buffer);
/** 2^27 + 1: Dekker's splitter, which cuts a double into two halves of 26 bits whose products are exact. */
const SPLITTER = 134_217_729;
const POW10_HI = POW10.map((x) => SPLITTER * x - (SPLITTER * x - x));
const POW10_LO = POW10.map((x, k) => x - POW10_HI[k]!);
/** Per biased exponent of a normal double: half its gap between neighbours, 2^(exponent - 1076) (exact). */
const HALF_GAP = Float64Array.from({ length: 2048 }, (_, exponent) => 2 ** (exponent - 1076));
/**
 * Per biased exponent: the power k that puts a * 10^k in [10^16, 10^17) or one decade above it (floor(log10(a)) is
 * floor(log10(2^e)) or one more), capped at 22, beyond which 10^k is not exact.
 */
const FIRST_K = Int8Array.from({ length: 2048 }, (_, exponent) =>
  Math.max(-128, Math.min(22, 16 - Math.floor((exponent - 1023) * Math.log10(2)))),
);
/**
 * How close (relative to the half gap) an exact tie or the edge of a double's rounding interval may come before
 * `putFraction` declines and leaves the number to `String(v)`: the half gap is at least 1.1 units of the 17th
 * digit, so the margin is at least 1e-9 of one, far above the arithmetic's error (about 1e-14 of one); met by a
 * few doubles in a billion.
 */
const EDGE_MARGIN = 1e-9;

/** The significant digits of the 17-digit decimal `top` (9 digits) `low` (8 digits): 17 less its trailing zeros. */
function significantDigits(top: number, low: number): number {
  let length = 17;
  let tail = low;
  if (tail === 0) {
    length = 9;
    tail = top;
  }
  while (tail % 10 === 0) {
    tail = (tail / 10) | 0;
    length--;
  }
  return length;
}

/**
 * Puts the shortest round-trip text of `a` (1e-6 <= a < 1e15, not an integer) at `p`, as `String(a)` spells it,
 * found with exact arithmetic instead of a string; returns the end, or -1 where it declines (a tie or the edge of
 * the rounding interval within EDGE_MARGIN, a power of two, a carry into a new decade) and `String` decides.
 *
 * P = a * 10^k in [10^16, 10^17) is formed exactly as hi + lo (Dekker's product; 10^k <= 10^22 is exact), and its
 * nearest integer R taken as 9 top and 8 low digits. The nearest 15-, 16- and 17-digit decimals to a are R rounded
 * to that many digits, and each reads back to a iff it lies within half of a's gap, ulp(a) * 10^k / 2 (exact: a
 * power of two times 10^k), of P. ECMAScript's Number::toString takes the fewest digits that read back, and among
 * those the closest: the first of 15, 16, 17 that does (17 always do). Shorter forms are the 15-digit one with its
 * trailing zeros cut (any decimal of at most 15 digits names a distinct double, DBL_DIG, so it is the nearest).
 *
 * The 17 digits are put four at a time in one run (scratch digits past the end are overwritten by later cells),
 * then the whole part is moved one place left to make room for the point: no per-digit branch. `view` is `buf`'s.
 */
function putFraction(buf: Uint8Array, view: DataView, p: number, a: number): number {
  BITS_F64[0] = a;
  const high = BITS_U32[1]!;
  // Powers of two have a lopsided rounding interval; they are rare enough to leave to String.
  if (BITS_U32[0] === 0 && (high & 0xf_ffff) === 0) return -1;
  const exponent = high >>> 20;
  let k = FIRST_K[exponent]!;
  let hi = a * POW10[k]!;
  if (hi >= 1e17) {
    k--;
    hi = a * POW10[k]!;
  }
  if (hi < 1e16 || hi >= 1e17) return -1;
  const aHi = SPLITTER * a - (SPLITTER * a - a);
  const aLo = a - aHi;
  const pHi = POW10_HI[k]!;
  const pLo = POW10_LO[k]!;
  const lo = aHi * pHi - hi + aHi * pLo + aLo * pHi + aLo * pLo;
  // hi >= 2^53 is an integer; R = hi + step, and fraction = P - R is in [-0.5, 0.5].
  const step = Math.round(lo);
  const fraction = lo - step;
  if (Math.abs(Math.abs(fraction) - 0.5) < EDGE_MARGIN) return -1;
  // R as 9 top digits and 8 low ones; top * 1e8 is exact (top * 5^8 < 2^53), so low is too. Both fit an int32.
  // hi * 1e-8 (a product, not a quotient: no division on this path) may floor one off near an integer; that and
  // the step are one correction of low, and the rare case past it goes to String.
  const topDouble = Math.floor(hi * 1e-8);
  let low = (hi - topDouble * 1e8 + step) | 0;
  let top = topDouble | 0;
  if (low < 0) {
    low += 100_000_000;
    top--;
  } else if (low >= 100_000_000) {
    low -= 100_000_000;
    top++;
  }
  if (low < 0 || low >= 100_000_000) return -1;
  // The nearest 15- and 16-digit decimals: R with its last two (one) digits cut, plus one in the last place when
  // the cut-off part r2 (r1) of P is past half; d2 (d1) is their distance from P. No branch on which digit count
  // wins (that is as good as random, and a mispredicted branch costs more than the arithmetic).
  const half = HALF_GAP[exponent]! * POW10[k]!;
  const last2 = low % 100;
  const r2 = last2 + fraction;
  const up2 = Number(r2 >= 50);
  const d2 = Math.abs(r2 - 100 * up2);
  const last = low % 10;
  const r1 = last + fraction;
  const up1 = Number(r1 >= 5);
  const d1 = Math.abs(r1 - 10 * up1);
  const margin = half * EDGE_MARGIN;
  // An interval edge or a tie (where ECMAScript wants the even one) too close to call: String decides.
  if (
    Math.abs(d2 - half) <= margin ||
    Math.abs(d1 - half) <= margin ||
    Math.abs(r2 - 50) < 100 * EDGE_MARGIN ||
    Math.abs(r1 - 5) < 10 * EDGE_MARGIN
  )
    return -1;
  // 0: count the digits (15 or fewer, or after a carry).
  let length = 0;
  if (d2 < half) low += 100 * up2 - last2;
  else {
    // R always reads back (half >= 1.1), so a 17-digit result ends in a non-zero digit, and a 16-digit one too
    // (were it zero, the 15-digit decimal would read back).
    const in16 = Number(d1 < half);
    low += in16 * (10 * up1 - last);
    length = 17 - in16;
  }
  if (low >= 100_000_000) {
    low -= 100_000_000;
    top++;
    length = 0;
  }
  if (top >= 1_000_000_000) return -1;
  if (length === 0) length = significantDigits(top, low);
  const whole = 17 - k;
  if (length <= whole) return -1;
  // `0.00000` first (with no whole digits: `0.`, then -whole zeros, at most 5 as a >= 1e-6, then the digits);
  // the digits overwrite what is not needed; with whole digits, those move one place left and the point follows.
  view.setUint32(p, ZERO_POINT_ZEROS, true);
  view.setUint32(p + 3, FOUR_ZEROS, true);
  const first = p + 1 + Math.max(1 - whole, 0);
  const lead = (top / 100_000_000) | 0;
  buf[first] = ZERO + lead;
  put8(view, first + 1, top - lead * 100_000_000);
  put8(view, first + 9, low);
  for (let j = p; j < p + whole; j++) buf[j] = buf[j + 1]!;
  buf[p + Math.max(whole, 1)] = DOT;
  return first + length;
}

/**
 * Puts the text of `csvNumber(v)` at `p` of `buf` (with MAX_NUMBER_CELL bytes free; `view` is a DataView of
 * `buf`); returns the end. Integers up to 2^53 are their exact digits (that is their shortest round-trip form);
 * other values of 1e-6 <= |v| < 1e15 go through `putFraction`; everything else, and what `putFraction` declines,
 * through `String(v)`.
 */
export function putNumber(buf: Uint8Array, view: DataView, p: number, v: number): number {
  // One digit first: most of a user-day's counts (not -0, which keeps its sign).
  if (v >= 0 && v < 10 && (v | 0) === v && (v !== 0 || 1 / v > 0)) {
    buf[p] = ZERO + v;
    return p + 1;
  }
  const a = v < 0 ? -v : v;
  if (Number.isInteger(a)) {
    if (a < 2_147_483_648) {
      if (v < 0 || (v === 0 && 1 / v < 0)) buf[p++] = MINUS;
      return putSmallInteger(buf, p, a);
    }
    if (a <= 9_007_199_254_740_992) {
      if (v < 0) buf[p++] = MINUS;
      const digits = digitCount(a);
      putDigits(buf, p + digits, a, digits);
      return p + digits;
    }
  } else if (a >= 1e-6 && a < 1e15) {
    const end = putFraction(buf, view, v < 0 ? p + 1 : p, a);
    if (end >= 0) {
      if (v < 0) buf[p] = MINUS;
      return end;
    }
  }
  return putAscii(buf, p, csvNumber(v));
}
