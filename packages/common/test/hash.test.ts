import { describe, expect, it } from 'vitest';
import { fmix32, fnv1a32 } from '../src/hash.js';

const utf8 = (text: string) => new TextEncoder().encode(text);

describe('fnv1a32', () => {
  it('gives the published FNV-1a 32-bit test vectors', () => {
    // From the test suite of Fowler, Noll and Vo's reference code (fnv32a of "", "a", "foobar").
    expect(fnv1a32(utf8(''))).toBe(0x811c9dc5);
    expect(fnv1a32(utf8('a'))).toBe(0xe40c292c);
    expect(fnv1a32(utf8('foobar'))).toBe(0xbf9cf968);
  });

  it('hashes only the range it is given', () => {
    const bytes = utf8('xxfoobaryy');
    expect(fnv1a32(bytes, 2, 8)).toBe(0xbf9cf968);
    expect(fnv1a32(bytes, 3, 4)).toBe(fnv1a32(utf8('o')));
  });
});

describe('fmix32', () => {
  it("is MurmurHash3's finaliser: MurmurHash3_x86_32 of no bytes is fmix32 of the seed", () => {
    // SMHasher's published vectors for an empty key: seed 0 -> 0, seed 1 -> 0x514E28B7, seed 0xFFFFFFFF -> 0x81F16F39.
    expect(fmix32(0)).toBe(0);
    expect(fmix32(1)).toBe(0x514e28b7);
    expect(fmix32(0xffffffff)).toBe(0x81f16f39);
    expect(fmix32(-1)).toBe(0x81f16f39);
  });
});
