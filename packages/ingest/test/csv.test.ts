import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import {
  IngestError,
  readAll,
  readUserDayCsv,
  toUserDays,
  USER_DAY_COLUMNS,
  USER_DAY_SCHEMA,
  type UserDayCsvOptions,
  type UserDaySource,
} from '../src/index.js';
import { readUserDayCsvText } from '../src/browser.js';
import { demoCsv, tempFile } from './support.js';

/**
 * The two front ends of the aggregated-CSV reader: the Node file stream, and the browser entry's reader of text in
 * memory (given the file's text and its path as the label). Every test below runs on both.
 */
const READERS: { name: string; read: (file: string, options?: UserDayCsvOptions) => UserDaySource }[] = [
  { name: 'readUserDayCsv', read: (file, options) => readUserDayCsv(file, options) },
  {
    name: 'readUserDayCsvText',
    read: (file, options) => readUserDayCsvText(readFileSync(file, 'utf8'), { ...options, label: file }),
  },
];

const HEADER: string[] = USER_DAY_COLUMNS.map((c) => c.name);
/** One valid data row in ISO spelling, in `HEADER` order. */
const GOOD = [
  '2022-09-19',
  'CONTOSO',
  'ACC-01',
  '3 - Network',
  '238',
  '2022-09-19T23:29:46.297Z',
  '2022-09-19T00:17:46.373Z',
  '238',
  '0',
  '1',
  '1',
  '2',
  '1',
  '1',
  '2',
  '1',
  '1',
  '1',
  '83519924',
];

function csv(rows: string[][], eol = '\n'): string {
  return rows.map((r) => r.join(',')).join(eol) + eol;
}

function withCell(row: string[], column: string, value: string): string[] {
  const copy = [...row];
  copy[HEADER.indexOf(column)] = value;
  return copy;
}

async function failure(read: (file: string) => UserDaySource, file: string): Promise<IngestError> {
  try {
    await readAll(read(file));
  } catch (error) {
    expect(error).toBeInstanceOf(IngestError);
    return error as IngestError;
  }
  throw new Error('expected an IngestError');
}

describe.each(READERS)('$name', ({ read }) => {
  describe('on the notebook demo data (UTF-8 BOM, CRLF, US dates)', () => {
    it('reads all 135 rows with the totals the data README states', async () => {
      const source = read(demoCsv);
      const table = await readAll(source);
      expect(table.schema.fields.map((f) => f.name)).toEqual(USER_DAY_SCHEMA.fields.map((f) => f.name));
      expect(table.numRows).toBe(135);
      expect(source.stats).toMatchObject({ rowsRead: 135, rowsKept: 135, rowsRejected: 0, rowsOut: 135 });
      const rows = toUserDays(table);
      // ../shared/data/README.md: "378,006 successful and 1,264 failed logons", 21 days, 5 users, one domain.
      expect(rows.reduce((s, r) => s + r.SuccessfulLogons, 0)).toBe(378_006);
      expect(rows.reduce((s, r) => s + r.FailedLogons, 0)).toBe(1_264);
      expect(new Set(rows.map((r) => r.Date)).size).toBe(21);
      expect(Math.min(...rows.map((r) => r.Date))).toBe(Date.UTC(2022, 8, 6));
      expect(Math.max(...rows.map((r) => r.Date))).toBe(Date.UTC(2022, 8, 26));
      expect(new Set(rows.map((r) => r.DstUser)).size).toBe(5);
      const standOut = rows.filter((r) => r.FailedLogons === 1256);
      expect(standOut.map((r) => [r.Date, r.DstUser])).toEqual([[Date.UTC(2022, 8, 16), 'SRVACC-04']]);
    });

    it('parses the first data line exactly as written in the file', async () => {
      const [first] = toUserDays(await readAll(read(demoCsv)));
      // 9/19/2022,CONTOSO,ACC-01,3 - Network,238,"9/19/2022, 11:29:46.297 PM","9/19/2022, 12:17:46.373 AM",238,0,1,1,2,1,1,2,1,1,1,83519924
      expect(first).toEqual({
        Date: Date.UTC(2022, 8, 19),
        DstDomain: 'CONTOSO',
        DstUser: 'ACC-01',
        LogonTypeName: '3 - Network',
        AttemptedLogons: 238,
        MAX_TimeGenerated: Date.UTC(2022, 8, 19, 23, 29, 46, 297),
        MIN_TimeGenerated: Date.UTC(2022, 8, 19, 0, 17, 46, 373),
        SuccessfulLogons: 238,
        FailedLogons: 0,
        ComputerDomainsAccessed: 1,
        DistinctAuthenticationPackage: 1,
        ComputersAccessed: 2,
        DistinctSrcIp: 1,
        DistinctSrcHostName: 1,
        ComputersSuccessfulAccess: 2,
        ComputerDomainsSuccessfulAccess: 1,
        SrcIpSuccessfulAccess: 1,
        SrcHostNameSuccessfulAccess: 1,
        ActiveMilliseconds: 83_519_924,
      });
    });

    it('agrees with its own ActiveMilliseconds column on every row (times parsed to the millisecond)', async () => {
      for (const r of toUserDays(await readAll(read(demoCsv)))) {
        expect(r.MAX_TimeGenerated - r.MIN_TimeGenerated).toBe(r.ActiveMilliseconds);
      }
    });

    it('emits batches of the requested size', async () => {
      const sizes: number[] = [];
      for await (const batch of read(demoCsv, { batchRows: 50 })) sizes.push(batch.numRows);
      expect(sizes).toEqual([50, 50, 35]);
    });
  });

  describe('formats', () => {
    it('takes LF, no BOM, ISO dates, reordered and extra columns', async () => {
      const header = ['Extra', ...[...HEADER].reverse()];
      const row = ['ignored', ...[...GOOD].reverse()];
      const rows = toUserDays(await readAll(read(tempFile('iso.csv', csv([header, row])))));
      expect(rows).toHaveLength(1);
      expect(rows[0]!.MAX_TimeGenerated).toBe(Date.UTC(2022, 8, 19, 23, 29, 46, 297));
      expect(rows[0]!.DstUser).toBe('ACC-01');
    });

    it('takes quoted fields with commas, doubled quotes and line breaks, and names rows by their last line', async () => {
      const row = withCell(GOOD, 'DstUser', '"ACC ""01"", x\ny"');
      const file = tempFile('quoted.csv', csv([HEADER, row, withCell(GOOD, 'FailedLogons', '-1')]));
      expect((await failure(read, file)).message).toBe(`${file}:4:FailedLogons: negative count -1`);
      const rows = toUserDays(await readAll(read(tempFile('quoted-ok.csv', csv([HEADER, row])))));
      expect(rows.map((r) => r.DstUser)).toEqual(['ACC "01", x\ny']);
    });

    it('takes the [UTC] suffix on the time columns', async () => {
      const header = HEADER.map((h) => (h.endsWith('TimeGenerated') ? `${h} [UTC]` : h));
      const table = await readAll(read(tempFile('utc.csv', csv([header, GOOD], '\r\n'))));
      expect(table.numRows).toBe(1);
    });

    it('gives an empty table for a header-only file', async () => {
      const source = read(tempFile('header.csv', csv([HEADER])));
      expect((await readAll(source)).numRows).toBe(0);
      expect(source.stats.rowsRead).toBe(0);
    });
  });

  describe('strict errors: file:row:column: problem', () => {
    it('names missing columns, with a hint for a wrong letter case', async () => {
      const header = HEADER.filter((h) => h !== 'FailedLogons').map((h) => (h === 'DstUser' ? 'dstuser' : h));
      const row = GOOD.filter((_, k) => HEADER[k] !== 'FailedLogons');
      const file = tempFile('missing.csv', csv([header, row]));
      const error = await failure(read, file);
      expect(error.message).toBe(
        `${file}:1: missing columns DstUser (found "dstuser"; names are case-sensitive), FailedLogons`,
      );
      expect(error.row).toBe(1);
    });

    it('names the row and column of an unparsable date', async () => {
      const file = tempFile('date.csv', csv([HEADER, GOOD, withCell(GOOD, 'Date', '2022-02-30')]));
      const error = await failure(read, file);
      expect(error.message).toMatch(
        new RegExp(`^${file.replace(/[.\\]/g, '\\$&')}:3:Date: unparsable date "2022-02-30"`),
      );
      expect([error.row, error.column]).toEqual([3, 'Date']);
    });

    it.each([
      ['FailedLogons', '-1', 'negative count -1'],
      ['SuccessfulLogons', '2.5', 'fractional count 2.5'],
      ['AttemptedLogons', 'many', 'not a count: "many"'],
      ['MIN_TimeGenerated', 'noon', 'unparsable time "noon"'],
    ])('rejects %s = %s', async (column, value, problem) => {
      const file = tempFile('bad.csv', csv([HEADER, withCell(GOOD, column, value)]));
      const error = await failure(read, file);
      expect(error.message.startsWith(`${file}:2:${column}: ${problem}`)).toBe(true);
    });

    it('rejects MIN after MAX', async () => {
      const file = tempFile('order.csv', csv([HEADER, withCell(GOOD, 'MIN_TimeGenerated', '2022-09-20T00:00:00Z')]));
      expect((await failure(read, file)).message).toBe(`${file}:2:MIN_TimeGenerated: later than MAX_TimeGenerated`);
    });

    it('rejects a ragged row', async () => {
      const file = tempFile('ragged.csv', csv([HEADER, GOOD, GOOD.slice(0, 18)]));
      expect((await failure(read, file)).message).toBe(`${file}:3: row has 18 fields, the header has 19`);
    });

    it('rejects an empty file', async () => {
      const file = tempFile('empty.csv', '');
      expect((await failure(read, file)).message).toBe(`${file}: empty file: no header line`);
    });
  });

  describe('lenient mode', () => {
    it('skips bad rows, counts them and keeps the first reasons', async () => {
      const file = tempFile(
        'lenient.csv',
        csv([HEADER, GOOD, withCell(GOOD, 'FailedLogons', '-3'), GOOD.slice(0, 5), GOOD]),
      );
      const source = read(file, { lenient: true });
      const table = await readAll(source);
      expect(table.numRows).toBe(2);
      expect(source.stats).toMatchObject({ rowsRead: 4, rowsKept: 2, rowsRejected: 2, rowsOut: 2 });
      expect(source.stats.firstErrors).toEqual([
        `${file}:3:FailedLogons: negative count -3`,
        `${file}:4: row has 5 fields, the header has 19`,
      ]);
    });
  });
});

describe('readUserDayCsv only (bytes, not text)', () => {
  it('rejects bytes that are not UTF-8, naming the line', async () => {
    const text = Buffer.from(csv([HEADER, GOOD, withCell(GOOD, 'DstUser', 'XX')]));
    const at = text.lastIndexOf('XX');
    text[at] = 0xff;
    const file = tempFile('latin.csv', text);
    expect((await failure(readUserDayCsv, file)).message).toBe(
      `${file}:3: invalid UTF-8 byte sequence (save the file as UTF-8)`,
    );
  });
});

describe('the two front ends agree', () => {
  it('give the same rows and batches for the demo data', async () => {
    const text = readFileSync(demoCsv, 'utf8');
    const fromFile = await readAll(readUserDayCsv(demoCsv, { batchRows: 40 }));
    const fromText = await readAll(readUserDayCsvText(text, { label: 'demo', batchRows: 40 }));
    expect(fromText.batches.map((b) => b.numRows)).toEqual(fromFile.batches.map((b) => b.numRows));
    expect(fromText.schema.fields.map((f) => `${f.name}:${f.type}`)).toEqual(
      fromFile.schema.fields.map((f) => `${f.name}:${f.type}`),
    );
    for (const column of USER_DAY_COLUMNS) {
      expect(fromText.getChild(column.name)!.toArray(), column.name).toEqual(fromFile.getChild(column.name)!.toArray());
    }
  });

  it('give the same one-line error for a quote that is never closed', async () => {
    const text = csv([HEADER, GOOD]) + '2022-09-20,"CONTOSO,ACC-02\n';
    const file = tempFile('quote.csv', text);
    const fromFile = await failure(readUserDayCsv, file);
    const fromText = await failure((f) => readUserDayCsvText(text, { label: f }), file);
    expect(fromFile.message).toBe(`${file}:3: malformed CSV: a quoted field is not closed before the end of the file`);
    expect(fromText.message).toBe(fromFile.message);
  });
});
