import {
  Float16,
  Float32,
  Float64,
  Int64,
  Int8,
  Table,
  Uint32,
  Utf8,
  tableFromArrays,
  vectorFromArray,
  type DataType,
} from 'apache-arrow';
import { describe, expect, it } from 'vitest';
import { InputError } from '../src/errors.js';
import { defaultFeatureNames, resolveInput, type ModelInput } from '../src/input.js';

function inputError(input: ModelInput, features: string[], range?: [number, number]): InputError {
  try {
    const resolved = resolveInput(input, features);
    resolved.readBlock(range?.[0] ?? 0, range?.[1] ?? resolved.rows);
  } catch (error) {
    expect(error).toBeInstanceOf(InputError);
    expect((error as Error).message).not.toContain('\n');
    return error as InputError;
  }
  throw new Error('the input was accepted');
}

/** A table whose column `name` is built from `values` with `type`, in chunks of the given sizes. */
function chunkedTable(name: string, values: (number | bigint | null)[], type: DataType, chunkSizes: number[]): Table {
  const batches = [];
  let at = 0;
  for (const size of chunkSizes) {
    batches.push(...new Table({ [name]: vectorFromArray(values.slice(at, at + size), type) }).batches);
    at += size;
  }
  return new Table(batches);
}

describe('resolveInput: conversion to column-major float32', () => {
  it('lays out a record of columns in feature order and rounds to float32', () => {
    const x = resolveInput({ b: [0.1, 0.2, 0.3], a: Float64Array.of(1, 2, 3), unused: ['x', 'y', 'z'] as never }, [
      'a',
      'b',
    ]);
    expect(x.rows).toBe(3);
    const block = x.readBlock(0, 3);
    expect(block.columns).toBe(2);
    expect(Array.from(block.data)).toEqual([1, 2, 3, Math.fround(0.1), Math.fround(0.2), Math.fround(0.3)]);
  });

  it('takes an array of columns in feature order', () => {
    const block = resolveInput([Int32Array.of(4, 5), [6, 7]], ['p', 'q']).readBlock(0, 2);
    expect(Array.from(block.data)).toEqual([4, 5, 6, 7]);
  });

  it('reads Arrow tables by name, whatever the numeric type', () => {
    const table = new Table({
      i8: vectorFromArray([-3, 4], new Int8()),
      u32: vectorFromArray([4_000_000_000, 1], new Uint32()),
      i64: vectorFromArray([2n ** 40n, -5n], new Int64()),
      f16: vectorFromArray([0.5, -2.25], new Float16()),
      f32: vectorFromArray([1.5, 2.5], new Float32()),
      f64: vectorFromArray([0.1, 1e10], new Float64()),
    });
    const names = ['f64', 'f32', 'f16', 'i64', 'u32', 'i8'];
    const block = resolveInput(table, names).readBlock(0, 2);
    expect(Array.from(block.data)).toEqual(
      [0.1, 1e10, 1.5, 2.5, 0.5, -2.25, 2 ** 40, -5, 4_000_000_000, 1, -3, 4].map(Math.fround),
    );
  });

  it('reads chunked columns, and any block of rows across chunk boundaries', () => {
    const values = Array.from({ length: 23 }, (_, i) => i * 1.5 - 7);
    const table = chunkedTable('v', values, new Float64(), [5, 1, 10, 7]);
    expect(table.getChild('v')!.data.length).toBe(4);
    const x = resolveInput(table, ['v']);
    expect(Array.from(x.readBlock(0, 23).data)).toEqual(values);
    for (const [start, end] of [
      [0, 5],
      [4, 7],
      [5, 6],
      [3, 20],
      [16, 23],
      [22, 23],
    ]) {
      expect(Array.from(x.readBlock(start, end).data)).toEqual(values.slice(start, end));
    }
  });

  it('reads a single record batch like a table', () => {
    const table = chunkedTable('v', [1, 2, 3, 4, 5], new Float64(), [2, 3]);
    expect(Array.from(resolveInput(table.batches[1], ['v']).readBlock(0, 3).data)).toEqual([3, 4, 5]);
    expect(defaultFeatureNames(table.batches[0])).toEqual(['v']);
  });

  it('reads sliced tables (chunks with an offset)', () => {
    const values = Array.from({ length: 40 }, (_, i) => i);
    const sliced = chunkedTable('v', values, new Float32(), [25, 15]).slice(10, 33);
    expect(Array.from(resolveInput(sliced, ['v']).readBlock(0, 23).data)).toEqual(values.slice(10, 33));
  });

  it('reads Arrow vectors given as the columns of a record or an array, chunks and nulls included', () => {
    const chunked = chunkedTable('v', [1.5, 2, 3, 4], new Float64(), [1, 3]).getChild('v')!;
    const x = resolveInput({ v: chunked, w: [5, 6, 7, 8] }, ['v', 'w']).readBlock(0, 4);
    expect(Array.from(x.data)).toEqual([1.5, 2, 3, 4, 5, 6, 7, 8]);
    expect(Array.from(resolveInput([chunked], ['v']).readBlock(1, 3).data)).toEqual([2, 3]);
    const withNull = vectorFromArray([1, null], new Float64());
    expect(inputError({ v: withNull }, ['v']).message).toBe('column "v", row 1: value is null');
  });

  it('recognises tables by shape: a table whose prototype is not this copy of apache-arrow reads the same', () => {
    // What a table built by a second copy of apache-arrow looks like to the core: same shape, other classes.
    const table = chunkedTable('v', [1, 2, 3], new Int8(), [2, 1]);
    const foreign = Object.setPrototypeOf(
      { schema: table.schema, getChild: (name: string) => table.getChild(name) },
      null,
    );
    expect(foreign instanceof Table).toBe(false);
    expect(Array.from(resolveInput(foreign as Table, ['v']).readBlock(0, 3).data)).toEqual([1, 2, 3]);
    expect(defaultFeatureNames(foreign as Table)).toEqual(['v']);
  });

  it('lists the numeric columns of a table, or the keys of a record, as default features', () => {
    const table = new Table({
      user: vectorFromArray(['a', 'b'], new Utf8()),
      n: vectorFromArray([1, 2], new Int8()),
      z: vectorFromArray([1, 2], new Float64()),
    });
    expect(defaultFeatureNames(table)).toEqual(['n', 'z']);
    expect(defaultFeatureNames({ q: [1], p: [2] })).toEqual(['q', 'p']);
    expect(defaultFeatureNames([[1], [2]])).toBeUndefined();
  });
});

describe('resolveInput: errors name the column and row', () => {
  it('a missing feature column', () => {
    const error = inputError({ a: [1] }, ['a', 'b']);
    expect([error.column, error.row]).toEqual(['b', undefined]);
    expect(error.message).toBe('missing feature column "b"');
    expect(inputError(tableFromArrays({ a: Float64Array.of(1) }), ['b']).column).toBe('b');
  });

  it('a non-numeric Arrow column', () => {
    const table = new Table({ name: vectorFromArray(['a'], new Utf8()) });
    const error = inputError(table, ['name']);
    expect(error.column).toBe('name');
    expect(error.message).toMatch(/column "name" has type Utf8/);
  });

  it('a null, counted in rows of the whole table across chunks and slices', () => {
    const values: (number | null)[] = Array.from({ length: 30 }, (_, i) => i);
    values[17] = null;
    const table = chunkedTable('v', values, new Float64(), [10, 10, 10]);
    const error = inputError(table, ['v']);
    expect([error.column, error.row]).toEqual(['v', 17]);
    expect(error.message).toBe('column "v", row 17: value is null');
    expect(inputError(table, ['v'], [15, 20]).row).toBe(17);
    expect(inputError(table.slice(5), ['v']).row).toBe(12);
  });

  it('NaN and infinite values, including float64 values beyond the float32 range', () => {
    expect(inputError({ a: [1, 2, Number.NaN] }, ['a'])).toMatchObject({ column: 'a', row: 2 });
    expect(inputError({ a: Float64Array.of(0, Number.POSITIVE_INFINITY) }, ['a']).message).toBe(
      'column "a", row 1: value is infinite (or beyond the float32 range)',
    );
    expect(inputError({ a: Float64Array.of(0, 0, 0, 1e39) }, ['a']).row).toBe(3);
    const table = chunkedTable('f', [1, 2, Number.NaN], new Float32(), [2, 1]);
    expect(inputError(table, ['f'])).toMatchObject({ column: 'f', row: 2 });
  });

  it('values that are not numbers in a plain array', () => {
    const error = inputError({ a: [1, '2', 3] as unknown as number[] }, ['a']);
    expect([error.column, error.row]).toEqual(['a', 1]);
    expect(error.message).toBe('column "a", row 1: "2" is not a number');
    expect(inputError({ a: [1, null] as unknown as number[] }, ['a']).message).toMatch(/row 1: null is not a number/);
    expect(inputError({ a: 5 as unknown as number[] }, ['a']).message).toMatch(/not an array/);
  });

  it('empty input and columns of different lengths', () => {
    expect(inputError({ a: [] }, ['a']).message).toBe('input has no rows');
    expect(inputError(tableFromArrays({ a: new Float64Array(0) }), ['a']).message).toBe('input has no rows');
    const error = inputError({ a: [1, 2, 3], b: [1, 2] }, ['a', 'b']);
    expect(error.column).toBe('b');
    expect(error.message).toMatch(/"b" has 2 rows but column "a" has 3/);
  });

  it('an array with the wrong number of columns', () => {
    expect(inputError([[1], [2]], ['a', 'b', 'c']).message).toMatch(
      /expected 3 columns in feature order \(a, b, c\), got 2/,
    );
  });
});
