/**
 * Damaged model files: every byte of the footer and of the batch message flipped, and a footer crafted to list
 * more batches than the file holds. Each must load or fail with a ModelFormatError, never hang inside apache-arrow
 * or fail with anything else.
 */
import { tableFromArrays } from 'apache-arrow';
import { beforeAll, describe, expect, it } from 'vitest';
import { arrowFileLayoutProblem } from '../src/arrowFileLayout.js';
import { ModelFormatError } from '../src/errors.js';
import { createIsoforest, type Isoforest } from '../src/isoforest.js';
import { loadEngine } from '../src/wasm/index.js';

let isoforest: Isoforest;
let saved: Uint8Array;

beforeAll(async () => {
  isoforest = createIsoforest(await loadEngine());
  const n = 200;
  const rows = tableFromArrays({
    a: Float64Array.from({ length: n }, (_, i) => i % 7),
    b: Float64Array.from({ length: n }, (_, i) => (i * 3) % 11),
  });
  saved = isoforest.fit(rows, { nEstimators: 3, randomState: 1 }).save();
});

const view = (bytes: Uint8Array) => (offset: number, length: number) => bytes.subarray(offset, offset + length);
const footerStart = (bytes: Uint8Array) =>
  bytes.length - 10 - new DataView(bytes.buffer, bytes.byteOffset).getInt32(bytes.length - 10, true);

/** Loads `bytes`: 'ok' or 'format error'; anything else thrown is a failure of the test. */
function loadOutcome(bytes: Uint8Array): 'ok' | 'format error' {
  try {
    isoforest.load(bytes);
    return 'ok';
  } catch (error) {
    if (error instanceof ModelFormatError) return 'format error';
    throw error;
  }
}

describe('Arrow file layout of a model', () => {
  it('finds nothing wrong with a file model.save() wrote', () => {
    expect(arrowFileLayoutProblem(saved.length, view(saved))).toBe(null);
  });

  it('loads or refuses, never hangs, with any byte of the footer flipped', { timeout: 120_000 }, () => {
    const outcomes = { ok: 0, 'format error': 0 };
    for (let i = footerStart(saved) - 400; i < saved.length; i++) {
      const bytes = saved.slice();
      bytes[i] ^= 0xff;
      outcomes[loadOutcome(bytes)]++;
    }
    expect(outcomes['format error']).toBeGreaterThan(300);
  });

  it('refuses a footer whose batch count claims more blocks than the footer holds', () => {
    const bytes = saved.slice();
    const start = footerStart(bytes);
    const dv = new DataView(bytes.buffer);
    // The footer's record-batch vector: root table -> vtable entry 3 -> vector; its first word is the count.
    const root = start + dv.getUint32(start, true);
    const vtable = root - dv.getInt32(root, true);
    const field = root + dv.getUint16(vtable + 4 + 2 * 3, true);
    const vector = field + dv.getUint32(field, true);
    expect(dv.getUint32(vector, true)).toBe(1);
    dv.setUint32(vector, 0x7fffffff, true);
    expect(arrowFileLayoutProblem(bytes.length, view(bytes))).toMatch(/footer: an offset points outside/);
    expect(() => isoforest.load(bytes)).toThrow(ModelFormatError);
  });

  it('refuses a block whose body runs into the footer, and a file cut short', () => {
    expect(() => isoforest.load(saved.subarray(0, saved.length - 1))).toThrow(/ARROW1/);
    expect(arrowFileLayoutProblem(20, view(new Uint8Array(20)))).toMatch(/does not start with ARROW1/);
  });
});
