/**
 * `readInputFiles`, the in-memory entry the web page reads dropped files through, against the file readers: the
 * same user-days and counts from the same bytes, each kind told apart by content and name.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { tableToIPC, type Table } from 'apache-arrow';
import { describe, expect, it } from 'vitest';
import {
  inputKind,
  readAll,
  readInputFiles,
  readRawEventFiles,
  readUserDayCsv,
  type InMemoryFile,
  type IngestStats,
} from '../src/index.js';
import { demoCsv, sharedRoot } from './support.js';

const RAW = path.join(sharedRoot, 'data', 'raw');
const EVTX = path.join(RAW, 'omerbenamram-evtx__Security_with_size_t.evtx');
const JSONL = path.join(RAW, 'derived', 'otrf__covenant_psremoting_grunt__host.security.jsonl');

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

  it('tells the kinds apart by content first, then by name', () => {
    const text = (s: string) => new TextEncoder().encode(s);
    expect(inputKind({ name: 'x.csv', bytes: text('Date,DstDomain,DstUser,SuccessfulLogons\n') })).toBe('user-day-csv');
    expect(inputKind({ name: 'x.csv', bytes: text('\uFEFFTimeGenerated,EventID,TargetUserName\n') })).toBe('events');
    expect(inputKind({ name: 'log.bin', bytes: readFileSync(EVTX).subarray(0, 4096) })).toBe('events');
    expect(inputKind({ name: 'a.jsonl', bytes: text('{}') })).toBe('events');
    expect(() => inputKind({ name: 'a.parquet', bytes: text('PAR1....') })).toThrow(
      'a.parquet: Parquet is not read by this build',
    );
    expect(() => inputKind({ name: 'a.txt', bytes: text('hello') })).toThrow('a.txt: unknown file type ".txt"');
  });

  it('names the file, line and problem of bad input', async () => {
    const bad: InMemoryFile = { name: 'bad.jsonl', bytes: new TextEncoder().encode('\nnot json\n') };
    await expect(drained([bad])).rejects.toThrow(/^bad\.jsonl:2: invalid JSON/);
    const latin1: InMemoryFile = {
      name: 'latin1.csv',
      bytes: Uint8Array.from([...new TextEncoder().encode('Date,SuccessfulLogons\n'), 0xe9, 0x0a]),
    };
    await expect(drained([latin1])).rejects.toThrow('latin1.csv:2: invalid UTF-8 byte sequence');
    await expect(drained([])).rejects.toThrow('no file was given');
  });
});
