import { expect } from 'vitest';

/** Asserts two sets of columns equal to the bit: Object.is, so -0 differs from 0 and NaN equals NaN. */
export function expectBitIdentical(actual: readonly Float64Array[], expected: readonly Float64Array[]): void {
  expect(actual.length).toBe(expected.length);
  actual.forEach((column, c) => {
    expect(column.length).toBe(expected[c].length);
    const differ = column.findIndex((value, r) => !Object.is(value, expected[c][r]));
    expect(differ, `column ${c}`).toBe(-1);
  });
}
