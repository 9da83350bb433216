import { describe, expect, it } from 'vitest';
import { fmix32 } from '@isoforest/common';
import { createRng, seedState, xoshiro128 } from '../src/index.js';

describe('xoshiro128**', () => {
  it('produces the outputs derived by hand from state [1, 2, 3, 4]', () => {
    // 1st: rotl(2 * 5, 7) * 9 = 1280 * 9; the state becomes [7, 0, 1026, 12288].
    // 2nd: rotl(0 * 5, 7) * 9 = 0; the state becomes [12295, 1029, 1029, 25165824].
    // 3rd: rotl(1029 * 5, 7) * 9 = 658560 * 9.
    const rng = xoshiro128(new Uint32Array([1, 2, 3, 4]));
    expect([rng.next32(), rng.next32(), rng.next32()]).toEqual([11520, 0, 5927040]);
  });

  it('seeds tree t from fmix32(seed + 0x9E3779B9 * (4t + i + 1))', () => {
    const state = seedState(42, 3);
    for (let i = 0; i < 4; i++) {
      const word = Number((42n + 0x9e3779b9n * BigInt(4 * 3 + i + 1)) % 2n ** 32n);
      expect(state[i]).toBe(fmix32(word));
    }
  });

  it('gives every tree its own stream', () => {
    const a = createRng(7, 0);
    const b = createRng(7, 1);
    expect([a.next32(), a.next32()]).not.toEqual([b.next32(), b.next32()]);
  });
});

describe('nextBelow', () => {
  it('rejects raw outputs under (2^32 - n) % n', () => {
    // With s1 = 0 the first raw output is 0, and (2^32 - 3) % 3 = 1, so nextBelow(3) must skip it.
    const twin = xoshiro128(new Uint32Array([1, 0, 3, 4]));
    expect(twin.next32()).toBe(0);
    const second = twin.next32();
    expect(xoshiro128(new Uint32Array([1, 0, 3, 4])).nextBelow(3)).toBe(second % 3);
    // (2^32 - 4) % 4 = 0: nothing is rejected, the first output is used.
    expect(xoshiro128(new Uint32Array([1, 0, 3, 4])).nextBelow(4)).toBe(0);
  });

  it('stays in range at the extremes', () => {
    const rng = createRng(1, 0);
    for (let i = 0; i < 1000; i++) {
      expect(rng.nextBelow(1)).toBe(0);
      const big = rng.nextBelow(0xffffffff);
      expect(big).toBeGreaterThanOrEqual(0);
      expect(big).toBeLessThan(0xffffffff);
      expect(Number.isInteger(big)).toBe(true);
    }
  });

  it('is uniform (chi-square over 7 bins)', () => {
    const rng = createRng(2024, 5);
    const bins = new Array<number>(7).fill(0);
    const draws = 70000;
    for (let i = 0; i < draws; i++) bins[rng.nextBelow(7)]++;
    const expected = draws / 7;
    const chi2 = bins.reduce((sum, count) => sum + (count - expected) ** 2 / expected, 0);
    expect(chi2).toBeLessThan(22.46); // the 0.999 quantile of chi-square with 6 degrees of freedom
  });
});

describe('nextDouble', () => {
  it('lies in [0, 1) with a mean near 1/2', () => {
    const rng = createRng(9, 9);
    let sum = 0;
    for (let i = 0; i < 20000; i++) {
      const u = rng.nextDouble();
      expect(u).toBeGreaterThanOrEqual(0);
      expect(u).toBeLessThan(1);
      sum += u;
    }
    expect(Math.abs(sum / 20000 - 0.5)).toBeLessThan(0.01);
  });

  it('combines 27 high bits of one draw and 26 of the next', () => {
    const raw = xoshiro128(new Uint32Array([5, 6, 7, 8]));
    const a = raw.next32() >>> 5;
    const b = raw.next32() >>> 6;
    expect(xoshiro128(new Uint32Array([5, 6, 7, 8])).nextDouble()).toBe((a * 2 ** 26 + b) / 2 ** 53);
  });
});
