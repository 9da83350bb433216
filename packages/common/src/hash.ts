/** The FNV-1a 32-bit offset basis and prime (Fowler, Noll and Vo's published parameters). */
const FNV_OFFSET_BASIS = 0x811c9dc5;
const FNV_PRIME = 0x01000193;

/**
 * FNV-1a, 32-bit, of `bytes[start, end)`: a tiny hash with published test vectors, the same in every language, so a
 * value computed here (a shard of users, an anchor in a report) can be reproduced anywhere. Unsigned.
 */
export function fnv1a32(bytes: Uint8Array, start = 0, end = bytes.length): number {
  let hash = FNV_OFFSET_BASIS;
  for (let i = start; i < end; i++) hash = Math.imul(hash ^ bytes[i], FNV_PRIME);
  return hash >>> 0;
}

/**
 * MurmurHash3's 32-bit finaliser (`fmix32`): a bijection on u32 that mixes every input bit into every output bit.
 * Hash tables use it to make the low bits of a weak hash depend on all of its bits; seeds are spread with it.
 * Unsigned.
 */
export function fmix32(value: number): number {
  let h = value >>> 0;
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35);
  h ^= h >>> 16;
  return h >>> 0;
}
