/**
 * `.evtx` files in the raw-event source (`readRawEventFiles`): the same user-days as the README and as the JSON
 * lines of the same log, merged with other formats, and damaged copies whose lost records are counted and located.
 */
import { copyFileSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { IngestError, readAll, readRawEventFiles, toUserDays, totalFiltered, type UserDay } from '../src/index.js';
import {
  COVENANT_SECURITY_LINES,
  derived,
  expectedUserDays,
  README_COLUMN,
  SAMPLE_EVTX_RECORDS,
  sampleEvtx,
} from './rawReadme.js';

const dir = mkdtempSync(path.join(tmpdir(), 'isoforest-evtx-source-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** EVTX layout: a 4 KiB file header block, then 64 KiB chunks whose header holds the first and last record numbers. */
const HEADER_BLOCK = 4096;
const CHUNK = 65536;

/** First and last EventRecordID of chunk `index` of the untouched sample, read from the chunk header bytes. */
function chunkRecordRange(index: number): [number, number] {
  const dv = new DataView(new Uint8Array(readFileSync(sampleEvtx)).buffer);
  const at = HEADER_BLOCK + index * CHUNK;
  return [dv.getUint32(at + 8, true), dv.getUint32(at + 16, true)];
}

/** A copy of the sample in the temp dir with one byte of it flipped. */
function flippedCopy(name: string, offset: number): string {
  const bytes = new Uint8Array(readFileSync(sampleEvtx));
  bytes[offset]! ^= 0xff;
  const file = path.join(dir, name);
  writeFileSync(file, bytes);
  return file;
}

/** The sample's JSON lines without the records whose EventRecordID is in [first, last], as a temp .ndjson. */
function jsonLinesWithout(first: number, last: number): string {
  const kept = readFileSync(derived.Security_with_size_t, 'utf8')
    .trim()
    .split('\n')
    .filter((line) => {
      const id = Number((JSON.parse(line) as { EventRecordID: string }).EventRecordID);
      return id < first || id > last;
    });
  const file = path.join(dir, `without-${first}-${last}.ndjson`);
  writeFileSync(file, kept.join('\n') + '\n');
  return file;
}

/** `text` as a literal inside a regular expression. */
function literal(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

async function userDays(files: string[]): Promise<UserDay[]> {
  return toUserDays(await readAll(readRawEventFiles(files)));
}

describe('readRawEventFiles on .evtx', () => {
  const readme = expectedUserDays();

  it("gives the README's LogonType 3 user-days, and exactly what the log's JSON lines give", async () => {
    const source = readRawEventFiles([sampleEvtx]);
    const rows = toUserDays(await readAll(source));
    const want = readme.filter((e) => e.file === 'Security_with_size_t');
    expect(want).toHaveLength(4);
    expect(rows.map((r) => [r.Date, r.DstDomain, r.DstUser])).toEqual(want.map((e) => [e.date, e.domain, e.user]));
    rows.forEach((row, i) => {
      for (const [name, [counted]] of Object.entries(want[i]!.numbers))
        expect(row[README_COLUMN[name]!], `${row.DstUser} ${name}`).toBe(counted);
    });
    expect(rows).toEqual(await userDays([derived.Security_with_size_t]));
    expect(source.stats).toMatchObject({ rowsRead: SAMPLE_EVTX_RECORDS, rowsRejected: 0, firstErrors: [], rowsOut: 4 });
    expect(source.stats.rowsRead).toBe(source.stats.rowsKept + totalFiltered(source.stats));
  });

  it('merges a folder holding a .evtx and a .ndjson', async () => {
    const folder = mkdtempSync(path.join(dir, 'mixed-'));
    copyFileSync(sampleEvtx, path.join(folder, 'workstation.evtx'));
    copyFileSync(derived.covenant_psremoting_grunt, path.join(folder, 'lab.ndjson'));
    const files = readdirSync(folder)
      .sort()
      .map((name) => path.join(folder, name));
    const source = readRawEventFiles(files);
    const rows = toUserDays(await readAll(source));
    // README rows of both logs, in the source's order (Date, DstDomain, DstUser).
    const want = [...readme].sort(
      (a, b) => a.date - b.date || a.domain.localeCompare(b.domain) || a.user.localeCompare(b.user),
    );
    expect(rows.map((r) => [r.Date, r.DstDomain, r.DstUser, r.AttemptedLogons])).toEqual(
      want.map((e) => [e.date, e.domain, e.user, e.numbers.Attempted![0]]),
    );
    expect(source.stats.rowsRead).toBe(SAMPLE_EVTX_RECORDS + COVENANT_SECURITY_LINES);
    expect(source.stats.rowsRejected).toBe(0);
  });

  it('aggregates the other chunks of a damaged copy and reports the skipped chunk with its records', async () => {
    const [first, last] = chunkRecordRange(2);
    const file = flippedCopy('records-damaged.evtx', HEADER_BLOCK + 2 * CHUNK + 5000);
    const source = readRawEventFiles([file]);
    const rows = toUserDays(await readAll(source));
    // The truth: the same log's JSON lines without the records of chunk 2.
    expect(rows).toEqual(await userDays([jsonLinesWithout(first, last)]));
    const lost = last - first + 1;
    expect(lost).toBeGreaterThan(0);
    expect(source.stats.rowsRead).toBe(SAMPLE_EVTX_RECORDS);
    expect(source.stats.rowsRejected).toBe(lost);
    expect(source.stats.rowsRead).toBe(source.stats.rowsKept + source.stats.rowsRejected + totalFiltered(source.stats));
    expect(source.stats.firstErrors).toHaveLength(1);
    expect(source.stats.firstErrors[0]).toMatch(
      new RegExp(
        `^${literal(file)}: chunk 2 \\(byte ${HEADER_BLOCK + 2 * CHUNK + 512}\\): chunk-records-checksum: records CRC32 is 0x[0-9a-f]+, chunk header says 0x[0-9a-f]+; ${lost} records lost$`,
      ),
    );
  });

  it('counts the records of a chunk whose header is damaged by the record numbers no chunk holds', async () => {
    const file = flippedCopy('header-damaged.evtx', HEADER_BLOCK + CHUNK + 300);
    const source = readRawEventFiles([file]);
    const [first, last] = chunkRecordRange(1);
    expect(toUserDays(await readAll(source))).toEqual(await userDays([jsonLinesWithout(first, last)]));
    expect(source.stats.rowsRejected).toBe(last - first + 1);
    expect(source.stats.firstErrors).toHaveLength(2);
    expect(source.stats.firstErrors[0]).toMatch(
      new RegExp(
        `^${literal(file)}: chunk 1 \\(byte ${HEADER_BLOCK + CHUNK + 124}\\): chunk-header-checksum: .*among the missing record numbers\\)`,
      ),
    );
    expect(source.stats.firstErrors[1]).toMatch(
      new RegExp(
        `: records-missing: records ${first}\\.\\.${last} are in no chunk that could be read; ${last - first + 1} records lost$`,
      ),
    );
  });

  it('refuses a .evtx that is not an event log with a one-line IngestError naming the file', async () => {
    const file = path.join(dir, 'not-a-log.evtx');
    writeFileSync(file, '{"EventID": 4624}\n');
    const failure = readAll(readRawEventFiles([file]));
    await expect(failure).rejects.toBeInstanceOf(IngestError);
    await expect(failure).rejects.toMatchObject({ file, row: null });
    await expect(failure).rejects.toThrow(/^[^\n]*: byte 0: not an EVTX event log[^\n]*$/);
  });
});
