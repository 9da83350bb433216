// The forest's random numbers (docs/forest.md, "Random numbers"): xoshiro128** with one generator per tree.
// The state lives in four globals: one tree is grown at a time, and globals are registers to the engine.

let s0: u32 = 0;
let s1: u32 = 0;
let s2: u32 = 0;
let s3: u32 = 0;

// The golden-ratio increment that spreads the seed over the four state words of every tree.
const GOLDEN_GAMMA: u32 = 0x9E3779B9;

/** MurmurHash3's 32-bit finaliser. */
export function fmix32(value: u32): u32 {
  let h = value;
  h ^= h >>> 16;
  h *= 0x85EBCA6B;
  h ^= h >>> 13;
  h *= 0xC2B2AE35;
  h ^= h >>> 16;
  return h;
}

/** Seeds the generator of tree `tree` in a forest fitted with `seed`. */
export function seedTree(seed: u32, tree: u32): void {
  s0 = fmix32(seed + GOLDEN_GAMMA * (4 * tree + 1));
  s1 = fmix32(seed + GOLDEN_GAMMA * (4 * tree + 2));
  s2 = fmix32(seed + GOLDEN_GAMMA * (4 * tree + 3));
  s3 = fmix32(seed + GOLDEN_GAMMA * (4 * tree + 4));
  if ((s0 | s1 | s2 | s3) == 0) s0 = 1;
}

/** The next raw xoshiro128** output. */
export function next32(): u32 {
  const result = rotl<u32>(s1 * 5, 7) * 9;
  const t = s1 << 9;
  s2 ^= s0;
  s3 ^= s1;
  s1 ^= s2;
  s0 ^= s3;
  s2 ^= t;
  s3 = rotl<u32>(s3, 11);
  return result;
}

/** A double in [0, 1) with 53 random bits. */
export function nextDouble(): f64 {
  const a = next32() >>> 5;
  const b = next32() >>> 6;
  return (<f64>a * 67108864.0 + <f64>b) / 9007199254740992.0; // (a 2^26 + b) / 2^53
}

/** An integer uniform in [0, n) for 1 <= n <= 2^32 - 1, by rejection. */
export function nextBelow(n: u32): u32 {
  const limit: u32 = (<u32>0 - n) % n; // (2^32 - n) mod n in u32 arithmetic
  let r = next32();
  while (r < limit) r = next32();
  return r % n;
}
