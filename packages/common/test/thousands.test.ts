import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { groupThousands } from '../src/thousands.js';

describe('groupThousands', () => {
  it('writes what toLocaleString("en-US") writes, for every kind of number', () => {
    const numbers = fc.oneof(
      fc.integer({ min: -1e6, max: 1e6 }),
      fc.maxSafeInteger(),
      fc.constantFrom(0, -0, 999, 1000, -1000, 999_999, 1_000_000, Number.MAX_SAFE_INTEGER, -Number.MAX_SAFE_INTEGER),
      fc.double(),
    );
    fc.assert(
      fc.property(numbers, (n) => {
        expect(groupThousands(n)).toBe(n.toLocaleString('en-US'));
      }),
      { numRuns: 20_000 },
    );
  });

  it('groups by threes from the right', () => {
    expect([7, 12, 123, 1234, 12345, 123456, 1234567, -1234567].map(groupThousands)).toEqual([
      '7',
      '12',
      '123',
      '1,234',
      '12,345',
      '123,456',
      '1,234,567',
      '-1,234,567',
    ]);
  });
});
