/**
 * `readInputFiles`, the in-memory entry the web page reads dropped files through, against the file readers the CLI
 * uses: the same user-days and counts from the same bytes, each kind told apart by content alone.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { gzipSync, strToU8, zipSync } from 'fflate';
import { tableToIPC, type Table } from 'apache-arrow';
import type * as Hyparquet from 'hyparquet';
import { describe, expect, it, vi } from 'vitest';
import {
  inputKind,
  readAll,
  readInputFiles,
  readRawEventFiles,
  readUserDayCsv,
  readUserDayParquet,
  type InMemoryFile,
  type IngestStats,
  type InputReport,
} from '../src/index.js';
import { eventViewerXml, evtxRecords, jsonLines, winlogbeatDoc } from './exportSamples.js';
import { demoCsv, demoParquet, securityEventsParquet, sharedRoot, tempFile } from './support.js';

// Whole files are read and archives expanded: generous limits, as the suite may share two cores with another copy.
vi.setConfig({ testTimeout: 120_000 });

/** Counts the Parquet footers read, so that a test can see each file's footer read once. */
const footerReads = vi.hoisted(() => ({ count: 0 }));
vi.mock('hyparquet', async (importOriginal) => {
  const hyparquet = await importOriginal<typeof Hyparquet>();
  return {
    ...hyparquet,
    parquetMetadataAsync: (...args: Parameters<typeof hyparquet.parquetMetadataAsync>) => {
      footerReads.count++;
      return hyparquet.parquetMetadataAsync(...args);
    },
  };
});

const RAW = path.join(sharedRoot, 'data', 'raw');
const EVTX = path.join(RAW, 'omerbenamram-evtx__Security_with_size_t.evtx');
const JSONL = path.join(RAW, 'derived', 'otrf__covenant_psremoting_grunt__host.security.jsonl');
const ZIP = path.join(RAW, 'otrf__covenant_psremoting_grunt__host.zip');

const inMemory = (file: string, name = path.basename(file)): InMemoryFile => ({
  name,
  bytes: new Uint8Array(readFileSync(file)),
});

/** Every cell of a table, row by row, so two tables compare with `toEqual`. */
const cells = (table: Table) => table.toArray().map((row) => row.toJSON());

async function drained(files: InMemoryFile[]): Promise<{ table: Table; stats: IngestStats }> {
  const source = readInputFiles(files);
  const table = await readAll(source);
  return { table, stats: source.stats };
}

describe('readInputFiles', () => {
  it('reads the aggregated demo CSV as readUserDayCsv reads the file', async () => {
    const fromFile = readUserDayCsv(demoCsv);
    const expected = await readAll(fromFile);
    const { table, stats } = await drained([inMemory(demoCsv)]);
    expect(table.numRows).toBe(expected.numRows);
    expect(cells(table)).toEqual(cells(expected));
    expect(stats).toEqual(fromFile.stats);
  });

  it('reads an .evtx log and a JSON lines export as readRawEventFiles reads the files', async () => {
    for (const file of [EVTX, JSONL]) {
      const fromFile = readRawEventFiles([file]);
      const expected = await readAll(fromFile);
      const { table, stats } = await drained([inMemory(file)]);
      expect(expected.numRows, file).toBeGreaterThan(0);
      expect(cells(table), file).toEqual(cells(expected));
      expect(stats, file).toEqual(fromFile.stats);
    }
  });

  it('aggregates several raw event files together, and appends user-day files to them', async () => {
    const fromFiles = await readAll(readRawEventFiles([EVTX, JSONL]));
    const demo = await readAll(readUserDayCsv(demoCsv));
    const { table, stats } = await drained([inMemory(EVTX), inMemory(demoCsv), inMemory(JSONL)]);
    expect(cells(table)).toEqual([...cells(demo), ...cells(fromFiles)]);
    expect(stats.rowsOut).toBe(demo.numRows + fromFiles.numRows);
  });

  it('reads Arrow IPC bytes (file and stream format) of the user-day schema', async () => {
    const demo = await readAll(readUserDayCsv(demoCsv));
    for (const format of ['file', 'stream'] as const) {
      const bytes = tableToIPC(demo, format);
      const { table } = await drained([{ name: 'days.bin', bytes }]);
      expect(cells(table), format).toEqual(cells(demo));
    }
  });

  it('reads every event format the CLI reads from files, told by content whatever the name, as readRawEventFiles', async () => {
    const records = await evtxRecords(EVTX);
    const winlogbeat = jsonLines(JSONL)
      .map((r) => JSON.stringify(winlogbeatDoc(r)))
      .join('\n');
    const samples: Record<string, Uint8Array> = {
      // Names that say nothing, or the wrong thing: the content decides.
      'security.xml': strToU8(eventViewerXml(records)),
      'winlogbeat.txt': strToU8(winlogbeat),
      'covenant.jsonl.gz': gzipSync(readFileSync(JSONL)),
      'logs.zip': zipSync({ 'a/security.xml': strToU8(eventViewerXml(records)), 'b/c.jsonl': readFileSync(JSONL) }),
      'otrf.zip': new Uint8Array(readFileSync(ZIP)),
      'log.bin': new Uint8Array(readFileSync(EVTX)),
    };
    for (const [name, bytes] of Object.entries(samples)) {
      const file = tempFile(name, bytes);
      const cliInputs: InputReport[] = [];
      const fromFile = readRawEventFiles([file], { onInput: (r) => cliInputs.push(r) });
      const expected = await readAll(fromFile);
      const pageInputs: InputReport[] = [];
      const source = readInputFiles([{ name: file, bytes }], { onInput: (r) => pageInputs.push(r) });
      const table = await readAll(source);
      expect(expected.numRows, name).toBeGreaterThan(0);
      expect(cells(table), name).toEqual(cells(expected));
      expect(source.stats, name).toEqual(fromFile.stats);
      expect(pageInputs, name).toEqual(cliInputs);
    }
  });

  it('reads user-day Parquet as readUserDayParquet, and event Parquet as readRawEventFiles', async () => {
    const days = await demoParquet();
    const dayBytes = new Uint8Array(readFileSync(days));
    await expect(inputKind({ name: 'x', bytes: dayBytes })).resolves.toBe('user-day-parquet');
    footerReads.count = 0;
    const dayTable = (await drained([{ name: 'x', bytes: dayBytes }])).table;
    // The footer read to tell the file's kind is the one it is read with.
    expect(footerReads.count).toBe(1);
    expect(cells(dayTable)).toEqual(cells(await readAll(readUserDayParquet(days))));

    const eventsFile = await securityEventsParquet();
    const eventBytes = new Uint8Array(readFileSync(eventsFile));
    await expect(inputKind({ name: 'y', bytes: eventBytes })).resolves.toBe('events');
    const fromFile = readRawEventFiles([eventsFile]);
    const expected = await readAll(fromFile);
    expect(expected.numRows).toBeGreaterThan(0);
    footerReads.count = 0;
    const { table, stats } = await drained([{ name: eventsFile, bytes: eventBytes }]);
    expect(footerReads.count).toBe(1);
    expect(cells(table)).toEqual(cells(expected));
    expect(stats).toEqual(fromFile.stats);
  });

  it('tells the kinds apart by content alone', async () => {
    const text = (s: string) => new TextEncoder().encode(s);
    await expect(inputKind({ name: 'x.json', bytes: text('Date,DstDomain,DstUser,SuccessfulLogons\n') })).resolves.toBe(
      'user-day-csv',
    );
    await expect(
      inputKind({ name: 'x.csv', bytes: text('\uFEFFTimeGenerated,EventID,TargetUserName\n') }),
    ).resolves.toBe('events');
    await expect(inputKind({ name: 'log.csv', bytes: readFileSync(EVTX).subarray(0, 4096) })).resolves.toBe('events');
    await expect(inputKind({ name: 'a.jsonl', bytes: text('{}') })).resolves.toBe('events');
    await expect(
      inputKind({ name: 'a.zip', bytes: zipSync({ 'a.csv': text('Date,SuccessfulLogons\n') }) }),
    ).resolves.toBe('events');
  });

  it('names the file, line and problem of bad input', async () => {
    const first = readFileSync(JSONL, 'utf8').split('\n', 1)[0]!;
    const bad: InMemoryFile = { name: 'bad.jsonl', bytes: new TextEncoder().encode(`${first}\n{not json\n`) };
    await expect(drained([bad])).rejects.toThrow(/^bad\.jsonl:2: invalid JSON/);
    const latin1: InMemoryFile = {
      name: 'latin1.csv',
      bytes: Uint8Array.from([...new TextEncoder().encode('Date,SuccessfulLogons\n'), 0xe9, 0x0a]),
    };
    await expect(drained([latin1])).rejects.toThrow('latin1.csv:2: invalid UTF-8 byte sequence');
    await expect(drained([])).rejects.toThrow('no file was given');
  });
});
