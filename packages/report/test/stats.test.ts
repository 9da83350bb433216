import { describe, expect, it } from 'vitest';
import { correlationMatrix, standardize, topCorrelations } from '../src/stats.js';
import { pcaProjection } from '../src/pca.js';

// Hand computation: x and y have mean 2.5; deviations x = (-1.5, -0.5, 0.5, 1.5), y = (-1.5, 0.5, -0.5, 1.5);
// sum dx*dy = 2.25 - 0.25 - 0.25 + 2.25 = 4, sum dx^2 = sum dy^2 = 5, so r = 4 / 5 = 0.8.
const x = [1, 2, 3, 4];
const y = [1, 3, 2, 4];

describe('correlationMatrix and topCorrelations', () => {
  // z = x + (1, -1, 1, -1): deviations (-0.5, -1.5, 1.5, 0.5), sum dz^2 = 5; with x: 0.75 + 0.75 + 0.75 + 0.75 = 3,
  // r = 3/5 = 0.6; with y: 0.75 - 0.75 - 0.75 + 0.75 = 0, r = 0.
  const z = [2, 1, 4, 3];
  const m = correlationMatrix([x, y, z, [7, 7, 7, 7]]);

  it('holds the hand-computed pairwise values, symmetric, with 1 on the diagonal', () => {
    expect(m[0][1]).toBeCloseTo(0.8, 14);
    expect(m[0][2]).toBeCloseTo(0.6, 14);
    expect(m[1][2]).toBeCloseTo(0, 14);
    expect(m[2][0]).toBe(m[0][2]);
    expect([m[0][0], m[1][1], m[2][2]]).toEqual([1, 1, 1]);
    expect(m[3][3]).toBeNaN();
  });

  it('ranks pairs by |r| and leaves out undefined ones', () => {
    const top = topCorrelations(['x', 'y', 'z', 'c'], m, 10);
    expect(top.map((p) => `${p.a}-${p.b}`)).toEqual(['x-y', 'x-z', 'y-z']);
    expect(topCorrelations(['x', 'y', 'z', 'c'], m, 1)).toHaveLength(1);
  });
});

describe('standardize', () => {
  it('uses the population standard deviation and maps a constant column to zeros', () => {
    // x: mean 2.5, population variance (2.25 + 0.25 + 0.25 + 2.25) / 4 = 1.25.
    const [zx, zc] = standardize([x, [3, 3, 3, 3]]);
    expect(zx[0]).toBeCloseTo(-1.5 / Math.sqrt(1.25), 14);
    expect(zx[3]).toBeCloseTo(1.5 / Math.sqrt(1.25), 14);
    expect(Array.from(zc)).toEqual([0, 0, 0, 0]);
  });
});

describe('pcaProjection', () => {
  // Standardised x and y have correlation matrix [[1, 0.8], [0.8, 1]]: eigenvalues 1.8 and 0.2, so the components
  // explain 0.9 and 0.1; PC1 is (zx + zy) / sqrt 2 and PC2 (zx - zy) / sqrt 2, up to sign.
  const s = Math.sqrt(1.25);
  const zx = x.map((v) => (v - 2.5) / s);
  const zy = y.map((v) => (v - 2.5) / s);

  it('explains 0.9 and 0.1 of the variance', () => {
    const p = pcaProjection([x, y], [0, 1, 2, 3], 3);
    expect(p.explainedVariance).toHaveLength(2);
    expect(p.explainedVariance[0]).toBeCloseTo(0.9, 12);
    expect(p.explainedVariance[1]).toBeCloseTo(0.1, 12);
  });

  it('projects onto the hand-computed components (up to sign)', () => {
    const p = pcaProjection([x, y], [0, 1, 2, 3], 2);
    const pc1 = zx.map((v, i) => (v + zy[i]) / Math.SQRT2);
    const pc2 = zx.map((v, i) => (v - zy[i]) / Math.SQRT2);
    const sign = (a: ArrayLike<number>, b: number[]) =>
      Math.sign(a[0] * b[0] + a[1] * b[1] + a[2] * b[2] + a[3] * b[3]);
    const s1 = sign(p.coordinates[0], pc1);
    const s2 = sign(p.coordinates[1], pc2);
    pc1.forEach((v, i) => expect(s1 * p.coordinates[0][i]).toBeCloseTo(v, 12));
    pc2.forEach((v, i) => expect(s2 * p.coordinates[1][i]).toBeCloseTo(v, 12));
  });

  it('gives a constant column no variance and projects only the requested rows', () => {
    const p = pcaProjection([x, y, [9, 9, 9, 9]], [3, 0], 3);
    expect(p.explainedVariance[0]).toBeCloseTo(0.9, 12);
    expect(p.explainedVariance[1]).toBeCloseTo(0.1, 12);
    expect(p.explainedVariance[2]).toBeCloseTo(0, 12);
    expect(p.coordinates[0]).toHaveLength(2);
    expect(Math.abs(p.coordinates[0][0])).toBeCloseTo((zx[3] + zy[3]) / Math.SQRT2, 12);
  });

  it('refuses fewer than two rows', () => {
    expect(() => pcaProjection([[1]], [0], 3)).toThrow(/at least 2 rows/);
  });
});
