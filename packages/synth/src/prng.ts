import { fmix32 as mix } from '@isoforest/common';

/**
 * The generator's own small PRNG (sfc32, Chris Doty-Humphrey's Small Fast Counting generator), reseeded from a
 * hash of (seed, stream, a, b). Every user and every user-day gets its own stream, so a row does not depend on how
 * rows are batched, on which rows came before, or on the attack rate (attacks draw from their own stream).
 */
export class Prng {
  private a = 0;
  private b = 0;
  private c = 0;
  private d = 0;

  /** Restarts the generator on the stream identified by the four 32-bit integers. */
  reseed(seed: number, stream: number, first: number, second: number): void {
    this.a = mix(seed ^ mix(stream + 0x9e3779b9));
    this.b = mix(this.a ^ first);
    this.c = mix(this.b ^ second);
    this.d = 1;
    // The words are already hashes; a few rounds of sfc32 finish mixing them into each other.
    for (let i = 0; i < 4; i++) this.uint32();
  }

  /** A uniform 32-bit unsigned integer. */
  uint32(): number {
    const t = (((this.a + this.b) | 0) + this.d) | 0;
    this.d = (this.d + 1) | 0;
    this.a = this.b ^ (this.b >>> 9);
    this.b = (this.c + (this.c << 3)) | 0;
    this.c = (this.c << 21) | (this.c >>> 11);
    this.c = (this.c + t) | 0;
    return t >>> 0;
  }

  /** A uniform float in [0, 1), 32 bits of resolution. */
  float(): number {
    return this.uint32() / 4294967296;
  }

  /** A uniform integer in [0, n). */
  int(n: number): number {
    return Math.floor(this.float() * n);
  }

  /** True with probability `p`. */
  chance(p: number): boolean {
    return this.float() < p;
  }

  /** A standard normal deviate (Box-Muller; 1 - u keeps the logarithm finite). */
  normal(): number {
    return Math.sqrt(-2 * Math.log(1 - this.float())) * Math.cos(2 * Math.PI * this.float());
  }

  /** A symmetric triangular deviate on (-1, 1), mean 0, standard deviation 1/sqrt(6): a cheap bell for jitter. */
  triangular(): number {
    return this.float() - this.float();
  }

  /** A log-normal deviate with the given median and log-space standard deviation `sigma`. */
  logNormal(median: number, sigma: number): number {
    return median * Math.exp(sigma * this.normal());
  }
}
