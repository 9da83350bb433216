/**
 * HalfSipHash-1-3 with a 32-bit result (Aumasson and Bernstein's SipHash on 32-bit words, one compression and three
 * finalisation rounds: the Linux kernel's `hsiphash` on 32-bit machines), keyed by `(k0, k1)`, of the byte string
 *
 *     le32(head) || a[aStart, aEnd) || zero bytes up to a multiple of 4 || b[bStart, bEnd)
 *
 * A keyed hash built so that whoever chooses the input cannot make keys collide without the key, where MurmurHash3's
 * multicollisions hold for every seed (Aumasson, Bernstein and Boßlet, 2012). The framing lets a hash table hash a
 * pair of strings where they lie, with no copy: with `head` set to `a`'s length (as `UserKeyInterner` does), the pair
 * can be read back from the byte string, so two different pairs are two different messages; the padding starts `b`
 * on a word of the message. Signed 32-bit.
 */
export function halfSipHash13(
  k0: number,
  k1: number,
  head: number,
  a: Uint8Array,
  aStart: number,
  aEnd: number,
  b: Uint8Array,
  bStart: number,
  bEnd: number,
): number {
  let v0 = k0 | 0;
  let v1 = k1 | 0;
  let v2 = 0x6c796765 ^ k0;
  let v3 = 0x74656462 ^ k1;
  const aPadded = (aEnd - aStart + 3) & ~3;
  const bWhole = bStart + ((bEnd - bStart) & ~3);
  // The last block: the message's length mod 256 in the top byte, over the bytes after its last whole word.
  let last = (4 + aPadded + (bEnd - bStart)) << 24;
  for (let i = bWhole, shift = 0; i < bEnd; i++, shift += 8) last |= b[i] << shift;
  // Words before the last block: `head`, `a`'s (padded) and `b`'s whole ones.
  const words = 1 + (aPadded >> 2) + ((bWhole - bStart) >> 2);
  // One SipRound per word, the last block's included, then three with no word after `v2 ^= 0xff`.
  const rounds = words + 4;
  let m = head | 0;
  let i = aStart;
  let j = bStart;
  for (let round = 1; round <= rounds; round++) {
    v3 ^= m;
    v0 = (v0 + v1) | 0;
    v1 = (v1 << 5) | (v1 >>> 27);
    v1 ^= v0;
    v0 = (v0 << 16) | (v0 >>> 16);
    v2 = (v2 + v3) | 0;
    v3 = (v3 << 8) | (v3 >>> 24);
    v3 ^= v2;
    v0 = (v0 + v3) | 0;
    v3 = (v3 << 7) | (v3 >>> 25);
    v3 ^= v0;
    v2 = (v2 + v1) | 0;
    v1 = (v1 << 13) | (v1 >>> 19);
    v1 ^= v2;
    v2 = (v2 << 16) | (v2 >>> 16);
    v0 ^= m;
    if (round > words) {
      // Finalisation: no word is mixed in.
      m = 0;
      if (round === words + 1) v2 ^= 0xff;
    } else if (round === words) {
      m = last;
    } else if (i + 4 <= aEnd) {
      m = a[i] | (a[i + 1] << 8) | (a[i + 2] << 16) | (a[i + 3] << 24);
      i += 4;
    } else if (i < aEnd) {
      // `a`'s last word, completed by the zero padding.
      m = 0;
      for (let shift = 0; i < aEnd; i++, shift += 8) m |= a[i] << shift;
    } else {
      m = b[j] | (b[j + 1] << 8) | (b[j + 2] << 16) | (b[j + 3] << 24);
      j += 4;
    }
  }
  return v1 ^ v3;
}
