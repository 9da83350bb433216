import { describe, expect, it } from 'vitest';
import { mulberry32 } from '../src/seeded.js';

describe('mulberry32', () => {
  it("gives the C reference implementation's outputs divided by 2^32", () => {
    // The published C code (uint32_t z = (*s += 0x6D2B79F5); ...), compiled with gcc: seed 42 gives 2581720956,
    // 1925393290, 3661312704, 2876485805; seed 0 starts 1144304738.
    const next = mulberry32(42);
    expect([next(), next(), next(), next()]).toEqual(
      [2581720956, 1925393290, 3661312704, 2876485805].map((v) => v / 2 ** 32),
    );
    expect(mulberry32(0)()).toBe(1144304738 / 2 ** 32);
  });

  it('gives the same sequence for the same seed, another for another seed', () => {
    const a = mulberry32(7);
    const b = mulberry32(7);
    const c = mulberry32(8);
    const first = Array.from({ length: 5 }, () => a());
    expect(Array.from({ length: 5 }, () => b())).toEqual(first);
    expect(Array.from({ length: 5 }, () => c())).not.toEqual(first);
    first.forEach((u) => expect(u >= 0 && u < 1).toBe(true));
  });
});
