/**
 * The exact value of a decimal `M x 10^p` as the double `Number` would give, from its digits, without building a
 * string. Two exact fast paths, each of which declines rather than guess:
 *
 * - Clinger's: when M <= 2^53 and |p| <= 22, M and 10^|p| are exact doubles and one correctly rounded
 *   multiplication or division is the correctly rounded value.
 * - A double-double one for 17-19 significant digits (every shortest round-trip spelling of a random double has 16
 *   or 17, so most of a scored file): M is held exactly as the sum of two doubles, multiplied or divided by the exact
 *   10^|p| with error-free products (Dekker), which leaves the value within 2^-100 of its own size. The double nearest
 *   to that is the answer unless the value lies within 2^-90 of a halfway point between two doubles (or at a power of
 *   two, where the spacing changes); there it declines and the caller falls back to `Number`.
 *
 * The differential tests compare every result with `Number(text)` bit for bit. No Node built-ins.
 */

/** 1e0 .. 1e22: every power of ten a double holds exactly. */
export const POW10 = Array.from({ length: 23 }, (_, k) => Number(`1e${k}`));
/** Decimal exponents whose power of ten is an exact double. */
const MAX_EXACT_POW10 = 22;
const TWO_53 = 2 ** 53;
/** Veltkamp's splitter for doubles: 2^27 + 1. */
const SPLITTER = 134_217_729;
/** How close to a halfway point the double-double value may come before the path declines (relative). */
const MARGIN = 2 ** -90;

const bits = new Float64Array(1);
const words = new Uint32Array(bits.buffer);
/** Index of the word holding a double's sign, exponent and top of the mantissa (platform byte order). */
const HIGH = new Uint8Array(new Uint16Array([1]).buffer)[0] === 1 ? 1 : 0;

/**
 * The double nearest to `(head * 10^tailDigits + tail) * 10^power` (head < 10^15, tail < 10^tailDigits,
 * tailDigits <= 4, the sum below 10^19 and nonzero), written to `out[at]`; false, writing nothing, when neither fast
 * path can be sure of it. Written rather than returned, so that the double is never boxed.
 */
export function decimalValue(
  head: number,
  tail: number,
  tailDigits: number,
  power: number,
  out: Float64Array,
  at: number,
): boolean {
  if (power < -MAX_EXACT_POW10 || power > MAX_EXACT_POW10) return false;
  const scale = POW10[tailDigits]!;
  const exact = head * scale + tail;
  if (exact <= TWO_53) {
    // head * scale and the sum are integers below 2^53 here, so exact.
    out[at] = power >= 0 ? exact * POW10[power]! : exact / POW10[-power]!;
    return true;
  }
  // The error-free transformations are written out inline (Dekker's product with Veltkamp's split, Knuth's and
  // Dekker's sums): calls and shared state cost more than the arithmetic here.
  // M = mh + ml exactly: head * scale is exact as ph + pl; adding tail leaves an integer error below 2^11.
  const ph = head * scale;
  let t = SPLITTER * head;
  let ah = t - (t - head);
  let al = head - ah;
  t = SPLITTER * scale;
  let bh = t - (t - scale);
  let bl = scale - bh;
  const pl = al * bl - (ph - ah * bh - al * bh - ah * bl);
  const sum = ph + tail;
  const back = sum - ph;
  const sumError = ph - (sum - back) + (tail - back) + pl;
  const mh = sum + sumError;
  const ml = sumError - (mh - sum);
  let hi: number;
  let lo: number;
  if (power >= 0) {
    const p = POW10[power]!;
    hi = mh * p;
    t = SPLITTER * mh;
    ah = t - (t - mh);
    al = mh - ah;
    t = SPLITTER * p;
    bh = t - (t - p);
    bl = p - bh;
    lo = al * bl - (hi - ah * bh - al * bh - ah * bl) + ml * p;
  } else {
    const d = POW10[-power]!;
    hi = mh / d;
    const hd = hi * d;
    t = SPLITTER * hi;
    ah = t - (t - hi);
    al = hi - ah;
    t = SPLITTER * d;
    bh = t - (t - d);
    bl = d - bh;
    const hdError = al * bl - (hd - ah * bh - al * bh - ah * bl);
    // mh - hd is exact (Sterbenz: hd is within one rounding of mh).
    lo = (mh - hd - hdError + ml) / d;
  }
  const value = hi + lo;
  const error = lo - (value - hi);
  bits[0] = value;
  const high = words[HIGH]!;
  const exponent = (high >>> 20) & 0x7ff;
  // A power of two (the spacing below it is half the spacing above), or outside the normal range: decline.
  if ((high & 0xfffff) === 0 && words[1 - HIGH] === 0) return false;
  if (exponent === 0 || exponent === 0x7ff) return false;
  // Half the spacing of doubles at `value`: 2^(e - 53), built from its bits (exponent >= 54 here).
  words[HIGH] = (exponent - 53) << 20;
  words[1 - HIGH] = 0;
  const halfUlp = bits[0]!;
  if (!(Math.abs(Math.abs(error) - halfUlp) > value * MARGIN)) return false;
  out[at] = value;
  return true;
}
