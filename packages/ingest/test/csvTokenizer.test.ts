/**
 * The columnar reader's tokenizer against csv-parse (the oracle: the reader the product used before, with the same
 * options) on generated files: quoted fields with commas, doubled quotes, LF and CRLF inside, empty cells and
 * lines, ragged rows, non-ASCII text, BOM, LF or CRLF line ends, huge fields, and broken files (stray quotes,
 * unclosed quotes, bytes that are not UTF-8). Every file is fed in random chunk sizes, so records and characters
 * are cut at every possible place.
 */
import { parse } from 'csv-parse/sync';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { IngestError } from '../src/errors.js';
import { csvRecordsOf, fileChunks, readCsvRecords, type CsvRecord } from '../src/csv/csvRecords.js';
import type { CsvBlockOptions } from '../src/csv/csvBlocks.js';
import { tempFile } from './support.js';

type Outcome = { records: { fields: string[]; line: number }[] } | { error: string };

/** What the product's reader gave before: strict UTF-8 decoding, then csv-parse with its options. */
function oracle(bytes: Uint8Array): Outcome {
  let text: string;
  try {
    text = new TextDecoder('utf-8', { fatal: true }).decode(bytes);
  } catch {
    return { error: 'utf-8' };
  }
  try {
    const rows = parse(text, {
      relax_column_count: true,
      skip_empty_lines: true,
      bom: true,
      info: true,
    }) as unknown as {
      record: string[];
      info: { lines: number };
    }[];
    return { records: rows.map((r) => ({ fields: r.record, line: r.info.lines })) };
  } catch (error) {
    return { error: (error as { code?: string }).code ?? String(error) };
  }
}

function* chunked(bytes: Uint8Array, sizes: number[]): Generator<Uint8Array> {
  let at = 0;
  for (let k = 0; at < bytes.length; k++) {
    const size = sizes.length > 0 ? sizes[k % sizes.length]! : bytes.length;
    yield bytes.subarray(at, at + size);
    at += size;
  }
}

async function columnar(bytes: Uint8Array, sizes: number[], maxRecords: number): Promise<Outcome> {
  const records: { fields: string[]; line: number }[] = [];
  try {
    for await (const record of csvRecordsOf(chunked(bytes, sizes), 'gen.csv', { maxRecords })) records.push(record);
  } catch (error) {
    if (!(error instanceof IngestError)) throw error;
    expect(error.message).toMatch(/^gen\.csv:\d+: /);
    return { error: error.problem };
  }
  return { records };
}

const text = fc.oneof(
  { weight: 6, arbitrary: fc.stringMatching(/^[a-z0-9 .-]{0,8}$/) },
  {
    weight: 2,
    arbitrary: fc.constantFrom('', '""', ',', '"', 'a,b', 'x"y', 'line\nbreak', 'crlf\r\ninside', 'cr\ralone', ' '),
  },
  { weight: 2, arbitrary: fc.constantFrom('é', '€uro', 'ß😀', '日本語', '\u2028') },
  // Long unquoted fields of bytes above ',' (numbers as String writes them): the tokenizer's four-bytes-at-a-time path.
  { weight: 2, arbitrary: fc.double().map(String) },
  { weight: 1, arbitrary: fc.constantFrom('x'.repeat(70_000), '"'.repeat(1000), '\n'.repeat(300)) },
);

/** A field as a writer would put it: quoted when it must be, sometimes when it need not. */
const field = fc
  .tuple(text, fc.boolean())
  .map(([value, quoteAnyway]) => (quoteAnyway || /[",\r\n]/.test(value) ? `"${value.replaceAll('"', '""')}"` : value));

const row = fc.array(field, { minLength: 1, maxLength: 6 }).map((fields) => fields.join(','));

const file = fc
  .record({
    rows: fc.array(fc.oneof({ weight: 8, arbitrary: row }, { weight: 1, arbitrary: fc.constant('') }), {
      minLength: 0,
      maxLength: 12,
    }),
    eol: fc.constantFrom('\n', '\r\n'),
    bom: fc.boolean(),
    trailingEol: fc.boolean(),
  })
  .map(
    ({ rows, eol, bom, trailingEol }) =>
      (bom ? '\uFEFF' : '') + rows.join(eol) + (trailingEol && rows.length > 0 ? eol : ''),
  );

/** A broken file: a good one with one byte replaced or inserted (a stray quote, a bad UTF-8 byte, ...). */
const broken = fc
  .tuple(file, fc.nat(), fc.constantFrom(0x22, 0xff, 0xc3, 0xe2, 0x80, 0x0d, 0x2c, 0x0a), fc.boolean())
  .map(([good, at, byte, insert]) => {
    const bytes = new TextEncoder().encode(good);
    if (bytes.length === 0) return Uint8Array.of(byte);
    const k = at % bytes.length;
    if (!insert) {
      bytes[k] = byte;
      return bytes;
    }
    const out = new Uint8Array(bytes.length + 1);
    out.set(bytes.subarray(0, k));
    out[k] = byte;
    out.set(bytes.subarray(k), k + 1);
    return out;
  });

const chunkSizes = fc.oneof(
  fc.constant([] as number[]),
  fc.array(fc.integer({ min: 1, max: 70 }), { minLength: 1, maxLength: 5 }),
);

/** csv-parse picks the first line end it meets and takes the other kind as data; the columnar reader takes both. */
function mixesLineEnds(bytes: Uint8Array): boolean {
  const t = new TextDecoder().decode(bytes);
  return (
    /\r(?!\n)/.test(t.replace(/"(?:[^"]|"")*"/g, '')) ||
    (/\r\n/.test(t) && /(^|[^\r])\n/.test(t.replace(/"(?:[^"]|"")*"/g, '')))
  );
}

function crInsideQuotes(bytes: Uint8Array): boolean {
  const quoted = new TextDecoder().decode(bytes).match(/"(?:[^"]|"")*"/g) ?? [];
  return quoted.some((q) => q.includes('\r'));
}

async function drain(chunks: Iterable<Uint8Array>, label: string, options: CsvBlockOptions = {}): Promise<CsvRecord[]> {
  const records: CsvRecord[] = [];
  for await (const record of csvRecordsOf(chunks, label, options)) records.push(record);
  return records;
}

async function agree(bytes: Uint8Array, sizes: number[], maxRecords: number): Promise<void> {
  const expected = oracle(bytes);
  const got = await columnar(bytes, sizes, maxRecords);
  if ('error' in expected) {
    expect(got).toHaveProperty('error');
  } else if (crInsideQuotes(bytes)) {
    // csv-parse counts a CRLF inside quotes before it has seen a line end as two lines; the reader counts LFs.
    expect('records' in got && got.records.map((r) => r.fields)).toEqual(expected.records.map((r) => r.fields));
  } else {
    expect(got).toEqual(expected);
  }
}

describe('the columnar tokenizer agrees with csv-parse', () => {
  it('on well-formed files, in any chunking and block size', async () => {
    await fc.assert(
      fc.asyncProperty(file, chunkSizes, fc.integer({ min: 1, max: 5 }), async (content, sizes, maxRecords) => {
        const bytes = new TextEncoder().encode(content);
        fc.pre(!mixesLineEnds(bytes));
        await agree(bytes, sizes, maxRecords);
      }),
      { numRuns: 300 },
    );
  }, 120_000);

  it('on broken files: the same records, or an error from both', async () => {
    await fc.assert(
      fc.asyncProperty(broken, chunkSizes, async (bytes, sizes) => {
        fc.pre(!mixesLineEnds(bytes));
        await agree(bytes, sizes, 1000);
      }),
      { numRuns: 500 },
    );
  }, 120_000);

  it('finds the byte that ends a run at every place of a four-byte window, in quoted and unquoted fields', async () => {
    // The tokenizer steps four bytes at a time and jumps to the first byte of interest in a word: a quote, a line
    // feed, a comma, a CR or a space at each of the first nine places of a field, after bytes above ',' and before
    // more of them, must end or continue the field exactly where csv-parse says.
    const specials = ['""', '\n', ',', '\r\n', ' ', '\t', '!'];
    for (const quoted of [false, true])
      for (const special of specials)
        for (let before = 0; before < 9; before++) {
          if (!quoted && (special === '""' || special === '\r\n' || special === '\n')) continue;
          const value = 'ab3.é-x9z'.slice(0, before) + special + 'k7'.repeat(before % 3);
          const cell = quoted ? `"${value}"` : value;
          const content = `h1,h2\n${cell},${cell}\n${cell}\nlast,${cell}\n`;
          await agree(new TextEncoder().encode(content), [], 10);
        }
  });

  it.each([
    ['a "quote" in an unquoted field', 'a,b\nx,y"z\n', 'gen.csv:2: malformed CSV: a quote inside an unquoted field'],
    [
      'an unclosed quote',
      'a,b\n"x,y\nz\n',
      'gen.csv:2: malformed CSV: a quoted field is not closed before the end of the file',
    ],
    ['text after a closing quote', 'a,b\n"x"y,z\n', 'gen.csv:2: malformed CSV: a closing quote is followed by'],
    ['bytes that are not UTF-8', 'a,b\nok,ok\n\xff,x\n', 'gen.csv:3: invalid UTF-8 byte sequence'],
  ])('names the line of %s', async (_, content, message) => {
    const bytes = Uint8Array.from(content, (c) => c.charCodeAt(0));
    await expect(drain([bytes], 'gen.csv')).rejects.toThrow(message);
  });
});

describe('a file read in many chunks (two read buffers in turn)', () => {
  // Records of every length from 1 to 300 bytes, CRLF between them, some quoted across a line feed (csv-parse counts
  // a CRLF inside quotes as two lines), so that the 1 MiB reads cut records, quoted fields and CRLFs at many places;
  // a chunk's buffer is read into again two chunks later.
  const rows: string[] = [];
  for (let i = 0, size = 0; size < 3.5 * (1 << 20); i++) {
    const text = `${i}-`.padEnd(1 + (i % 300), String.fromCharCode(97 + (i % 26)));
    const row = i % 7 === 3 ? `${i},"${text}\nsecond ""line""",x` : `${i},${text},y`;
    rows.push(row);
    size += row.length + 2;
  }
  const content = rows.join('\r\n') + '\r\n';

  it('gives the records and lines csv-parse gives', async () => {
    const file = tempFile('chunks.csv', content);
    const got: CsvRecord[] = [];
    for await (const record of readCsvRecords(file)) got.push(record);
    const expected = oracle(new TextEncoder().encode(content));
    expect('records' in expected && expected.records.length).toBe(rows.length);
    expect(got).toEqual('records' in expected ? expected.records : null);
  });

  it('reads exactly the bytes from a start to an end (a part of the file a worker reads)', async () => {
    const file = tempFile('chunks.csv', content);
    const whole = new TextEncoder().encode(content);
    for (const [start, end] of [
      [0, whole.length],
      [1, whole.length - 1],
      [(1 << 20) - 1, (2 << 20) + 1],
      [12_345, 12_346],
      [7, 7],
      [3 << 20, Infinity],
    ] as const) {
      const parts: Uint8Array[] = [];
      // Copied: a chunk is valid only until the next one is requested.
      for await (const chunk of fileChunks(file, start, end)) parts.push(chunk.slice());
      expect(Buffer.concat(parts).equals(whole.subarray(start, end))).toBe(true);
    }
  });

  it('can be left after the first records and read again', async () => {
    const file = tempFile('chunks.csv', content);
    for (let k = 0; k < 2; k++) {
      let n = 0;
      for await (const record of readCsvRecords(file)) if (++n === 3 && record.fields[0] === '2') break;
      expect(n).toBe(3);
    }
  });
});

describe('blocks larger than the arrays the tokenizer starts with', () => {
  it('give every record its line after the arrays grew (records 256 to 2999 of one block)', async () => {
    const text = Array.from({ length: 3000 }, (_, i) => `${i},"x\ny"\n`).join('');
    const records = await drain([new TextEncoder().encode(text)], 'big.csv', { maxRecords: 5000 });
    // Each record spans two lines (a line break inside its quotes): record i ends on line 2i + 2.
    expect(records.map((r) => r.line)).toEqual(Array.from({ length: 3000 }, (_, i) => 2 * i + 2));
  });
});

describe('limits an attacker cannot pass', () => {
  it('refuses a record longer than maxRecordBytes, in one chunk or many', async () => {
    const bytes = new TextEncoder().encode(`a,b\n"${'x'.repeat(5000)}\n`);
    for (const sizes of [[], [7]]) {
      await expect(drain(chunked(bytes, sizes), 'big.csv', { maxRecordBytes: 1000 })).rejects.toThrow(
        'big.csv:2: malformed CSV: a record longer than 1000 bytes',
      );
    }
  });

  it('refuses a record with more than maxColumns fields', async () => {
    const bytes = new TextEncoder().encode(`a\n${','.repeat(100)}\n`);
    await expect(drain([bytes], 'wide.csv', { maxColumns: 50 })).rejects.toThrow(
      'wide.csv:2: malformed CSV: more than 50 fields in one record',
    );
  });

  it('reads a 2 MB field arriving 1 KB at a time', async () => {
    const big = new TextEncoder().encode(`"${'y'.repeat(2_000_000)}"\n`);
    const records = await drain(chunked(big, [1024]), 'long.csv');
    expect(records.map((r) => [r.fields[0]!.length, r.line])).toEqual([[2_000_000, 1]]);
  });
});
