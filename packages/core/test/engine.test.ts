/** The WebAssembly engine's loading, memory management and guards (its numbers are checked in identity.test.ts). */
import { readFile } from 'node:fs/promises';
import { growForest, meanPathLength, type FlatForest } from '@isoforest/reference';
import * as fc from 'fast-check';
import { afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import type { Float32Columns } from '../src/engine.js';
import { loadEngine, threshold32, type WasmEngine } from '../src/wasm/index.js';
import { loadCore as loadCoreInBrowser } from '../src/wasm/load-browser.js';

const wasmUrl = new URL('../wasm/isoforest.wasm', import.meta.url);

function wave(rows: number, columns: number, phase = 0): Float32Columns {
  const data = new Float32Array(rows * columns);
  for (let i = 0; i < data.length; i++) data[i] = Math.sin(i * 0.61 + phase) * 4 + (i % 7);
  return { data, rows, columns };
}

function sameValues(a: ArrayLike<number>, b: ArrayLike<number>): boolean {
  return a.length === b.length && Array.prototype.every.call(a, (v: number, i: number) => Object.is(v, b[i]));
}

let engine: WasmEngine;
beforeAll(async () => {
  engine = await loadEngine();
});

describe('loadEngine', () => {
  const x = wave(50, 3);
  const growth = { trees: 3, maxSamples: 32, maxFeatures: 3, bootstrap: false, seed: 8 };

  it.each([
    ['the shipped file (default)', async () => undefined],
    ['a file URL', async () => wasmUrl],
    ['a path', async () => wasmUrl.pathname],
    ['bytes', async () => new Uint8Array(await readFile(wasmUrl))],
    ['a compiled module', async () => new WebAssembly.Module(await readFile(wasmUrl))],
  ])('loads from %s', async (_name, source) => {
    const loaded = await loadEngine(await source());
    expect(sameValues(loaded.growForest(x, growth).value, growForest(x, growth).value)).toBe(true);
  });

  it('rejects bytes that are not the isoforest core', async () => {
    // A valid empty module: magic number and version only.
    await expect(loadEngine(Uint8Array.from([0, 97, 115, 109, 1, 0, 0, 0]))).rejects.toThrow(/not the isoforest/);
  });
});

describe('browser loader', () => {
  afterEach(() => {
    vi.unstubAllGlobals();
  });

  const stubFetch = (bytes: Uint8Array, contentType: string, status = 200): void => {
    vi.stubGlobal(
      'fetch',
      async () =>
        new Response(status === 200 ? new Uint8Array(bytes) : null, {
          status,
          headers: { 'content-type': contentType },
        }),
    );
  };

  it('streams the module when the server sends application/wasm, and falls back to bytes otherwise', async () => {
    const bytes = new Uint8Array(await readFile(wasmUrl));
    for (const type of ['application/wasm', 'application/octet-stream']) {
      stubFetch(bytes, type);
      const core = await loadCoreInBrowser('https://example.test/isoforest.wasm');
      expect(core.treeCapacity(256)).toBe(511);
    }
  });

  it('reports an HTTP failure', async () => {
    stubFetch(new Uint8Array(), 'text/plain', 404);
    await expect(loadCoreInBrowser('https://example.test/missing.wasm')).rejects.toThrow(/HTTP 404/);
  });

  it('imports nothing from Node', async () => {
    for (const file of ['../src/wasm/load-browser.ts', '../src/wasm/exports.ts']) {
      const source = await readFile(new URL(file, import.meta.url), 'utf8');
      const imports = [...source.matchAll(/from '([^']+)'/g)].map((m) => m[1]);
      expect(imports.every((spec) => spec.startsWith('./'))).toBe(true);
    }
  });
});

describe('threshold32', () => {
  it('rounds down to the largest float32 not above the threshold', () => {
    expect(threshold32(0.1)).toBe(0.09999999403953552); // fround(0.1) = 0.10000000149011612 rounds up
    expect(threshold32(-0.1)).toBe(Math.fround(-0.1)); // -0.10000000149011612 is already below
    expect(threshold32(1.5)).toBe(1.5);
    expect(threshold32(1e-50)).toBe(0);
    expect(threshold32(-1e-50)).toBe(-(2 ** -149)); // fround gives -0, above the threshold
    expect(threshold32(1e300)).toBe(3.4028234663852886e38); // the largest finite float32
    expect(threshold32(-1e300)).toBe(-Infinity);
  });

  it('keeps every float32 on the float64 comparison side', () => {
    fc.assert(
      fc.property(fc.double({ noNaN: true, noDefaultInfinity: true }), fc.float({ noNaN: true }), (t, x) => {
        const t32 = threshold32(t);
        expect(t32).toBeLessThanOrEqual(t);
        expect(Math.fround(t32)).toBe(t32);
        expect(x <= t32).toBe(x <= t);
        const near = Math.fround(t);
        expect(near <= t32).toBe(near <= t);
      }),
      { numRuns: 5000 },
    );
  });
});

describe('WasmEngine memory', () => {
  it('grows its memory for large inputs and keeps scoring right afterwards', () => {
    const small = wave(300, 4);
    const smallForest = engine.growForest(small, {
      trees: 10,
      maxSamples: 128,
      maxFeatures: 4,
      bootstrap: false,
      seed: 1,
    });
    const before = engine.meanPathLength(smallForest, small);

    // 200k x 8 float32 is 6.4 MB, far above the core's initial 1 MB: the memory must grow and views refresh.
    const large = wave(200_000, 8, 1);
    const growth = { trees: 2, maxSamples: 5000, maxFeatures: 5, bootstrap: true, seed: 77 };
    const largeForest = engine.growForest(large, growth);
    const expected = growForest(large, growth);
    expect(sameValues(largeForest.threshold, expected.threshold)).toBe(true);
    expect(sameValues(largeForest.nodeSamples, expected.nodeSamples)).toBe(true);
    expect(sameValues(engine.meanPathLength(largeForest, large), meanPathLength(expected, large))).toBe(true);

    // Training overwrote the resident forest: scoring the small one again must copy it back.
    expect(sameValues(engine.meanPathLength(smallForest, small), before)).toBe(true);
    expect(sameValues(before, meanPathLength(smallForest, small))).toBe(true);
  });

  it('scores inputs with many columns (small blocks) exactly', () => {
    const wide = wave(700, 3000, 2);
    const forest = engine.growForest(wide, { trees: 4, maxSamples: 256, maxFeatures: 3000, bootstrap: false, seed: 4 });
    expect(Math.max(...forest.feature)).toBeGreaterThan(256);
    expect(sameValues(engine.meanPathLength(forest, wide), meanPathLength(forest, wide))).toBe(true);
  });

  it('scores zero rows to an empty result', () => {
    const forest = engine.growForest(wave(10, 2), {
      trees: 1,
      maxSamples: 10,
      maxFeatures: 2,
      bootstrap: false,
      seed: 0,
    });
    expect(engine.meanPathLength(forest, { data: new Float32Array(0), rows: 0, columns: 2 })).toEqual(
      new Float64Array(0),
    );
  });
});

describe('WasmEngine guards', () => {
  const x = wave(40, 3);
  const growth = { trees: 2, maxSamples: 16, maxFeatures: 2, bootstrap: false, seed: 3 };
  const forest: FlatForest = growForest(x, growth);

  it('rejects shapes that do not match the data', () => {
    expect(() => engine.growForest({ ...x, rows: 41 }, growth)).toThrow(RangeError);
    expect(() => engine.meanPathLength(forest, { ...x, columns: 2 })).toThrow(/expected rows \* columns/);
  });

  it('rejects growth parameters out of range', () => {
    expect(() => engine.growForest(x, { ...growth, maxSamples: 41 })).toThrow(/maxSamples/);
    expect(() => engine.growForest(x, { ...growth, maxSamples: 0 })).toThrow(/maxSamples/);
    expect(() => engine.growForest(x, { ...growth, maxFeatures: 4 })).toThrow(/maxFeatures/);
    expect(() => engine.growForest(x, { ...growth, trees: 0 })).toThrow(/trees/);
    expect(() => engine.growForest(x, { ...growth, seed: 2 ** 32 })).toThrow(/seed/);
  });

  it('rejects a forest that splits on a column the input lacks', () => {
    const narrow = { data: x.data.subarray(0, 40), rows: 40, columns: 1 };
    const splitsOnLater = Math.max(...forest.feature) > 0;
    expect(splitsOnLater).toBe(true);
    expect(() => engine.meanPathLength(forest, narrow)).toThrow(/splits on feature/);
  });

  it('rejects a malformed forest before it reaches the core', () => {
    const broken = { ...forest, left: forest.left.map((l) => (l > 0 ? 0 : l)) };
    expect(() => engine.meanPathLength(broken, x)).toThrow(/child out of range/);
    const noTrees = { ...forest, treeOffsets: Int32Array.from([0]) };
    expect(() => engine.meanPathLength(noTrees, x)).toThrow(/no trees/);
  });
});
