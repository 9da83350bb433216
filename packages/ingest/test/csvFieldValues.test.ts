/**
 * The byte parsers of the columnar reader against the text parsers they stand in for: a fast parser either gives
 * exactly what the text parser gives (`Object.is`, so -0 and every last bit count) or declines with `null`, and it
 * declines nothing common. Random digits, exponents at and beyond the exact range, 16+ significant digits (the
 * fallback), subnormals, overflow, and junk.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { countValue, dateDays, NO_DAY, NOT_A_COUNT, parseDecimalBytes, timestampInto } from '../src/csv/fieldValues.js';
import { MS_PER_DAY } from '../src/msPerDay.js';
import { parseCount } from '../src/csv/parseCount.js';
import { parseUtcDate, parseUtcTimestamp } from '../src/timeFormats.js';

const encode = (text: string): Uint8Array => new TextEncoder().encode(`"${text}"`);
/** Runs a byte parser on `text` placed inside a larger buffer, as fields are. */
const onBytes = <T>(parser: (b: Uint8Array, s: number, e: number) => T, text: string): T => {
  const bytes = encode(text);
  return parser(bytes, 1, bytes.length - 1);
};

// The byte parsers as the text parsers' signatures: a value or null.
const parseCountBytes = (b: Uint8Array, s: number, e: number): number | null => {
  const n = countValue(b, s, e);
  return n === NOT_A_COUNT ? null : n;
};
const parseDateBytes = (b: Uint8Array, s: number, e: number): number | null => {
  const days = dateDays(b, s, e);
  return days === NO_DAY ? null : days * MS_PER_DAY;
};
const parseTimestampBytes = (b: Uint8Array, s: number, e: number): number | null => {
  const out = new Float64Array(1);
  return timestampInto(b, s, e, out, 0) ? out[0]! : null;
};

const PLAIN_DECIMAL = /^[+-]?(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?$/;

const digits = (min: number, max: number) => fc.stringMatching(new RegExp(`^[0-9]{${min},${max}}$`));
const decimal = fc
  .tuple(
    fc.constantFrom('', '-', '+'),
    digits(0, 20),
    fc.option(digits(0, 20)),
    fc.option(fc.tuple(fc.constantFrom('e', 'E'), fc.constantFrom('', '-', '+'), fc.integer({ min: 0, max: 400 }))),
  )
  .map(
    ([sign, int, frac, exp]) =>
      `${sign}${int}${frac === null ? '' : `.${frac}`}${exp === null ? '' : `${exp[0]}${exp[1]}${exp[2]}`}`,
  );

describe('parseDecimalBytes', () => {
  it('gives exactly Number(text) for every plain decimal, and declines everything else', () => {
    fc.assert(
      fc.property(fc.oneof(decimal, fc.double().map(String), fc.string({ maxLength: 12 })), (text) => {
        const got = onBytes(parseDecimalBytes, text);
        if (PLAIN_DECIMAL.test(text))
          expect(Object.is(got, Number(text)), `${text}: ${got} vs ${Number(text)}`).toBe(true);
        else expect(got).toBeNull();
      }),
      { numRuns: 20_000 },
    );
  });

  it('reads digits four at a time exactly: a byte next to the digits in any place of a four-byte window', () => {
    // The bytes around '0'..'9' (':' to '?' share their high nibble; '.', '/', '+', '-' sit just below) put at
    // every position of 1-20 digit runs, so that every window of four the reader loads meets them.
    const near = fc.constantFrom(...'*+,-./:;<=>?eE');
    fc.assert(
      fc.property(digits(1, 20), near, fc.nat(), (run, byte, at) => {
        const place = at % (run.length + 1);
        const text = run.slice(0, place) + byte + run.slice(place);
        const got = onBytes(parseDecimalBytes, text);
        if (PLAIN_DECIMAL.test(text))
          expect(Object.is(got, Number(text)), `${text}: ${got} vs ${Number(text)}`).toBe(true);
        else expect(got).toBeNull();
      }),
      { numRuns: 20_000 },
    );
  });

  it.each([
    ['0', 0],
    ['-0', -0],
    ['-0.0e5', -0],
    ['1.', 1],
    ['.5', 0.5],
    ['123456789012345', 123456789012345],
    ['1234567890123456789', 1234567890123456800],
    ['9007199254740993', 9007199254740992],
    ['0.1', 0.1],
    ['1e22', 1e22],
    ['1e23', 1e23],
    ['4.9e-324', 5e-324],
    ['2.2250738585072011e-308', 2.225073858507201e-308],
    ['1e309', Infinity],
    ['-1e400', -Infinity],
    ['0.000000000000000000000000001', 1e-27],
  ])('%s -> %s', (text, value) => {
    expect(Object.is(onBytes(parseDecimalBytes, text), value)).toBe(true);
  });

  it.each(['', ' 1', '1 ', '0x10', 'Infinity', 'NaN', '1e', '.', '-', '1.2.3', '١', '12:4', '1234?', '9999999;9999'])(
    'declines %j',
    (text) => {
      expect(onBytes(parseDecimalBytes, text)).toBeNull();
    },
  );
});

describe('parseCountBytes', () => {
  it('gives what parseCount gives whenever it does not decline, and declines no plain count', () => {
    fc.assert(
      fc.property(
        fc.oneof(
          digits(1, 18),
          fc.tuple(digits(1, 16), fc.stringMatching(/^\.0{0,3}[0-9]?$/)).map(([a, b]) => a + b),
          fc.string({ maxLength: 6 }),
        ),
        (text) => {
          const got = onBytes(parseCountBytes, text);
          if (got !== null) expect(got).toBe(parseCount(text));
          if (/^\d{1,15}(\.0*)?$/.test(text)) expect(got).not.toBeNull();
        },
      ),
      { numRuns: 5_000 },
    );
  });
});

const twoDigits = (max: number) => fc.integer({ min: 0, max }).map((n) => String(n).padStart(2, '0'));
const loose = (max: number) => fc.integer({ min: 0, max }).map(String);
const year = fc.integer({ min: 0, max: 9999 }).map((n) => String(n).padStart(4, '0'));
const fraction = fc.option(digits(1, 9), { nil: undefined });

const usDate = fc.tuple(loose(13), loose(32), year).map(([m, d, y]) => `${m}/${d}/${y}`);
const isoDate = fc.tuple(year, twoDigits(13), twoDigits(32)).map(([y, m, d]) => `${y}-${m}-${d}`);
const usTime = fc
  .tuple(
    usDate,
    fc.constantFrom(', ', ' ', ',  '),
    loose(13),
    twoDigits(60),
    twoDigits(60),
    fraction,
    fc.constantFrom(' AM', ' PM', ' pm', 'AM'),
  )
  .map(([d, sep, h, mi, s, f, ap]) => `${d}${sep}${h}:${mi}:${s}${f === undefined ? '' : `.${f}`}${ap}`);
const isoTime = fc
  .tuple(
    isoDate,
    fc.constantFrom('T', ' ', 't'),
    twoDigits(24),
    twoDigits(60),
    fc.option(twoDigits(60), { nil: undefined }),
    fraction,
    fc.constantFrom('', 'Z', 'z', '+01:00', '-0530'),
  )
  .map(
    ([d, sep, h, mi, s, f, zone]) =>
      `${d}${sep}${h}:${mi}${s === undefined ? '' : `:${s}${f === undefined ? '' : `.${f}`}`}${zone}`,
  );

describe('parseDateBytes and parseTimestampBytes', () => {
  it('give what parseUtcDate gives whenever they do not decline, and read the common spellings', () => {
    fc.assert(
      fc.property(fc.oneof(usDate, isoDate, fc.string({ maxLength: 12 })), (text) => {
        const got = onBytes(parseDateBytes, text);
        if (got !== null) expect(got).toBe(parseUtcDate(text));
        if (/^\d{4}-\d\d-\d\d$/.test(text) && Number(text.slice(0, 4)) > 0 && parseUtcDate(text) !== null)
          expect(got).not.toBeNull();
      }),
      { numRuns: 10_000 },
    );
  });

  it('give what parseUtcTimestamp gives whenever they do not decline, and read both export spellings', () => {
    fc.assert(
      fc.property(fc.oneof(usTime, isoTime, fc.string({ maxLength: 30 })), (text) => {
        const got = onBytes(parseTimestampBytes, text);
        const expected = parseUtcTimestamp(text);
        if (got !== null) expect(Object.is(got, expected), `${text}: ${got} vs ${expected}`).toBe(true);
        const common =
          /^\d{1,2}\/\d{1,2}\/\d{4}, \d{1,2}:\d\d:\d\d\.\d+ [AP]M$|^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d+)?Z?$/;
        if (common.test(text) && Number(/\d{4}/.exec(text)![0]) > 0 && expected !== null) expect(got).not.toBeNull();
      }),
      { numRuns: 20_000 },
    );
  });

  it('give every date its own day right after a date that shares its year, month or day (the last day is kept)', () => {
    const days: [number, number, number][] = [];
    for (const y of [1999, 2000, 2023, 2024])
      for (const m of [1, 2, 3, 12]) for (const d of [1, 28, 29, 31]) days.push([y, m, d]);
    const exists = ([y, m, d]: [number, number, number]) => new Date(Date.UTC(y, m - 1, d)).getUTCDate() === d;
    for (const a of days)
      for (const b of days) {
        for (const [y, m, d] of [a, b]) {
          const midnight = exists([y, m, d]) ? Date.UTC(y, m - 1, d) : null;
          const iso = `${y}-${String(m).padStart(2, '0')}-${String(d).padStart(2, '0')}`;
          expect(onBytes(parseDateBytes, `${m}/${d}/${y}`)).toBe(midnight);
          expect(onBytes(parseDateBytes, iso)).toBe(midnight);
          expect(onBytes(parseTimestampBytes, `${m}/${d}/${y}, 1:02:03.5 PM`)).toBe(
            midnight === null ? null : midnight + 46_923_500,
          );
          expect(onBytes(parseTimestampBytes, `${iso}T13:02:03Z`)).toBe(
            midnight === null ? null : midnight + 46_923_000,
          );
        }
      }
  });

  it('read the notebook export exactly', () => {
    expect(onBytes(parseTimestampBytes, '9/19/2022, 11:29:46.297 PM')).toBe(Date.UTC(2022, 8, 19, 23, 29, 46, 297));
    expect(onBytes(parseTimestampBytes, '9/19/2022, 12:17:46.373 AM')).toBe(Date.UTC(2022, 8, 19, 0, 17, 46, 373));
    expect(onBytes(parseDateBytes, '9/19/2022')).toBe(Date.UTC(2022, 8, 19));
    expect(onBytes(parseDateBytes, '2024-02-30')).toBeNull();
  });
});
