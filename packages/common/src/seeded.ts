/**
 * mulberry32 (Tommy Ettinger's generator, as published in bryc's PRNG collection): uniform numbers in [0, 1) from a
 * u32 seed, the same sequence on every run and platform. For test data, fuzzing and benchmark inputs only: it is
 * neither the forest's generator (xoshiro128**, docs/forest.md) nor suitable for anything secret.
 */
export function mulberry32(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}
