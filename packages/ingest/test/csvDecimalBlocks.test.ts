// The parallel decimal-column reader runs worker threads from the built package (workers need JavaScript files), so
// this file imports ingest's dist/: build first (`npx tsc -b packages/ingest`).
import { parse } from 'csv-parse/sync';
import { describe, expect, it } from 'vitest';
import { mulberry32 } from '@isoforest/common';
import { IngestError, readCsvDecimalBlocks, type CsvDecimalBlockOptions } from '../dist/index.js';
import { tempFile } from './support.js';

/** Plain decimals as `readDecimalColumn` reads them; anything else is left NaN for the caller's text parser. */
const PLAIN_DECIMAL = /^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$/;

interface Read {
  records: { fields: string[]; line: number; values: (number | null)[] | null }[];
}

/** Every record of the file as the reader gives it: fields as text, the line it ends on, its decimal values. */
async function read(path: string, options: CsvDecimalBlockOptions): Promise<Read | { error: string }> {
  const records: Read['records'] = [];
  const text = new TextDecoder();
  try {
    for await (const { bytes, fields, decimals } of readCsvDecimalBlocks(path, 'data.csv', options)) {
      for (let r = 0; r < fields.recordCount; r++) {
        const cells: string[] = [];
        for (let f = fields.recordFirst[r]!; f < fields.recordFirst[r + 1]!; f++) {
          const cell = text.decode(bytes.subarray(fields.starts[f]!, fields.ends[f]!));
          cells.push(fields.escaped[f] ? cell.replaceAll('""', '"') : cell);
        }
        const values = decimals && cells.map((_, c) => (Number.isNaN(decimals[c]![r]) ? null : decimals[c]![r]!));
        records.push({ fields: cells, line: fields.recordLine[r]!, values });
      }
    }
    return { records };
  } catch (error) {
    if (error instanceof IngestError) return { error: error.message };
    throw error;
  }
}

/** The records' text and lines: which blocks have values depends on where blocks end, which threads change. */
function withoutValues(read: Read | { error: string }): unknown {
  return 'error' in read ? read : read.records.map(({ fields, line }) => ({ fields, line }));
}

/**
 * The records (with their line ends) of a seeded file of `rows` records: three number columns (plain decimals of up to 17 digits, exponents, and now
 * and then a spelling only `Number` reads) and a text column whose quoted values hold commas, doubled quotes and
 * runs of line breaks, so that part cuts land inside quoted fields.
 */
function numberRecords(rows: number, seed: number): string[] {
  const random = mulberry32(seed);
  const records = ['a,b,"c, quoted",note\n'];
  for (let i = 0; i < rows; i++) {
    const note = i % 5 === 0 ? `"line ${i}, ""quoted""${'\n'.repeat(1 + (i % 40))}end"` : i % 3 === 0 ? '' : `n${i}`;
    const odd = i % 97 === 0 ? ' 7' : i % 89 === 0 ? '0x1f' : String(-random() * 1e3);
    const record = [String(random() * 10 ** ((i % 40) - 20)), odd, `${i}e${(i % 30) - 15}`, note].join(',');
    records.push(record + (i % 2 === 0 ? '\n' : '\r\n'));
  }
  return records;
}

describe('readCsvDecimalBlocks', () => {
  it('gives csv-parse records, lines and Number values on one thread and on two, cuts inside quoted fields', async () => {
    const content = '\uFEFF' + numberRecords(4000, 7).join('');
    const path = tempFile('data.csv', content);
    const oracle = parse(content, {
      bom: true,
      relax_column_count: true,
      skip_empty_lines: true,
      // Both line ends in one file (csv-parse otherwise takes the first it meets for every record).
      record_delimiter: ['\r\n', '\n'],
      info: true,
    }) as unknown as { record: string[]; info: { lines: number } }[];
    const one = await read(path, { threads: 1, maxRecords: 300 });
    const two = await read(path, { threads: 2, partBytes: 2048, maxRecords: 300 });
    if ('error' in one || 'error' in two) throw new Error(`unexpected error ${JSON.stringify([one, two])}`);
    expect(one.records.map((r) => r.fields)).toEqual(oracle.map((o) => o.record));
    expect(one.records.map((r) => r.line)).toEqual(oracle.map((o) => o.info.lines));
    const expected = oracle.map((o, r) =>
      r === 0 ? null : o.record.map((cell) => (PLAIN_DECIMAL.test(cell) ? Number(cell) : null)),
    );
    expect(one.records.slice(1).map((r) => r.values)).toEqual(expected.slice(1));
    expect(two.records.map((r) => r.fields)).toEqual(one.records.map((r) => r.fields));
    expect(two.records.map((r) => r.line)).toEqual(one.records.map((r) => r.line));
    expect(two.records.slice(1).map((r) => r.values)).toEqual(expected.slice(1));
  }, 120_000);

  it('names the same line for a ragged row, a stray quote and invalid UTF-8 on one thread and on two', async () => {
    const base = numberRecords(3000, 11);
    const cases = [
      { at: 2500, line: '1,2,3\n', expected: null },
      { at: 2600, line: '1,2"x,3,4\n', expected: /data\.csv:\d+: malformed CSV: a quote inside an unquoted field/ },
      { at: 2700, line: '1,2,3,\xff\n', expected: /data\.csv:\d+: invalid UTF-8 byte sequence/ },
    ];
    for (const { at, line, expected } of cases) {
      const records = [...base];
      records.splice(at, 0, line);
      const bytes = Buffer.from(records.join(''), 'latin1');
      const path = tempFile('data.csv', bytes);
      const one = withoutValues(await read(path, { threads: 1 }));
      const two = withoutValues(await read(path, { threads: 2, partBytes: 4096 }));
      expect(two).toEqual(one);
      if (expected === null) {
        expect(one).toContainEqual({ fields: ['1', '2', '3'], line: expect.any(Number) });
      } else {
        expect(one).toEqual({ error: expect.stringMatching(expected) });
      }
    }
  }, 120_000);
});
