import {
  DateDay,
  Field,
  Float64,
  Int32,
  Schema,
  TimestampMillisecond,
  Utf8,
  tableFromArrays,
  vectorFromArray,
  makeVector,
} from 'apache-arrow';
import { describe, expect, it } from 'vitest';
import { emptyData, structBatch, valuesData } from '../src/arrowData.js';

describe('valuesData', () => {
  it('makes the column apache-arrow makes from the same values, sharing the array', () => {
    const values = Float64Array.of(1.5, -2, 3);
    const data = valuesData(new Float64(), values);
    expect(data.length).toBe(3);
    expect(data.nullCount).toBe(0);
    expect(data.values).toBe(values);
    expect(makeVector(data).toArray()).toEqual(vectorFromArray(values).toArray());
  });

  it('keeps the stored type of dates and timestamps', () => {
    const days = valuesData(new DateDay(), Int32Array.of(0, 19000));
    expect(makeVector(days).get(1)).toBe(19000 * 86_400_000);
    const times = valuesData(new TimestampMillisecond(), BigInt64Array.of(1_700_000_000_000n));
    expect(makeVector(times).get(0)).toBe(1_700_000_000_000);
  });
});

describe('emptyData', () => {
  it('makes an empty column of any type', () => {
    for (const type of [new Utf8(), new Int32(), new Float64()]) {
      const data = emptyData(type);
      expect([data.length, String(data.type)]).toEqual([0, String(type)]);
    }
  });
});

describe('structBatch', () => {
  it('makes the batch tableFromArrays makes from the same columns', () => {
    const a = Float64Array.of(1, 2, 3);
    const b = Int32Array.of(4, 5, 6);
    const schema = new Schema([new Field('a', new Float64(), false), new Field('b', new Int32(), false)]);
    const batch = structBatch(schema, [valuesData(new Float64(), a), valuesData(new Int32(), b)]);
    const expected = tableFromArrays({ a, b });
    expect(batch.numRows).toBe(3);
    expect(batch.schema.fields.map((f) => f.name)).toEqual(['a', 'b']);
    expect(batch.toArray().map((row) => row.toJSON())).toEqual(expected.toArray().map((row) => row.toJSON()));
  });

  it('makes an empty batch from empty columns', () => {
    const schema = new Schema([new Field('name', new Utf8(), false)]);
    const batch = structBatch(schema, [emptyData(new Utf8())]);
    expect(batch.numRows).toBe(0);
  });
});
