/**
 * The forest's random numbers (docs/forest.md, "Random numbers"): xoshiro128** with one generator per tree, so a
 * seed means the same forest in every implementation and trees can be grown in any order.
 */
import { fmix32 } from '@isoforest/common';

/** A per-tree random number generator. All draws advance the same four-word state. */
export interface Rng {
  /** The next raw output, an unsigned 32-bit integer in `[0, 2^32)`. */
  next32(): number;
  /** A double in `[0, 1)` with 53 random bits, built from two `next32()` draws. */
  nextDouble(): number;
  /** An integer uniform in `[0, n)` for `1 <= n <= 2^32 - 1`, by rejection (no modulo bias). */
  nextBelow(n: number): number;
}

/** The golden-ratio increment that spreads the seed over the four state words of every tree. */
const GOLDEN_GAMMA = 0x9e3779b9;

/** The initial state of tree `tree`'s generator: `s[i] = fmix32(seed + 0x9E3779B9 * (4 * tree + i + 1))`. */
export function seedState(seed: number, tree: number): Uint32Array {
  const state = new Uint32Array(4);
  for (let i = 0; i < 4; i++) {
    state[i] = fmix32(seed + Math.imul(GOLDEN_GAMMA, 4 * tree + i + 1));
  }
  if (state[0] === 0 && state[1] === 0 && state[2] === 0 && state[3] === 0) state[0] = 1;
  return state;
}

function rotl(x: number, k: number): number {
  return (x << k) | (x >>> (32 - k));
}

/** xoshiro128** over an explicit state (the state words are updated in place). */
export function xoshiro128(state: Uint32Array): Rng {
  const s = state;
  const next32 = (): number => {
    const result = Math.imul(rotl(Math.imul(s[1], 5), 7), 9) >>> 0;
    const t = s[1] << 9;
    s[2] ^= s[0];
    s[3] ^= s[1];
    s[1] ^= s[2];
    s[0] ^= s[3];
    s[2] ^= t;
    s[3] = rotl(s[3], 11);
    return result;
  };
  const nextDouble = (): number => {
    const a = next32() >>> 5;
    const b = next32() >>> 6;
    return (a * 2 ** 26 + b) / 2 ** 53;
  };
  const nextBelow = (n: number): number => {
    const limit = (2 ** 32 - n) % n;
    let r = next32();
    while (r < limit) r = next32();
    return r % n;
  };
  return { next32, nextDouble, nextBelow };
}

/** The generator of tree `tree` (0-based) in a forest fitted with `seed` (a u32). */
export function createRng(seed: number, tree: number): Rng {
  return xoshiro128(seedState(seed, tree));
}
