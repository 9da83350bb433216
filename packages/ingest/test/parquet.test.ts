import path from 'node:path';
import { parquetMetadataAsync, asyncBufferFromFile, parquetReadObjects } from 'hyparquet';
import { parquetWriteFile } from 'hyparquet-writer';
import {
  Bool,
  DateDay,
  Float64,
  Int32,
  makeVector,
  Table,
  TimestampMillisecond,
  Utf8,
  vectorFromArray,
  type RecordBatch,
} from 'apache-arrow';
import { describe, expect, it } from 'vitest';
import {
  IngestError,
  readAll,
  readCsvRecords,
  readParquetBatches,
  readRawEventFiles,
  readUserDayCsv,
  readUserDayParquet,
  toUserDays,
  writeParquet,
} from '../src/index.js';
import { demoCsv, demoParquet, ingestFixtures, securityEventsParquet, tempFile } from './support.js';

async function drain(file: string): Promise<RecordBatch[]> {
  const batches: RecordBatch[] = [];
  for await (const batch of readParquetBatches(file)) batches.push(batch);
  return batches;
}

describe('Parquet', { timeout: 120_000 }, () => {
  it('round-trips the demo user-days batch by batch (one row group per batch)', async () => {
    const file = await demoParquet(40);
    const metadata = await parquetMetadataAsync(await asyncBufferFromFile(file));
    expect(metadata.row_groups.map((g) => Number(g.num_rows))).toEqual([40, 40, 40, 15]);
    const source = readUserDayParquet(file);
    expect(toUserDays(await readAll(source))).toEqual(toUserDays(await readAll(readUserDayCsv(demoCsv))));
    expect(source.stats).toMatchObject({ rowsRead: 135, rowsOut: 135 });
  });

  it('round-trips numbers, text, dates, timestamps, booleans and nulls, and another reader agrees', async () => {
    const x = [0.1, -0, 5e-324, 1e300, Math.PI, 42];
    const table = new Table({
      x: makeVector(Float64Array.from(x)),
      n: vectorFromArray([1, null, 3, 4, 5, -6], new Int32()),
      s: vectorFromArray(['a', '=cmd', null, 'ünï', 'say "hi"', ''], new Utf8()),
      d: vectorFromArray(
        [0, 86_400_000, null, 19_000 * 86_400_000, -86_400_000, 2 * 86_400_000].map((v) =>
          v === null ? null : new Date(v),
        ),
        new DateDay(),
      ),
      t: vectorFromArray([1_663_630_186_297, null, 0, -1, 1, 2], new TimestampMillisecond('UTC')),
      b: vectorFromArray([true, false, null, true, true, false], new Bool()),
    });
    const file = tempFile('types.parquet', '');
    expect(await writeParquet(file, table)).toBe(6);
    const [batch] = await drain(file);
    expect(batch!.schema.fields.map((f) => `${f.name}:${String(f.type)}`)).toEqual([
      'x:Float64',
      'n:Float64',
      's:Utf8',
      'd:Date32<DAY>',
      't:Timestamp<MILLISECOND, UTC>',
      'b:Bool',
    ]);
    const column = (name: string) => batch!.getChild(name)!.toArray() as unknown[];
    expect(Array.from(column('x') as unknown as Float64Array).map((v) => (Object.is(v, -0) ? '-0' : v))).toEqual(
      x.map((v) => (Object.is(v, -0) ? '-0' : v)),
    );
    expect([...batch!.getChild('n')!].slice(0, 3)).toEqual([1, null, 3]);
    expect([...batch!.getChild('s')!]).toEqual(['a', '=cmd', null, 'ünï', 'say "hi"', '']);
    expect([...batch!.getChild('d')!]).toEqual([0, 86_400_000, null, 19_000 * 86_400_000, -86_400_000, 2 * 86_400_000]);
    expect([...batch!.getChild('t')!]).toEqual([1_663_630_186_297, null, 0, -1, 1, 2]);
    expect([...batch!.getChild('b')!]).toEqual([true, false, null, true, true, false]);
    // An independent reading of the same file: hyparquet's own row objects.
    const rows = await parquetReadObjects({ file: await asyncBufferFromFile(file) });
    expect(rows[0]).toMatchObject({ x: 0.1, n: 1, s: 'a', b: true });
    expect((rows[0]!.t as Date).toISOString()).toBe('2022-09-19T23:29:46.297Z');
  });

  it('reads user-days another tool wrote: int64 counts, text dates and times, extra columns ignored', async () => {
    const demo = toUserDays(await readAll(readUserDayCsv(demoCsv))).slice(0, 3);
    const file = tempFile('pandas.parquet', '');
    const text = (get: (r: (typeof demo)[number]) => string) => ({ data: demo.map(get), type: 'STRING' as const });
    const iso = (ms: number) => new Date(ms).toISOString();
    const counts = Object.keys(demo[0]!).filter(
      (k) => !['Date', 'DstDomain', 'DstUser', 'LogonTypeName', 'MAX_TimeGenerated', 'MIN_TimeGenerated'].includes(k),
    );
    parquetWriteFile({
      filename: file,
      columnData: [
        { name: 'label', data: demo.map(() => 1), type: 'INT32' },
        { name: 'Date', ...text((r) => iso(r.Date).slice(0, 10)) },
        { name: 'DstDomain', ...text((r) => r.DstDomain) },
        { name: 'DstUser', ...text((r) => r.DstUser) },
        { name: 'LogonTypeName', ...text((r) => r.LogonTypeName) },
        { name: 'MAX_TimeGenerated [UTC]', ...text((r) => iso(r.MAX_TimeGenerated)) },
        { name: 'MIN_TimeGenerated [UTC]', ...text((r) => iso(r.MIN_TimeGenerated)) },
        ...counts.map((name) => ({
          name,
          data: BigInt64Array.from(demo, (r) => BigInt(r[name as keyof typeof r] as number)),
          type: 'INT64' as const,
        })),
      ],
    });
    expect(toUserDays(await readAll(readUserDayParquet(file)))).toEqual(demo);
  });

  it('reads string cells as their bytes: valid UTF-8 as written, bad bytes as decoding gives them, plain or dictionary', async () => {
    const utf8 = (text: string) => new TextEncoder().encode(text);
    const distinct = [
      utf8('alice'),
      utf8('ünï 名前'),
      Uint8Array.of(0x61, 0xff, 0x62), // a byte that is never UTF-8
      Uint8Array.of(0xc3), // a sequence cut short, which the next cell must not complete
      Uint8Array.of(0xa9),
      utf8(''),
      null,
    ];
    // Once each (plain pages), then many times over (hyparquet-writer dictionary-encodes what repeats).
    const cells = [...distinct, ...Array.from({ length: 700 }, (_, i) => distinct[i % distinct.length])];
    for (const repeated of [false, true]) {
      const file = tempFile(`strings-${repeated}.parquet`, '');
      const data = repeated ? cells : distinct;
      parquetWriteFile({ filename: file, columnData: [{ name: 's', data, type: 'STRING' }] });
      const [batch] = await drain(file);
      // The oracle: hyparquet's own reading, which decodes each cell to a string.
      const rows = await parquetReadObjects({ file: await asyncBufferFromFile(file) });
      expect([...batch!.getChild('s')!]).toEqual(rows.map((row) => row.s ?? null));
      // The bytes stored are valid UTF-8 cell by cell (writers copy them out as they are), not only when read.
      const { valueOffsets, values } = batch!.getChild('s')!.data[0]!;
      const strict = new TextDecoder('utf-8', { fatal: true });
      for (let i = 0; i < data.length; i++)
        expect(() => strict.decode(values.subarray(valueOffsets[i], valueOffsets[i + 1]))).not.toThrow();
      expect([...batch!.getChild('s')!].slice(0, distinct.length)).toEqual([
        'alice',
        'ünï 名前',
        'a\uFFFDb',
        '\uFFFD',
        '\uFFFD',
        '',
        null,
      ]);
    }
  });

  it('names the row and column of a bad count, and refuses a file that is not Parquet', async () => {
    const file = tempFile('bad.parquet', '');
    const table = new Table({ AttemptedLogons: makeVector(Float64Array.from([1, 2.5])) });
    await writeParquet(file, table);
    await expect(readAll(readUserDayParquet(file))).rejects.toThrow(`${file}:Date: missing column`);
    const notParquet = tempFile('not.parquet', 'hello, world\n');
    await expect(drain(notParquet)).rejects.toBeInstanceOf(IngestError);
    const demo = tempFile('counts.parquet', '');
    const source = (await readAll(readUserDayCsv(demoCsv))).slice(0, 2);
    const bad = source.assign(new Table({ FailedLogons: makeVector(Float64Array.from([0, 2.5])) }));
    await writeParquet(demo, bad);
    await expect(readAll(readUserDayParquet(demo))).rejects.toThrow(`${demo}:2:FailedLogons: not a whole number >= 0`);
  });

  it('reads a null user name as the empty string, and names the row of a null count or day', async () => {
    const source = (await readAll(readUserDayCsv(demoCsv))).slice(0, 4);
    const users = Array.from(source.getChild('DstUser')!, String);
    const file = tempFile('null-user.parquet', '');
    await writeParquet(
      file,
      source.assign(new Table({ DstUser: vectorFromArray([users[0], null, users[2], null], new Utf8()) })),
    );
    const read = toUserDays(await readAll(readUserDayParquet(file)));
    expect(read.map((row) => row.DstUser)).toEqual([users[0], '', users[2], '']);
    const others = (rows: ReturnType<typeof toUserDays>) => rows.map((row) => ({ ...row, DstUser: '' }));
    expect(others(read)).toEqual(others(toUserDays(source)));
    const nullCount = tempFile('null-count.parquet', '');
    await writeParquet(
      nullCount,
      source.assign(new Table({ FailedLogons: vectorFromArray([0, 1, null, 2], new Float64()) })),
    );
    await expect(readAll(readUserDayParquet(nullCount))).rejects.toThrow(
      `${nullCount}:3:FailedLogons: not a whole number >= 0`,
    );
    const days = Array.from(source.getChild('Date')!, (ms) => new Date(Number(ms)));
    const nullDay = tempFile('null-day.parquet', '');
    await writeParquet(
      nullDay,
      source.assign(new Table({ Date: vectorFromArray([days[0], null, days[2], days[3]], new DateDay()) })),
    );
    await expect(readAll(readUserDayParquet(nullDay))).rejects.toThrow(`${nullDay}:2:Date: not a date`);
  });

  it('reads raw events from a Parquet export as the same user-days as the CSV export', async () => {
    const csv = path.join(ingestFixtures, 'securityevent-export.csv');
    const file = await securityEventsParquet();
    const fromParquet = readRawEventFiles([file]);
    const expected = toUserDays(await readAll(readRawEventFiles([csv])));
    expect(expected.length).toBeGreaterThan(0);
    expect(toUserDays(await readAll(fromParquet))).toEqual(expected);
    let records = 0;
    for await (const _ of readCsvRecords(csv)) records++;
    expect(fromParquet.stats.rowsRead).toBe(records - 1); // the header is a record, not an event
  });
});
