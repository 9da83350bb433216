/**
 * The double-double fast path of the decimal parser (17-19 significant digits, the spelling of most scored values)
 * against `Number(text)`, bit for bit: random long decimals, shortest round-trip spellings of random doubles,
 * decimals a hair away from the halfway point between two doubles (built exactly with BigInt), exact ties (round
 * half to even), and the proof that it is really taken for ordinary values (it declines only near a halfway point
 * or at a power of two), and the column reader the table reader uses against `Number` cell by cell.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { decimalValue } from '../src/csv/decimalValue.js';
import { csvBlocks } from '../src/csv/csvBlocks.js';
import { parseDecimalBytes, readDecimalColumn } from '../src/csv/fieldValues.js';

const parse = (text: string): number | null => {
  const bytes = new TextEncoder().encode(` ${text},`);
  return parseDecimalBytes(bytes, 1, bytes.length - 1);
};
const same = (text: string): void => {
  const got = parse(text);
  expect(Object.is(got, Number(text)), `${text}: got ${got}, Number gives ${Number(text)}`).toBe(true);
};

const digitString = (min: number, max: number) => fc.stringMatching(new RegExp(`^[1-9][0-9]{${min - 1},${max - 1}}$`));

/** The exact decimal digits of the double halfway between `x` (positive, normal) and the next double up. */
function halfwayAbove(x: number): { digits: string; power: number } {
  const view = new DataView(new ArrayBuffer(8));
  view.setFloat64(0, x);
  const raw = view.getBigUint64(0);
  const exponent = Number(raw >> 52n) - 1075;
  const mantissa = (raw & ((1n << 52n) - 1n)) | (1n << 52n);
  // (2m + 1) * 2^(e - 1) = (2m + 1) * 5^(1 - e) / 10^(1 - e) when e < 1.
  const twice = 2n * mantissa + 1n;
  if (exponent >= 1) return { digits: (twice << BigInt(exponent - 1)).toString(), power: 0 };
  return { digits: (twice * 5n ** BigInt(1 - exponent)).toString(), power: exponent - 1 };
}

describe('decimalValue (17-19 significant digits)', () => {
  it('gives Number(text) for random 16-19 digit decimals with exponents in and beyond its range', () => {
    fc.assert(
      fc.property(
        fc.constantFrom('', '-', '+'),
        digitString(16, 19),
        fc.integer({ min: 0, max: 19 }),
        fc.integer({ min: -40, max: 40 }),
        (sign, digits, point, exponent) => {
          same(`${sign}${digits.slice(0, point)}.${digits.slice(point)}e${exponent}`);
          same(`${sign}${digits}e${exponent}`);
          same(`${sign}0.000${digits}`);
        },
      ),
      { numRuns: 20_000 },
    );
  });

  it('gives every double back from its shortest spelling, String(x)', () => {
    fc.assert(
      fc.property(fc.double({ noNaN: true, noDefaultInfinity: true }), (x) => same(String(x))),
      { numRuns: 20_000 },
    );
    fc.assert(
      fc.property(fc.double({ min: 1e-7, max: 1e12, noNaN: true }), (x) => same(String(x))),
      { numRuns: 20_000 },
    );
  });

  it('rounds correctly a hair either side of the halfway point between two doubles', () => {
    fc.assert(
      fc.property(fc.double({ min: 1e-8, max: 1e18, noNaN: true }), fc.integer({ min: 17, max: 19 }), (x, kept) => {
        const { digits, power } = halfwayAbove(x);
        const cut = BigInt(digits.slice(0, kept));
        const shift = power + digits.length - kept;
        for (const near of [cut - 1n, cut, cut + 1n]) same(`${near}e${shift}`);
      }),
      { numRuns: 10_000 },
    );
  });

  it('rounds exact ties half to even', () => {
    fc.assert(
      fc.property(fc.bigInt({ min: 1n << 52n, max: (1n << 53n) - 1n }), fc.integer({ min: 1, max: 10 }), (m, e) => {
        const tie = (2n * m + 1n) << BigInt(e - 1);
        if (tie < 10n ** 19n) same(tie.toString());
      }),
      { numRuns: 5_000 },
    );
    for (const text of ['9007199254740993', '9007199254740995', '18014398509481990', '18014398509481986']) same(text);
  });

  it('is taken for ordinary values: it declines only near a halfway point or at a power of two', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 2 ** 31 - 1 }), fc.integer({ min: -10, max: 10 }), (n, scale) => {
        // A value well away from powers of two and short decimals, in 17 significant digits: d.dddddddddddddddde±X.
        const x = Math.log1p(n) * 10 ** scale + 1 / 3;
        const [mantissa, exponent] = x.toExponential(16).split('e') as [string, string];
        const digits = mantissa.replace('.', '');
        const out = new Float64Array(1);
        expect(
          decimalValue(Number(digits.slice(0, 15)), Number(digits.slice(15)), 2, Number(exponent) - 16, out, 0),
        ).toBe(true);
        expect(out[0]).toBe(Number(x.toExponential(16)));
      }),
      { numRuns: 5_000 },
    );
  });
});

const PLAIN_DECIMAL = /^[+-]?(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?$/;

describe('readDecimalColumn', () => {
  it("reads each record's field as Number does, and leaves NaN where the field is not a plain decimal", async () => {
    const cell = fc.oneof(
      fc.double({ noNaN: true, noDefaultInfinity: true }).map(String),
      fc.integer().map(String),
      fc.constantFrom('', ' 1', '1e', '.', '+.5', '5.', '-0', '0x1', 'NaN', '1,5', '1e400'),
    );
    await fc.assert(
      fc.asyncProperty(fc.array(fc.tuple(cell, cell, fc.boolean()), { minLength: 1, maxLength: 40 }), async (rows) => {
        const quote = (value: string, always: boolean) => (always || value.includes(',') ? `"${value}"` : value);
        // The field read is the cell's value, quoted in the file or not.
        const text = rows.map(([a, b, quoted]) => `${quote(a, false)},${quote(b, quoted)}`).join('\n');
        const got: number[] = [];
        let left = 0;
        for await (const { bytes, fields } of csvBlocks([new TextEncoder().encode(text)], 'gen.csv')) {
          const out = new Float64Array(fields.recordCount);
          left += readDecimalColumn(bytes, fields, 0, 1, out);
          got.push(...out);
        }
        const expected = rows.map(([, b]) => (PLAIN_DECIMAL.test(b) ? Number(b) : NaN));
        const signed = (values: number[]) => values.map((v) => (Object.is(v, -0) ? '-0' : v));
        expect(signed(got)).toEqual(signed(expected));
        expect(left).toBe(expected.filter(Number.isNaN).length);
      }),
      { numRuns: 500 },
    );
  });
});
