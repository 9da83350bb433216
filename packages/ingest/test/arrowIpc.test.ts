import { readFileSync, writeFileSync } from 'node:fs';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  csvNumber,
  csvText,
  IngestError,
  readAll,
  readArrowBatches,
  readUserDayArrow,
  readUserDayCsv,
  REUSED_BUFFERS,
  toUserDays,
  USER_DAY_SCHEMA,
  writeArrowIpc,
  writeCsv,
  type UserDayTypeMap,
} from '../src/index.js';
import { demoCsv, tempFile } from './support.js';

const demoRows = async () => toUserDays(await readAll(readUserDayCsv(demoCsv)));

describe('Arrow IPC', () => {
  for (const format of ['file', 'stream'] as const) {
    it(`round-trips the demo user-days through the ${format} format, batch by batch`, async () => {
      const file = tempFile(`demo.${format === 'file' ? 'arrow' : 'arrows'}`, '');
      const written = await writeArrowIpc(file, readUserDayCsv(demoCsv, { batchRows: 40 }), { format });
      expect(written).toBe(135);
      const source = readUserDayArrow(file);
      const sizes: number[] = [];
      const rows = [];
      for await (const batch of source) {
        sizes.push(batch.numRows);
        rows.push(...toUserDays(batch));
      }
      expect(sizes).toEqual([40, 40, 40, 15]);
      expect(rows).toEqual(await demoRows());
      expect(source.stats).toMatchObject({ rowsRead: 135, rowsOut: 135 });
    });
  }

  it('reads a file into REUSED_BUFFERS buffers in turn when asked to, the values those of a plain read', async () => {
    const file = tempFile('demo.arrow', '');
    await writeArrowIpc(file, readUserDayCsv(demoCsv, { batchRows: 20 }));
    const buffers: ArrayBufferLike[] = [];
    const rows = [];
    for await (const batch of readUserDayArrow(file, { reuseBuffers: true })) {
      buffers.push(batch.getChild('AttemptedLogons')!.data[0]!.values.buffer);
      rows.push(...toUserDays(batch));
    }
    expect(rows).toEqual(await demoRows());
    expect(buffers).toHaveLength(7);
    expect(new Set(buffers).size).toBe(REUSED_BUFFERS);
    expect(buffers[REUSED_BUFFERS]).toBe(buffers[0]);
    // A stream is read as usual.
    const stream = tempFile('demo.arrows', '');
    await writeArrowIpc(stream, readUserDayCsv(demoCsv, { batchRows: 20 }), { format: 'stream' });
    expect(toUserDays(await readAll(readUserDayArrow(stream, { reuseBuffers: true })))).toEqual(rows);
  });

  it('writes a typed, empty file when given a schema and no batches', async () => {
    const file = tempFile('empty.arrow', '');
    expect(await writeArrowIpc(file, [], { schema: USER_DAY_SCHEMA })).toBe(0);
    expect((await readAll(readUserDayArrow(file))).numRows).toBe(0);
  });

  it('finds the columns by name and ignores extra ones, as the CSV reader does', async () => {
    const { Table, tableFromArrays } = await import('apache-arrow');
    const original = await readAll(readUserDayCsv(demoCsv));
    const reordered = [...USER_DAY_SCHEMA.fields].reverse().map((f) => f.name as keyof UserDayTypeMap);
    const columns = Object.fromEntries(reordered.map((name) => [name, original.getChild(name)!]));
    const label = tableFromArrays({ label: Int32Array.from({ length: original.numRows }, (_, i) => i % 2) }).getChild(
      'label',
    )!;
    const file = tempFile('extra.arrow', '');
    await writeArrowIpc(file, new Table({ label, ...columns }).batches);
    const read = await readAll(readUserDayArrow(file));
    expect(read.schema.fields.map((f) => f.name)).toEqual(USER_DAY_SCHEMA.fields.map((f) => f.name));
    expect(toUserDays(read)).toEqual(toUserDays(original));
  });

  it('refuses a file of another schema, naming the column', async () => {
    const { tableFromArrays } = await import('apache-arrow');
    const file = tempFile('other.arrow', '');
    await writeArrowIpc(file, tableFromArrays({ Date: new Float64Array([1]) }).batches);
    await expect(readAll(readUserDayArrow(file))).rejects.toThrow(`${file}:Date: type Float64 should be Date32<DAY>`);
  });

  it('refuses a file that is not Arrow', async () => {
    const file = tempFile('not.arrow', 'hello, world\n');
    const drain = async () => {
      for await (const _ of readArrowBatches(file)) void _;
    };
    await expect(drain()).rejects.toBeInstanceOf(IngestError);
  });
});

describe('CSV writer', () => {
  it('round-trips the demo user-days through CSV (ISO dates and times)', async () => {
    const file = tempFile('out.csv', '');
    expect(await writeCsv(file, await readAll(readUserDayCsv(demoCsv)))).toBe(135);
    expect(toUserDays(await readAll(readUserDayCsv(file)))).toEqual(await demoRows());
  });

  it('writes numbers that read back to the same double', () => {
    fc.assert(
      fc.property(fc.double(), (x) => {
        expect(Object.is(Number(csvNumber(x)), x)).toBe(true);
      }),
    );
  });

  it('quotes text only when needed', () => {
    expect(csvText('ACC-01')).toBe('ACC-01');
    expect(csvText('a,b')).toBe('"a,b"');
    expect(csvText('say "hi"')).toBe('"say ""hi"""');
    expect(csvText('two\nlines')).toBe('"two\nlines"');
    expect(csvText(' padded')).toBe('" padded"');
  });

  it('keeps awkward user names intact through a round trip', async () => {
    const rows = await demoRows();
    const names = ['O"Brien, Pat', 'line\nbreak', ' lead', 'ünï'];
    const { UserDayBatchBuilder } = await import('../src/index.js');
    const builder = new UserDayBatchBuilder(names.length);
    names.forEach((n) => builder.push({ ...rows[0]!, DstUser: n }));
    const file = tempFile('awkward.csv', '');
    await writeCsv(file, [builder.finish()], { eol: '\r\n' });
    expect(toUserDays(await readAll(readUserDayCsv(file))).map((r) => r.DstUser)).toEqual(names);
  });
});

describe('damaged Arrow IPC inputs', () => {
  it('refuse an empty file and a file whose footer lists more batches than it holds, naming the file', async () => {
    const empty = tempFile('empty.arrow', new Uint8Array(0));
    await expect(readAll(readUserDayArrow(empty))).rejects.toThrow(IngestError);
    await expect(readAll(readUserDayArrow(empty))).rejects.toThrow(
      new RegExp(`^${empty.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}: `),
    );
    const file = tempFile('demo.arrow', '');
    await writeArrowIpc(file, readUserDayCsv(demoCsv));
    const bytes = new Uint8Array(readFileSync(file));
    const dv = new DataView(bytes.buffer);
    const start = bytes.length - 10 - dv.getInt32(bytes.length - 10, true);
    const root = start + dv.getUint32(start, true);
    const vtable = root - dv.getInt32(root, true);
    const field = root + dv.getUint16(vtable + 4 + 2 * 3, true);
    dv.setUint32(field + dv.getUint32(field, true), 0x7fffffff, true);
    const damaged = tempFile('damaged.arrow', bytes);
    await expect(readAll(readUserDayArrow(damaged))).rejects.toThrow(
      /damaged Arrow IPC file: footer: an offset points outside/,
    );
  });

  it('read or refuse with an IngestError, whatever footer byte is flipped', { timeout: 120_000 }, async () => {
    const file = tempFile('demo.arrow', '');
    await writeArrowIpc(file, readUserDayCsv(demoCsv));
    const original = new Uint8Array(readFileSync(file));
    const footerStart = original.length - 10 - new DataView(original.buffer).getInt32(original.length - 10, true);
    let refused = 0;
    for (let i = footerStart; i < original.length; i += 3) {
      const bytes = original.slice();
      bytes[i] ^= 0xff;
      writeFileSync(file, bytes);
      try {
        await readAll(readUserDayArrow(file));
      } catch (error) {
        if (!(error instanceof IngestError)) throw error;
        refused++;
      }
    }
    expect(refused).toBeGreaterThan(10);
  });

  it(
    'read or refuse with an IngestError, whatever byte of a file is flipped, into reused buffers',
    { timeout: 120_000 },
    async () => {
      const file = tempFile('demo.arrow', '');
      await writeArrowIpc(file, readUserDayCsv(demoCsv, { batchRows: 30 }));
      const original = new Uint8Array(readFileSync(file));
      let refused = 0;
      for (let i = 0; i < original.length; i += 7) {
        const bytes = original.slice();
        bytes[i] ^= 0xff;
        writeFileSync(file, bytes);
        try {
          await readAll(readUserDayArrow(file, { reuseBuffers: true }));
        } catch (error) {
          if (!(error instanceof IngestError)) throw error;
          refused++;
        }
      }
      expect(refused).toBeGreaterThan(10);
    },
  );

  it(
    'read or refuse with an IngestError, whatever byte of a stream-format file is flipped (no footer to check)',
    { timeout: 120_000 },
    async () => {
      const file = tempFile('demo.arrows', '');
      await writeArrowIpc(file, readUserDayCsv(demoCsv), { format: 'stream' });
      const original = new Uint8Array(readFileSync(file));
      // The first message's metadata length made huge: apache-arrow would try to read (and allocate) it.
      const huge = original.slice();
      new DataView(huge.buffer).setInt32(4, 0x7ffffff0, true);
      writeFileSync(file, huge);
      await expect(readAll(readUserDayArrow(file))).rejects.toThrow(
        /damaged Arrow IPC stream: message 1: metadata of 2147483632 bytes/,
      );
      let refused = 0;
      for (let i = 0; i < original.length; i += 7) {
        const bytes = original.slice();
        bytes[i] = bytes[i] === 0xff ? 0x00 : 0xff;
        writeFileSync(file, bytes);
        try {
          await readAll(readUserDayArrow(file));
        } catch (error) {
          if (!(error instanceof IngestError)) throw error;
          refused++;
        }
      }
      expect(refused).toBeGreaterThan(10);
    },
  );
});
