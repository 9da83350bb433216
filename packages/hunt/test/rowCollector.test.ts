import { DateDay, Dictionary, Float64, Int32, Table, Utf8, makeData, makeVector, vectorFromArray } from 'apache-arrow';
import { describe, expect, it } from 'vitest';
import { RowCollector } from '../src/passes/rowCollector.js';

/** A batch of every kind of column a hunt's scored rows hold: numbers, per-user dictionaries, strings, dates. */
function batch(offset: number, nullAt = -1): Table {
  const n = 5;
  const perUser = Float64Array.of(0.5 + offset, Number.NaN, 2);
  return new Table({
    count: vectorFromArray(
      Array.from({ length: n }, (_, i) => (i === nullAt ? null : offset + i)),
      new Float64(),
    ),
    predict: makeVector(Int8Array.from({ length: n }, (_, i) => (i % 2 === 0 ? -1 : 1))),
    mean: makeVector(
      makeData({
        type: new Dictionary(new Float64(), new Int32()),
        length: n,
        nullCount: 0,
        data: Int32Array.of(2, 0, 1, 0, 2),
        dictionary: makeVector(perUser),
      }),
    ),
    user: vectorFromArray(
      ['a', 'b', 'c', 'd', 'e'].map((u) => u + offset),
      new Utf8(),
    ),
    day: vectorFromArray(
      [0, 1, 2, 3, 4].map((d) => new Date(Date.UTC(2024, 0, 1 + d + offset))),
      new DateDay(),
    ),
  });
}

const values = (table: Table, name: string) =>
  Array.from({ length: table.numRows }, (_, i) => table.getChild(name)!.get(i));

describe('RowCollector', () => {
  it.each([
    ['no nulls', -1],
    ['a null number', 3],
  ])('gathers rows of several batches into their slots, with their types and values (%s)', (_, nullAt) => {
    const first = batch(0);
    const second = batch(10, nullAt);
    const collector = new RowCollector(4);
    collector.take(first, [
      [4, 2],
      [1, 0],
    ]);
    collector.take(second, [
      [3, 3],
      [2, 1],
    ]);
    const table = collector.table();
    expect(table.schema.fields.map((f) => `${f.name}: ${f.type}`)).toEqual(
      first.schema.fields.map((f) => `${f.name}: ${f.type}`),
    );
    for (const name of ['count', 'predict', 'mean', 'user', 'day']) {
      const expected = [
        values(first, name)[1],
        values(second, name)[2],
        values(first, name)[4],
        values(second, name)[3],
      ];
      expect(values(table, name), name).toEqual(expected);
    }
    expect(values(table, 'count')[3]).toBe(nullAt === 3 ? null : 13);
    expect(Object.is(values(table, 'mean')[1], Number.NaN)).toBe(true);
  });

  it('gathers the rows of a slice as the slice numbers them', () => {
    const whole = batch(20);
    const slice = whole.slice(1, 4);
    const collector = new RowCollector(2);
    collector.take(slice, [
      [2, 0],
      [0, 1],
    ]);
    const table = collector.table();
    for (const name of ['count', 'predict', 'mean', 'user', 'day'])
      expect(values(table, name), name).toEqual([values(whole, name)[3], values(whole, name)[1]]);
  });
});
