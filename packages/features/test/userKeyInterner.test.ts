import { describe, expect, it } from 'vitest';
import { UserKeyInterner } from '../src/userKeyInterner.js';

const utf8 = (text: string) => new TextEncoder().encode(text);

/** MurmurHash3_x86_32's block scrambling (Appleby's reference MurmurHash3.cpp), and its inverse. */
const C1 = 0xcc9e2d51;
const C2 = 0x1b873593;
const scramble = (k: number) => Math.imul(rotl(Math.imul(k, C1), 15), C2);
const unscramble = (x: number) => Math.imul(rotl(Math.imul(x, inverse(C2)), 17), inverse(C1));
const rotl = (x: number, r: number) => (x << r) | (x >>> (32 - r));

/** The inverse of an odd number modulo 2^32 (Newton's iteration doubles the correct low bits each step). */
function inverse(odd: number): number {
  let x = odd;
  for (let i = 0; i < 5; i++) x = Math.imul(x, 2 - Math.imul(odd, x));
  return x;
}

/** MurmurHash3_x86_32 of `bytes` with `seed`: the oracle that the keys below collide whatever the seed. */
function murmur3(bytes: Uint8Array, seed: number): number {
  let h = seed | 0;
  const whole = bytes.length & ~3;
  for (let i = 0; i < whole; i += 4) {
    h ^= scramble(bytes[i] | (bytes[i + 1] << 8) | (bytes[i + 2] << 16) | (bytes[i + 3] << 24));
    h = (Math.imul(rotl(h, 13), 5) + 0xe6546b64) | 0;
  }
  let tail = 0;
  for (let i = whole; i < bytes.length; i++) tail |= bytes[i] << (8 * (i - whole));
  if (bytes.length & 3) h ^= scramble(tail);
  h ^= bytes.length;
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35);
  return (h ^ (h >>> 16)) >>> 0;
}

/**
 * 2^pairs distinct names of 8 * pairs bytes with one MurmurHash3 state for every seed (Aumasson, Bernstein and
 * Boßlet, "Hash-flooding DoS reloaded", 2012): in each 8-byte pair, flipping bit 18 of the first scrambled word
 * flips bit 31 of the state after it (rotation by 13, then multiplication by 5 and an addition carry it out of the
 * top), and flipping bit 31 of the second cancels it. Each name takes one of the two versions of every pair.
 */
function murmurMulticollisions(pairs: number): Uint8Array[] {
  const words = [
    [0x61646d69, 0x6e2d3031], // any words: the difference does the work
    [unscramble(scramble(0x61646d69) ^ (1 << 18)), unscramble(scramble(0x6e2d3031) ^ (1 << 31))],
  ];
  const names: Uint8Array[] = [];
  for (let choice = 0; choice < 2 ** pairs; choice++) {
    const name = new DataView(new ArrayBuffer(8 * pairs));
    for (let p = 0; p < pairs; p++) {
      const [first, second] = words[(choice >> p) & 1];
      name.setInt32(8 * p, first, true);
      name.setInt32(8 * p + 4, second, true);
    }
    names.push(new Uint8Array(name.buffer));
  }
  return names;
}

describe('UserKeyInterner', () => {
  it('gives the published MurmurHash3_x86_32 vectors from its oracle', () => {
    // The oracle's own check: widely published MurmurHash3_x86_32 values (Appleby's reference code gives the same).
    expect(murmur3(utf8(''), 0)).toBe(0);
    expect(murmur3(utf8(''), 1)).toBe(0x514e28b7);
    expect(murmur3(utf8('test'), 0)).toBe(0xba6bd213);
    expect(murmur3(utf8('Hello, world!'), 1234)).toBe(0xfaf6cdb3);
    expect(murmur3(utf8('The quick brown fox jumps over the lazy dog'), 0)).toBe(0x2e4ff723);
  });

  it("keeps linear work on MurmurHash3's seed-independent multicollisions", () => {
    const names = murmurMulticollisions(12);
    // They are what they claim: distinct, and one MurmurHash3 value for each of several seeds.
    expect(new Set(names.map((name) => name.join())).size).toBe(4096);
    for (const seed of [0, 1, 0x9747b28c, 0xdeadbeef]) {
      expect(new Set(names.map((name) => murmur3(name, seed))).size, `seed ${seed}`).toBe(1);
    }
    const interner = new UserKeyInterner();
    const domain = utf8('CONTOSO');
    for (const [id, name] of names.entries()) {
      expect(interner.intern(domain, 0, domain.length, name, 0, name.length)).toBe(id);
    }
    // Every key looked up again gives its id, and the table's work stays a few probes a key: linear probing at a load
    // factor of at most 1/2 takes 1.5 a key on average; keys sharing one hash would take about 2,048 each.
    for (const [id, name] of names.entries()) {
      expect(interner.intern(domain, 0, domain.length, name, 0, name.length)).toBe(id);
      expect(interner.holds(id, domain, 0, domain.length, name, 0, name.length)).toBe(true);
      expect(interner.holds(id ^ 1, domain, 0, domain.length, name, 0, name.length)).toBe(false);
    }
    expect(interner.size).toBe(4096);
    expect(interner.probeCount()).toBeGreaterThanOrEqual(4096);
    expect(interner.probeCount()).toBeLessThan(3 * 4096);
  });

  it('tells apart keys whose bytes run together the same', () => {
    const interner = new UserKeyInterner();
    const pairs = [
      ['abcd', 'efgh'],
      ['abcdefgh', ''],
      ['', 'abcdefgh'],
      ['ab', 'cdefgh'],
      ['ab\0\0', 'efgh'],
      ['abcd\0', 'efgh'],
    ];
    const key = ([d, u]: string[]) => [utf8(d), utf8(u)] as const;
    const ids = pairs.map((pair) => {
      const [d, u] = key(pair);
      return interner.intern(d, 0, d.length, u, 0, u.length);
    });
    expect(ids).toEqual([0, 1, 2, 3, 4, 5]);
  });
});
