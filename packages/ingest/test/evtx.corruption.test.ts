import fc from 'fast-check';
/**
 * Damaged and hostile input: copies of the sample log with bytes flipped or cut (made in a temp dir), and small
 * chunks written byte by byte with lengths, templates and nesting chosen to break a naive decoder. Nothing may
 * crash, hang or grow without bound; every loss is counted and located.
 */
import { copyFileSync, mkdirSync, mkdtempSync, readFileSync, rmSync, truncateSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { crc32 } from '../src/evtx/crc32.js';
import { tableCrc32 } from '../src/evtx/crc32Table.js';
import { crc32 as zlibCrc32 } from 'node:zlib';
import { EvtxFormatError, readEvtx, readEvtxFiles, type EvtxReader, type EvtxRecord } from '../src/evtx/index.js';

const repoRoot = resolve(dirname(fileURLToPath(import.meta.url)), '../../..');
const SAMPLE = resolve(repoRoot, '..', 'shared', 'data', 'raw', 'omerbenamram-evtx__Security_with_size_t.evtx');
const dir = mkdtempSync(join(tmpdir(), 'evtx-test-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const HEADER_BLOCK = 4096;
const CHUNK = 65536;
const SAMPLE_RECORDS = 636;
const HOSTILE_TIMEOUT_MS = 20_000;

async function readAllRecords(reader: EvtxReader): Promise<EvtxRecord[]> {
  const out: EvtxRecord[] = [];
  for await (const r of reader) out.push(r);
  return out;
}

/** A copy of the sample with `edit` applied to its bytes. */
function sampleCopy(name: string, edit: (bytes: Uint8Array) => void): string {
  const bytes = new Uint8Array(readFileSync(SAMPLE));
  edit(bytes);
  const path = join(dir, name);
  writeFileSync(path, bytes);
  return path;
}

/** First and last record numbers from a chunk header of the untouched sample (independent of the reader). */
function chunkRecordRange(index: number): [number, number] {
  const dv = new DataView(readFileSync(SAMPLE).buffer);
  const at = HEADER_BLOCK + index * CHUNK;
  return [dv.getUint32(at + 8, true), dv.getUint32(at + 16, true)];
}

describe('CRC-32', () => {
  it('matches the standard check value', () => {
    expect(crc32(new TextEncoder().encode('123456789'), 0, 9)).toBe(0xcbf43926);
    expect(tableCrc32(new TextEncoder().encode('123456789'), 0, 9)).toBe(0xcbf43926);
  });

  it("gives zlib's value in the browsers' table version, over any range and continued over two ranges", () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 300 }), fc.nat(), fc.nat(), (bytes, a, b) => {
        const [start, end] = [a % (bytes.length + 1), b % (bytes.length + 1)].sort((x, y) => x - y);
        expect(tableCrc32(bytes, start, end)).toBe(zlibCrc32(bytes.subarray(start, end)));
        const first = tableCrc32(bytes, 0, start);
        expect(tableCrc32(bytes, start, bytes.length, first)).toBe(zlibCrc32(bytes));
      }),
    );
  });
});

describe('damaged copies of the sample log', () => {
  it('skips a chunk whose records were altered, names it, and still reads the other chunks', async () => {
    const [first, last] = chunkRecordRange(2);
    const path = sampleCopy('flipped.evtx', (b) => {
      b[HEADER_BLOCK + 2 * CHUNK + 5000] ^= 0xff;
    });
    const reader = readEvtx(path);
    const records = await readAllRecords(reader);
    expect(records).toHaveLength(SAMPLE_RECORDS - (last - first + 1));
    expect(records.some((r) => r.recordId >= first && r.recordId <= last)).toBe(false);
    expect(reader.stats).toMatchObject({ chunksRead: 5, chunksSkipped: 1, recordsSkipped: last - first + 1 });
    expect(reader.stats.issues).toEqual([
      expect.objectContaining({
        file: path,
        chunk: 2,
        offset: HEADER_BLOCK + 2 * CHUNK + 512,
        reason: 'chunk-records-checksum',
        recordsLost: last - first + 1,
      }),
    ]);
  });

  it('skips a chunk whose header was altered', async () => {
    const path = sampleCopy('chunk-header.evtx', (b) => {
      b[HEADER_BLOCK + CHUNK + 300] ^= 0x01; // inside the string offset table, covered by the header CRC
    });
    const reader = readEvtx(path);
    const [first, last] = chunkRecordRange(1);
    expect(await readAllRecords(reader)).toHaveLength(SAMPLE_RECORDS - (last - first + 1));
    // The chunk's own record count cannot be trusted; its records are counted as the numbers no chunk holds.
    expect(reader.stats.issues).toEqual([
      expect.objectContaining({
        chunk: 1,
        offset: HEADER_BLOCK + CHUNK + 124,
        reason: 'chunk-header-checksum',
        recordsLost: 0,
      }),
      expect.objectContaining({
        chunk: null,
        reason: 'records-missing',
        detail: `records ${first}..${last} are in no chunk that could be read`,
        recordsLost: last - first + 1,
      }),
    ]);
    expect(reader.stats.recordsSkipped).toBe(last - first + 1);
  });

  it('reads altered records when checksums are not verified', async () => {
    const path = sampleCopy('unverified.evtx', (b) => {
      b[HEADER_BLOCK + 2 * CHUNK + 200] ^= 0x01; // chunk header padding: breaks only the header CRC
    });
    const reader = readEvtx(path, { verifyChecksums: false });
    expect(await readAllRecords(reader)).toHaveLength(SAMPLE_RECORDS);
    expect(reader.stats.issues).toEqual([]);
  });

  it('reports a damaged file header but reads all chunks, which carry their own checksums', async () => {
    const path = sampleCopy('file-header.evtx', (b) => {
      b[60] ^= 0xff;
    });
    const reader = readEvtx(path);
    expect(await readAllRecords(reader)).toHaveLength(SAMPLE_RECORDS);
    expect(reader.stats.issues).toEqual([expect.objectContaining({ chunk: null, reason: 'file-header-checksum' })]);
  });

  it('counts a chunk cut short by truncation and keeps the complete chunks before it', async () => {
    const path = join(dir, 'cut.evtx');
    copyFileSync(SAMPLE, path);
    const cutAt = HEADER_BLOCK + 3 * CHUNK + 30_000;
    truncateSync(path, cutAt);
    const reader = readEvtx(path);
    const records = await readAllRecords(reader);
    const [, lastOfChunk2] = chunkRecordRange(2);
    expect(records).toHaveLength(lastOfChunk2);
    expect(Math.max(...records.map((r) => r.recordId))).toBe(lastOfChunk2);
    const [first3, last3] = chunkRecordRange(3);
    // Chunk 3's header survived the cut; chunks 4 and 5 are gone, their records missing by number.
    expect(reader.stats).toMatchObject({
      chunksRead: 3,
      chunksSkipped: 3,
      recordsSkipped: SAMPLE_RECORDS - lastOfChunk2,
    });
    expect(reader.stats.issues).toEqual([
      expect.objectContaining({
        chunk: 3,
        offset: HEADER_BLOCK + 3 * CHUNK,
        reason: 'chunk-truncated',
        recordsLost: last3 - first3 + 1,
      }),
      expect.objectContaining({
        reason: 'records-missing',
        detail: `records ${last3 + 1}..${SAMPLE_RECORDS} are in no chunk that could be read (the header declares 6 chunks in use: 2 missing from the file)`,
        recordsLost: SAMPLE_RECORDS - last3,
      }),
    ]);
  });

  it('counts the records of a file cut short at a chunk boundary, against the chunks its header declares', async () => {
    const path = join(dir, 'cut-at-boundary.evtx');
    copyFileSync(SAMPLE, path);
    truncateSync(path, HEADER_BLOCK + 2 * CHUNK);
    const reader = readEvtx(path);
    const records = await readAllRecords(reader);
    const [, lastOfChunk1] = chunkRecordRange(1);
    expect(records).toHaveLength(lastOfChunk1);
    expect(reader.stats).toMatchObject({
      chunksRead: 2,
      chunksSkipped: 4,
      recordsRead: lastOfChunk1,
      recordsSkipped: SAMPLE_RECORDS - lastOfChunk1,
    });
    expect(reader.stats.issues).toEqual([
      expect.objectContaining({
        reason: 'records-missing',
        recordsLost: SAMPLE_RECORDS - lastOfChunk1,
        detail: expect.stringMatching(/4 missing from the file/),
      }),
    ]);
  });

  it('counts the records of a zeroed chunk that the header declares in use', async () => {
    const [first, last] = chunkRecordRange(2);
    const path = sampleCopy('zeroed.evtx', (b) => b.fill(0, HEADER_BLOCK + 2 * CHUNK, HEADER_BLOCK + 3 * CHUNK));
    const reader = readEvtx(path);
    const records = await readAllRecords(reader);
    expect(records).toHaveLength(SAMPLE_RECORDS - (last - first + 1));
    expect(reader.stats).toMatchObject({
      chunksRead: 5,
      chunksSkipped: 1,
      chunksEmpty: 11,
      recordsSkipped: last - first + 1,
    });
    expect(reader.stats.issues).toEqual([
      expect.objectContaining({
        reason: 'records-missing',
        detail: `records ${first}..${last} are in no chunk that could be read (the header declares 6 chunks in use: 1 zeroed)`,
      }),
    ]);
  });

  it('refuses a file that is not EVTX with a one-line error naming the file and offset', async () => {
    const path = join(dir, 'events.json');
    writeFileSync(path, '{"EventID": 4624}\n');
    const failure = readAllRecords(readEvtx(path));
    await expect(failure).rejects.toBeInstanceOf(EvtxFormatError);
    await expect(failure).rejects.toMatchObject({ file: path, offset: 0 });
    await expect(failure).rejects.toThrow(/^[^\n]*not an EVTX event log[^\n]*$/);
  });

  it('refuses an empty file and a file that ends inside the header', async () => {
    const empty = join(dir, 'empty.evtx');
    writeFileSync(empty, '');
    await expect(readAllRecords(readEvtx(empty))).rejects.toMatchObject({
      name: 'EvtxFormatError',
      file: empty,
      offset: 0,
    });
    const short = join(dir, 'short.evtx');
    writeFileSync(short, readFileSync(SAMPLE).subarray(0, 40));
    await expect(readAllRecords(readEvtx(short))).rejects.toMatchObject({
      name: 'EvtxFormatError',
      file: short,
      offset: 40,
    });
  });

  it('merges several files, and the .evtx files of a folder', async () => {
    const folder = join(dir, 'logs');
    mkdirSync(folder);
    copyFileSync(SAMPLE, join(folder, 'a.evtx'));
    copyFileSync(SAMPLE, join(folder, 'b.EVTX'));
    writeFileSync(join(folder, 'notes.txt'), 'not a log');
    const reader = readEvtxFiles([folder, SAMPLE]);
    const records = await readAllRecords(reader);
    expect(records).toHaveLength(3 * SAMPLE_RECORDS);
    expect(reader.stats).toMatchObject({ files: 3, recordsRead: 3 * SAMPLE_RECORDS, chunksRead: 18 });
    expect(new Set(records.map((r) => r.file))).toEqual(
      new Set([join(folder, 'a.evtx'), join(folder, 'b.EVTX'), SAMPLE]),
    );
  });
});

// ---- hand-written chunks -----------------------------------------------------------------------------------

const VT_WSTRING = 0x01;
const VT_UINT16 = 0x06;
const VT_UINT32 = 0x08;
const VT_UINT64 = 0x0a;
const VT_GUID = 0x0f;
const VT_FILETIME = 0x11;
const VT_SID = 0x13;
const VT_HEX64 = 0x15;
const VT_BINXML = 0x21;

interface Value {
  readonly type: number;
  readonly bytes: number[];
}

const le = (n: number, width: number) =>
  Array.from({ length: width }, (_, i) => Number((BigInt(n) >> BigInt(8 * i)) & 0xffn));
const utf16 = (s: string) => [...s].flatMap((c) => le(c.charCodeAt(0), 2));
const wstring = (s: string): Value => ({ type: VT_WSTRING, bytes: utf16(s) });

/** Writes one chunk: a 512-byte header, then records, with real checksums unless told otherwise. */
class ChunkWriter {
  readonly bytes = new Uint8Array(CHUNK);
  pos = 512;
  private records = 0;

  u8(v: number): this {
    this.bytes[this.pos++] = v;
    return this;
  }
  u16(v: number): this {
    return this.raw(le(v, 2));
  }
  u32(v: number): this {
    return this.raw(le(v, 4));
  }
  raw(bytes: number[]): this {
    this.bytes.set(bytes, this.pos);
    this.pos += bytes.length;
    return this;
  }
  patch32(at: number, v: number): void {
    this.bytes.set(le(v, 4), at);
  }
  /** A name defined inline: its offset is the byte right after the offset field. */
  name(s: string): this {
    return this.u32(this.pos + 4)
      .u32(0)
      .u16(0)
      .u16(s.length)
      .raw(utf16(s))
      .u16(0);
  }
  open(name: string, attributes = false): this {
    this.u8(attributes ? 0x41 : 0x01)
      .u16(0xffff)
      .u32(0)
      .name(name);
    return attributes ? this.u32(0) : this;
  }
  attribute(name: string): this {
    return this.u8(0x06).name(name);
  }
  text(s: string): this {
    return this.u8(0x05).u8(VT_WSTRING).u16(s.length).raw(utf16(s));
  }
  sub(index: number, type: number): this {
    return this.u8(0x0d).u16(index).u8(type);
  }
  /** `<name>{sub}</name>` */
  leaf(name: string, index: number, type: number): this {
    return this.open(name).u8(0x02).sub(index, type).u8(0x04);
  }
  /** `<Data Name="...">{sub}</Data>` */
  data(name: string, index: number, type: number): this {
    return this.open('Data', true).attribute('Name').text(name).u8(0x02).sub(index, type).u8(0x04);
  }

  /** A record whose Binary XML `body` writes; returns the record's chunk offset. */
  record(id: number, body: (w: this) => void): number {
    const start = this.pos;
    this.u32(0x2a2a).u32(0).raw(le(id, 8)).raw(le(132000000000000000, 8));
    body(this);
    const size = this.pos - start + 4;
    this.u32(size);
    this.patch32(start + 4, size);
    this.records++;
    return start;
  }

  /**
   * Fragment header, then a template instance whose definition is written inline by `template` (or refers to
   * `existing`), then the substitution values (`count` overrides the real count).
   */
  instance(template: ((w: this) => void) | { existing: number }, values: Value[], count = values.length): number {
    this.raw([0x0f, 0x01, 0x01, 0x00]).u8(0x0c).u8(0x01).u32(0x1234);
    let definition: number;
    if ('existing' in template) {
      definition = template.existing;
      this.u32(definition);
    } else {
      definition = this.pos + 4;
      this.u32(definition).u32(0).raw(new Array(16).fill(7)).u32(0);
      const dataStart = this.pos;
      template(this);
      this.patch32(dataStart - 4, this.pos - dataStart);
    }
    this.u32(count);
    for (const v of values) this.u16(v.bytes.length).u8(v.type).u8(0);
    for (const v of values) this.raw(v.bytes);
    this.u8(0x00);
    return definition;
  }

  /** Fills the chunk header (record numbers 1..n, free space, CRCs) and returns the 64 KiB. */
  finish(options: { freeSpace?: number } = {}): Uint8Array {
    const b = this.bytes;
    b.set([0x45, 0x6c, 0x66, 0x43, 0x68, 0x6e, 0x6b, 0x00], 0);
    const dv = new DataView(b.buffer);
    for (const at of [8, 24]) dv.setUint32(at, 1, true);
    for (const at of [16, 32]) dv.setUint32(at, this.records, true);
    dv.setUint32(40, 128, true);
    dv.setUint32(48, options.freeSpace ?? this.pos, true);
    dv.setUint32(52, crc32(b, 512, Math.min(this.pos, CHUNK)), true);
    dv.setUint32(124, crc32(b, 128, 512, crc32(b, 0, 120)), true);
    return b;
  }
}

/** The shape of a Security logon event: System fields and a few EventData values of several types. */
function logonTemplate(w: ChunkWriter): void {
  w.raw([0x0f, 0x01, 0x01, 0x00]).open('Event').u8(0x02).open('System').u8(0x02);
  w.open('Provider', true).attribute('Name').sub(0, VT_WSTRING).u8(0x03);
  w.leaf('EventID', 1, VT_UINT16);
  w.open('TimeCreated', true).attribute('SystemTime').sub(2, VT_FILETIME).u8(0x03);
  w.leaf('EventRecordID', 3, VT_UINT64).leaf('Channel', 4, VT_WSTRING).leaf('Computer', 5, VT_WSTRING).u8(0x04);
  w.open('EventData').u8(0x02);
  w.data('TargetUserName', 6, VT_WSTRING).data('LogonType', 7, VT_UINT32).data('TargetUserSid', 8, VT_SID);
  w.data('LogonGuid', 9, VT_GUID).data('TargetLogonId', 10, VT_HEX64).data('IpAddress', 11, VT_WSTRING);
  w.u8(0x04).u8(0x04).u8(0x00);
}

/** 2020-01-02T03:04:05.1234567Z as FILETIME ticks (100 ns since 1601). */
const TICKS = (BigInt(Date.UTC(2020, 0, 2, 3, 4, 5, 123)) + 11_644_473_600_000n) * 10_000n + 4567n;

function logonValues(recordId: number, user: string): Value[] {
  return [
    wstring('Microsoft-Windows-Security-Auditing'),
    { type: VT_UINT16, bytes: le(4624, 2) },
    { type: VT_FILETIME, bytes: le(Number(TICKS & 0xffffffffn), 4).concat(le(Number(TICKS >> 32n), 4)) },
    { type: VT_UINT64, bytes: le(recordId, 8) },
    wstring('Security'),
    wstring('HOST1'),
    wstring(user),
    { type: VT_UINT32, bytes: le(3, 4) },
    // S-1-5-21-1-2-3-1001: revision 1, 5 sub-authorities, authority 5 (48-bit big-endian)
    {
      type: VT_SID,
      bytes: [1, 5, 0, 0, 0, 0, 0, 5, ...le(21, 4), ...le(1, 4), ...le(2, 4), ...le(3, 4), ...le(1001, 4)],
    },
    // {01234567-89ab-cdef-0123-456789abcdef}: first three groups little-endian
    {
      type: VT_GUID,
      bytes: [0x67, 0x45, 0x23, 0x01, 0xab, 0x89, 0xef, 0xcd, 0x01, 0x23, 0x45, 0x67, 0x89, 0xab, 0xcd, 0xef],
    },
    { type: VT_HEX64, bytes: le(0x3e7, 8) },
    { type: 0x00, bytes: [] }, // null: an empty value
  ];
}

/** A file of one file header and the given chunks. */
function writeEvtx(name: string, chunks: Uint8Array[]): string {
  const header = new Uint8Array(HEADER_BLOCK);
  header.set([0x45, 0x6c, 0x66, 0x46, 0x69, 0x6c, 0x65, 0x00], 0);
  const dv = new DataView(header.buffer);
  dv.setUint32(32, 128, true);
  dv.setUint16(36, 1, true);
  dv.setUint16(38, 3, true);
  dv.setUint16(40, HEADER_BLOCK, true);
  dv.setUint16(42, chunks.length, true);
  dv.setUint32(124, crc32(header, 0, 120), true);
  const path = join(dir, name);
  writeFileSync(path, Buffer.concat([header, ...chunks]));
  return path;
}

/** A chunk whose first record is written by `hostile` and whose second is a well-formed logon. */
function chunkWithHostileFirstRecord(hostile: (w: ChunkWriter) => void): Uint8Array {
  const w = new ChunkWriter();
  w.record(1, hostile);
  w.record(2, (x) => x.instance(logonTemplate, logonValues(2, 'bob')));
  return w.finish();
}

async function readHostile(name: string, hostile: (w: ChunkWriter) => void) {
  const reader = readEvtx(writeEvtx(name, [chunkWithHostileFirstRecord(hostile)]));
  const records = await readAllRecords(reader);
  return { records, stats: reader.stats };
}

describe('hand-written chunks', () => {
  it('decode to the values written, with a template defined once and reused', async () => {
    const w = new ChunkWriter();
    let definition = 0;
    w.record(1, (x) => {
      definition = x.instance(logonTemplate, logonValues(1, 'alice'));
    });
    w.record(2, (x) => x.instance({ existing: definition }, logonValues(2, 'bob')));
    const reader = readEvtx(writeEvtx('valid.evtx', [w.finish()]));
    const records = await readAllRecords(reader);
    expect(reader.stats).toMatchObject({ chunksRead: 1, recordsRead: 2, recordsSkipped: 0 });
    expect(records.map((r) => r.eventData.TargetUserName)).toEqual(['alice', 'bob']);
    expect(records[0]).toMatchObject({
      recordId: 1,
      eventId: 4624,
      provider: 'Microsoft-Windows-Security-Auditing',
      channel: 'Security',
      computer: 'HOST1',
      timeCreated: '2020-01-02T03:04:05.1234567Z',
      timeCreatedMs: Date.UTC(2020, 0, 2, 3, 4, 5, 123),
      system: { TimeCreated: '2020-01-02 03:04:05.123456', EventRecordID: '1' },
      eventData: {
        LogonType: '3',
        TargetUserSid: 'S-1-5-21-1-2-3-1001',
        LogonGuid: '{01234567-89ab-cdef-0123-456789abcdef}',
        TargetLogonId: '0x00000000000003e7',
        IpAddress: null,
      },
    });
  });

  it('reject a template that contains itself, and read the next record', { timeout: HOSTILE_TIMEOUT_MS }, async () => {
    const { records, stats } = await readHostile('self-template.evtx', (w) => {
      w.raw([0x0f, 0x01, 0x01, 0x00]).u8(0x0c).u8(0x01).u32(1);
      const definition = w.pos + 4;
      w.u32(definition).u32(0).raw(new Array(16).fill(1)).u32(0);
      const dataStart = w.pos;
      // The template's body is an instance of the template itself.
      w.raw([0x0f, 0x01, 0x01, 0x00]).u8(0x0c).u8(0x01).u32(1).u32(definition).u32(0).u8(0x00);
      w.patch32(dataStart - 4, w.pos - dataStart);
      w.u32(0).u8(0x00);
    });
    expect(records.map((r) => r.recordId)).toEqual([2]);
    expect(stats.recordsSkipped).toBe(1);
    expect(stats.issues).toEqual([
      expect.objectContaining({ chunk: 0, reason: 'record-bad-xml', detail: expect.stringMatching(/contains itself/) }),
    ]);
  });

  it('reject elements nested thousands deep', { timeout: HOSTILE_TIMEOUT_MS }, async () => {
    const depth = 2000;
    const { records, stats } = await readHostile('deep.evtx', (w) =>
      w.instance((x) => {
        x.raw([0x0f, 0x01, 0x01, 0x00]);
        for (let i = 0; i < depth; i++) x.open('a').u8(0x02);
        for (let i = 0; i < depth; i++) x.u8(0x04);
        x.u8(0x00);
      }, []),
    );
    expect(records.map((r) => r.recordId)).toEqual([2]);
    expect(stats.issues).toEqual([
      expect.objectContaining({ reason: 'record-bad-xml', detail: expect.stringMatching(/deeper than/) }),
    ]);
  });

  it(
    'reject a substitution count of four billion without allocating for it',
    { timeout: HOSTILE_TIMEOUT_MS },
    async () => {
      const { records, stats } = await readHostile('huge-count.evtx', (w) =>
        w.instance(logonTemplate, logonValues(1, 'eve'), 0xffffffff),
      );
      expect(records.map((r) => r.recordId)).toEqual([2]);
      expect(stats.issues).toEqual([
        expect.objectContaining({
          reason: 'record-bad-xml',
          detail: expect.stringMatching(/4294967295 substitutions do not fit/),
        }),
      ]);
    },
  );

  it('reject a template length pointing past the chunk', { timeout: HOSTILE_TIMEOUT_MS }, async () => {
    const { records, stats } = await readHostile('long-template.evtx', (w) => {
      w.raw([0x0f, 0x01, 0x01, 0x00]).u8(0x0c).u8(0x01).u32(1);
      w.u32(w.pos + 4)
        .u32(0)
        .raw(new Array(16).fill(1))
        .u32(0x7fffffff)
        .u8(0x00);
    });
    expect(records.map((r) => r.recordId)).toEqual([2]);
    expect(stats.issues).toEqual([
      expect.objectContaining({
        reason: 'record-bad-xml',
        detail: expect.stringMatching(/inline template definition needs/),
      }),
    ]);
  });

  it('reject a name offset pointing past the chunk', { timeout: HOSTILE_TIMEOUT_MS }, async () => {
    const { records, stats } = await readHostile('far-name.evtx', (w) =>
      w.instance(
        (x) => x.raw([0x0f, 0x01, 0x01, 0x00]).u8(0x01).u16(0xffff).u32(0).u32(0xfffffff0).u8(0x03).u8(0x00),
        [],
      ),
    );
    expect(records.map((r) => r.recordId)).toEqual([2]);
    expect(stats.issues).toEqual([
      expect.objectContaining({
        reason: 'record-bad-xml',
        detail: expect.stringMatching(/name offset points past the chunk/),
      }),
    ]);
  });

  it(
    'cap a value substituted into itself many times over (an expansion bomb)',
    { timeout: HOSTILE_TIMEOUT_MS },
    async () => {
      const copies = 200;
      // One template whose body uses substitution 0 `copies` times; level k's value is Binary XML holding an
      // instance of the same template whose value is level k-1: copies^4 nodes if expanded naively.
      const { records, stats } = await readHostile('bomb.evtx', (w) => {
        let definition = 0;
        let nested: Value = wstring('x');
        const fragmentFor = (inner: Value): Value => {
          const bytes = [0x0f, 0x01, 0x01, 0x00, 0x0c, 0x01, ...le(1, 4), ...le(definition, 4), ...le(1, 4)];
          bytes.push(...le(inner.bytes.length, 2), inner.type, 0, ...inner.bytes, 0x00);
          return { type: VT_BINXML, bytes };
        };
        w.raw([0x0f, 0x01, 0x01, 0x00]).u8(0x0c).u8(0x01).u32(1);
        definition = w.pos + 4;
        w.u32(definition).u32(0).raw(new Array(16).fill(1)).u32(0);
        const dataStart = w.pos;
        w.raw([0x0f, 0x01, 0x01, 0x00]).open('Event').u8(0x02);
        for (let i = 0; i < copies; i++) w.sub(0, VT_BINXML);
        w.u8(0x04).u8(0x00);
        w.patch32(dataStart - 4, w.pos - dataStart);
        for (let level = 0; level < 3; level++) nested = fragmentFor(nested);
        w.u32(1).u16(nested.bytes.length).u8(VT_BINXML).u8(0).raw(nested.bytes).u8(0x00);
      });
      expect(records.map((r) => r.recordId)).toEqual([2]);
      expect(stats.issues).toEqual([
        expect.objectContaining({
          reason: 'record-bad-xml',
          detail: expect.stringMatching(/more than 100000 XML nodes/),
        }),
      ]);
    },
  );

  it('stop at a record whose size runs past the free space, counting the records left', async () => {
    const w = new ChunkWriter();
    w.record(1, (x) => x.instance(logonTemplate, logonValues(1, 'alice')));
    const second = w.record(2, (x) => x.instance(logonTemplate, logonValues(2, 'bob')));
    w.record(3, (x) => x.instance(logonTemplate, logonValues(3, 'carol')));
    w.patch32(second + 4, 0x00ffffff);
    const reader = readEvtx(writeEvtx('bad-size.evtx', [w.finish()]));
    const records = await readAllRecords(reader);
    expect(records.map((r) => r.recordId)).toEqual([1]);
    expect(reader.stats.recordsSkipped).toBe(2);
    expect(reader.stats.issues).toEqual([
      expect.objectContaining({ chunk: 0, offset: HEADER_BLOCK + second, reason: 'record-bad-header', recordsLost: 2 }),
    ]);
  });

  it('skip a chunk whose free-space offset lies outside the chunk, and read the next chunk', async () => {
    const bad = new ChunkWriter();
    bad.record(1, (x) => x.instance(logonTemplate, logonValues(1, 'alice')));
    const good = new ChunkWriter();
    good.record(1, (x) => x.instance(logonTemplate, logonValues(7, 'dave')));
    const reader = readEvtx(writeEvtx('bad-free-space.evtx', [bad.finish({ freeSpace: 0x7fffffff }), good.finish()]));
    const records = await readAllRecords(reader);
    expect(records.map((r) => r.eventData.TargetUserName)).toEqual(['dave']);
    expect(reader.stats.issues).toEqual([
      expect.objectContaining({ chunk: 0, offset: HEADER_BLOCK + 48, reason: 'chunk-bad-free-space' }),
    ]);
  });
});

// ---- expansion budget and per-record failures ------------------------------------------------------------

/** A template definition (next offset, GUID, data size, then `body`) as bytes. */
function templateDefinition(body: number[]): number[] {
  return [...le(0, 4), ...new Array(16).fill(3), ...le(body.length, 4), ...body];
}

/** A template instance token referring to the definition at chunk offset `definition`, with `values`. */
function instanceBytes(definition: number, values: Value[]): number[] {
  const bytes = [0x0c, 0x01, ...le(9, 4), ...le(definition, 4), ...le(values.length, 4)];
  for (const v of values) bytes.push(...le(v.bytes.length, 2), v.type, 0);
  for (const v of values) bytes.push(...v.bytes);
  return bytes;
}

const FRAGMENT_HEADER = [0x0f, 0x01, 0x01, 0x00];
const VT_ANSI = 0x02;
const VT_SIZE_T = 0x10;

describe('expansion budget', () => {
  it(
    'rejects 60 chained templates each used twice (2^60 instances) at once, and reads the next record',
    { timeout: HOSTILE_TIMEOUT_MS },
    async () => {
      const { records, stats } = await readHostile('chained.evtx', (w) => {
        // The record instantiates T60 and ends; the definitions sit after its end-of-stream token, where only
        // references reach them. T(k) is two instances of T(k-1); T1 is empty, so no element is ever made.
        const instanceAt = w.pos + FRAGMENT_HEADER.length;
        const recordBytes = FRAGMENT_HEADER.length + 14 + 1;
        const definitions: number[] = [];
        let at = instanceAt + 14 + 1;
        const bodies: number[][] = [];
        for (let k = 1; k <= 60; k++) {
          const body =
            k === 1
              ? [...FRAGMENT_HEADER, 0x00]
              : [
                  ...FRAGMENT_HEADER,
                  ...instanceBytes(definitions[k - 2], []),
                  ...instanceBytes(definitions[k - 2], []),
                  0x00,
                ];
          definitions.push(at);
          bodies.push(body);
          at += 24 + body.length;
        }
        w.raw(FRAGMENT_HEADER).raw(instanceBytes(definitions[59], [])).u8(0x00);
        expect(w.pos - (instanceAt - FRAGMENT_HEADER.length)).toBe(recordBytes);
        for (const body of bodies) w.raw(templateDefinition(body));
      });
      expect(records.map((r) => r.recordId)).toEqual([2]);
      expect(stats.recordsSkipped).toBe(1);
      expect(stats.issues).toEqual([
        expect.objectContaining({
          reason: 'record-bad-xml',
          detail: expect.stringMatching(/more than 100000 XML nodes/),
        }),
      ]);
    },
  );

  it(
    'rejects a 50 KB string expanded 50,000 times by its characters, without building it',
    { timeout: HOSTILE_TIMEOUT_MS },
    async () => {
      const before = process.memoryUsage().heapUsed;
      const { records, stats } = await readHostile('wide.evtx', (w) => {
        // Outer template: <Event> holding its one value, Binary XML, 50 times. That value is an instance of an inner
        // template using a 50,000-character string 1,000 times: 50,000 uses, 2.5 billion characters if expanded.
        w.raw(FRAGMENT_HEADER).u8(0x0c).u8(0x01).u32(9);
        const outer = w.pos + 4;
        w.u32(outer).u32(0).raw(new Array(16).fill(1)).u32(0);
        const outerData = w.pos;
        w.raw(FRAGMENT_HEADER).open('Event').u8(0x02);
        for (let i = 0; i < 50; i++) w.sub(0, VT_BINXML);
        w.u8(0x04).u8(0x00);
        w.patch32(outerData - 4, w.pos - outerData);
        w.u32(1).u16(0).u8(VT_BINXML).u8(0);
        const valueStart = w.pos;
        w.raw(FRAGMENT_HEADER).u8(0x0c).u8(0x01).u32(9);
        const inner = w.pos + 4;
        w.u32(inner).u32(0).raw(new Array(16).fill(2)).u32(0);
        const innerData = w.pos;
        w.raw(FRAGMENT_HEADER).open('a').u8(0x02);
        for (let i = 0; i < 1000; i++) w.sub(0, VT_ANSI);
        w.u8(0x04).u8(0x00);
        w.patch32(innerData - 4, w.pos - innerData);
        w.u32(1).u16(50_000).u8(VT_ANSI).u8(0).raw(new Array(50_000).fill(0x41)).u8(0x00);
        w.bytes.set(le(w.pos - valueStart, 2), valueStart - 4);
        w.u8(0x00);
      });
      expect(process.memoryUsage().heapUsed - before).toBeLessThan(200 * 1024 * 1024);
      expect(records.map((r) => r.recordId)).toEqual([2]);
      expect(stats.issues).toEqual([
        expect.objectContaining({
          reason: 'record-bad-xml',
          detail: expect.stringMatching(/more than 1048576 characters/),
        }),
      ]);
    },
  );

  it(
    'stops a chunk of many small records that each reuse an expensive template, counting every one',
    { timeout: HOSTILE_TIMEOUT_MS },
    async () => {
      const w = new ChunkWriter();
      let definition = 0;
      // One template of 3,000 elements (36 KB); 600 records of about 40 bytes each use it: 1.8 million elements.
      w.record(1, (x) => {
        definition = x.instance((t) => {
          t.raw(FRAGMENT_HEADER).open('Event').u8(0x02);
          const nameAt = t.pos + 11; // token, dependency id, data size, name offset: then the inline name
          t.open('a').u8(0x03);
          for (let i = 1; i < 3000; i++) t.u8(0x01).u16(0xffff).u32(0).u32(nameAt).u8(0x03);
          t.u8(0x04).u8(0x00);
        }, []);
      });
      for (let id = 2; id <= 600; id++) w.record(id, (x) => x.instance({ existing: definition }, []));
      const reader = readEvtx(writeEvtx('many-small.evtx', [w.finish()]));
      const records = await readAllRecords(reader);
      expect(records).toEqual([]); // <Event> without <System>: every record is rejected, by content or by budget
      expect(reader.stats.recordsSkipped).toBe(600);
      const overBudget = reader.stats.issues.filter((i) =>
        /the chunk's records expand to more than 1000000 XML nodes/.test(i.detail),
      );
      expect(overBudget.length).toBeGreaterThan(250);
    },
  );
});

describe('failures inside one record', () => {
  it('reject a size_t value of 0 bytes at the very end of a chunk, and read the next chunk', async () => {
    const build = (padChars: number) => {
      const w = new ChunkWriter();
      w.record(1, (x) => {
        x.instance(
          (t) =>
            t
              .raw(FRAGMENT_HEADER)
              .open('Event')
              .u8(0x02)
              .open('System')
              .u8(0x02)
              .leaf('EventID', 1, VT_SIZE_T)
              .u8(0x04)
              .u8(0x04)
              .u8(0x00),
          [
            { type: VT_ANSI, bytes: new Array(padChars).fill(0x70) },
            { type: VT_SIZE_T, bytes: [] },
          ],
        );
      });
      return w;
    };
    const probe = build(0).pos;
    const w = build(CHUNK - probe);
    expect(w.pos).toBe(CHUNK);
    const good = new ChunkWriter();
    good.record(2, (x) => x.instance(logonTemplate, logonValues(2, 'bob')));
    const reader = readEvtx(writeEvtx('size-t.evtx', [w.finish(), good.finish()]));
    const records = await readAllRecords(reader);
    expect(records.map((r) => r.eventData.TargetUserName)).toEqual(['bob']);
    expect(reader.stats.issues).toEqual([
      expect.objectContaining({
        chunk: 0,
        reason: 'record-bad-xml',
        detail: expect.stringMatching(/size_t value has 0 bytes/),
        recordsLost: 1,
      }),
    ]);
  });

  it('keep entity and data names that Object.prototype also has as plain names', async () => {
    const w = new ChunkWriter();
    w.record(1, (x) =>
      x.instance(
        (t) => {
          t.raw(FRAGMENT_HEADER).open('Event').u8(0x02).open('System').u8(0x02).leaf('EventID', 0, VT_UINT16).u8(0x04);
          t.open('EventData').u8(0x02);
          t.open('Data', true).attribute('Name').text('__proto__').u8(0x02).sub(1, VT_WSTRING).u8(0x04);
          t.open('Data', true).attribute('Name').text('constructor').u8(0x02).u8(0x09).name('constructor').u8(0x04);
          t.u8(0x04).u8(0x04).u8(0x00);
        },
        [{ type: VT_UINT16, bytes: le(4625, 2) }, wstring('mallory')],
      ),
    );
    const records = await readAllRecords(readEvtx(writeEvtx('proto.evtx', [w.finish()])));
    expect(records).toHaveLength(1);
    expect(Object.getPrototypeOf(records[0].eventData)).toBe(null);
    expect(Object.entries(records[0].eventData)).toEqual([
      ['__proto__', 'mallory'],
      ['constructor', '&constructor;'],
    ]);
  });
});
