import { describe, expect, it } from 'vitest';
import { uniqueRows } from '../src/uniqueRows.js';

/** Column-major block from rows. */
function block(rows: number[][]) {
  const columns = rows[0].length;
  const data = new Float32Array(rows.length * columns);
  rows.forEach((row, r) => row.forEach((value, c) => (data[c * rows.length + r] = value)));
  return { data, rows: rows.length, columns };
}

describe('uniqueRows', () => {
  it('keeps each distinct row once, in order of first appearance, and maps every row to it', () => {
    const input = block([
      [1, 2],
      [3, 4],
      [1, 2],
      [1, 4],
      [3, 4],
      [1, 2],
    ]);
    const { unique, rowOf } = uniqueRows(input);
    expect(unique.rows).toBe(3);
    expect(Array.from(unique.data)).toEqual([1, 3, 1, 2, 4, 4]);
    expect(Array.from(rowOf)).toEqual([0, 1, 0, 2, 1, 0]);
  });

  it('tells apart rows that differ in any column or only in the last bit', () => {
    const tiny = Math.fround(1 + 2 ** -23);
    const { unique, rowOf } = uniqueRows(
      block([
        [1, 0, 5],
        [tiny, 0, 5],
        [1, 0, 6],
        [1, 0, 5],
      ]),
    );
    expect(unique.rows).toBe(3);
    expect(Array.from(rowOf)).toEqual([0, 1, 2, 0]);
  });

  it('rebuilds every row of a large random block from its distinct rows', () => {
    const rows = Array.from({ length: 5000 }, (_, r) => [r % 7, (r * 13) % 11, r % 3 === 0 ? 0.5 : 0.25]);
    const input = block(rows);
    const { unique, rowOf } = uniqueRows(input);
    expect(unique.rows).toBe(new Set(rows.map((row) => row.join())).size);
    for (let r = 0; r < input.rows; r++) {
      for (let c = 0; c < input.columns; c++)
        expect(unique.data[c * unique.rows + rowOf[r]]).toBe(input.data[c * input.rows + r]);
    }
  });
});

describe('explain on repeated rows', () => {
  it('gives every repeat exactly the values the engine computes for it', async () => {
    const { loadEngine } = await import('../src/wasm/index.js');
    const { createIsoforest } = await import('../src/isoforest.js');
    const engine = await loadEngine();
    const isoforest = createIsoforest(engine);
    const base = Array.from({ length: 300 }, (_, r) => [(r * 7) % 13, (r * 5) % 17, r % 4]);
    const train = { a: base.map((row) => row[0]), b: base.map((row) => row[1]), c: base.map((row) => row[2]) };
    const model = isoforest.fit(train, { nEstimators: 30, randomState: 9 });
    // Every row appears three times, interleaved, so the block has a third as many distinct rows.
    const rows = [...base, ...base.slice().reverse(), ...base];
    const x = block(rows);
    const direct = engine.treeShap(model.forest, x);
    const { values } = model.explain([0, 1, 2].map((c) => rows.map((row) => row[c])));
    values.forEach((column, c) =>
      column.forEach((value, r) => expect(Object.is(value, direct[c * rows.length + r])).toBe(true)),
    );
  });
});
