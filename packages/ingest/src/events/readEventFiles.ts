import { readdir, stat } from 'node:fs/promises';
import { extname, join } from 'node:path';
import { readCsvRecords } from '../csv/csvRecords.js';
import { canonicalColumnName } from '../csv/columnNames.js';
import { IngestError } from '../errors.js';
import type { UserDaySource } from '../source.js';
import { readLines, readUtf8Chunks } from '../textStream.js';
import { userDaysFromRecords, type EventAggregationOptions, type EventStreamItem, type LocatedRecord } from './aggregate.js';
import { evtxEventRecords } from './evtxEventRecords.js';
import { splitJsonArray } from './jsonArray.js';

/** File formats of raw event files. */
export type EventFileFormat = 'csv' | 'json' | 'ndjson' | 'evtx';

/**
 * File name extensions (lower case, with the dot) of raw event files and the format each is read as: `.json` is
 * one JSON array, `.ndjson` / `.jsonl` one object per line, `.evtx` a binary Windows event log.
 */
export const EVENT_FILE_FORMATS: Readonly<Record<string, EventFileFormat>> = {
  '.csv': 'csv',
  '.json': 'json',
  '.ndjson': 'ndjson',
  '.jsonl': 'ndjson',
  '.evtx': 'evtx',
};

/** The format of a raw event file, from its extension (any letter case); an unknown one is an `IngestError`. */
export function eventFileFormat(file: string): EventFileFormat {
  const ext = extname(file).toLowerCase();
  const format = EVENT_FILE_FORMATS[ext];
  if (format === undefined) {
    throw new IngestError(file, null, null, `unknown event file type "${ext}" (use ${Object.keys(EVENT_FILE_FORMATS).join(', ')})`);
  }
  return format;
}

/**
 * The raw event files that `paths` name: a file as given, a folder as the files directly in it with a known extension
 * (`EVENT_FILE_FORMATS`), sorted by name so that the order and the result are stable. A missing path or a folder
 * without event files is an `IngestError`.
 */
export async function listEventFiles(paths: readonly string[]): Promise<string[]> {
  const files: string[] = [];
  for (const path of paths) {
    const info = await stat(path).catch(() => {
      throw new IngestError(path, null, null, 'no such file or folder');
    });
    if (!info.isDirectory()) {
      files.push(path);
      continue;
    }
    const inFolder = (await readdir(path, { withFileTypes: true }))
      .filter((entry) => entry.isFile() && extname(entry.name).toLowerCase() in EVENT_FILE_FORMATS)
      .map((entry) => entry.name)
      .sort();
    if (inFolder.length === 0) {
      throw new IngestError(path, null, null, `has no event files (${Object.keys(EVENT_FILE_FORMATS).join(', ')})`);
    }
    files.push(...inFolder.map((name) => join(path, name)));
  }
  return files;
}

function asObject(value: unknown): Record<string, unknown> | null {
  return typeof value === 'object' && value !== null && !Array.isArray(value) ? (value as Record<string, unknown>) : null;
}

async function* csvEventRecords(file: string): AsyncGenerator<LocatedRecord> {
  let names: string[] | null = null;
  for await (const { fields, line } of readCsvRecords(file)) {
    if (names === null) {
      names = fields.map(canonicalColumnName);
      continue;
    }
    if (fields.length !== names.length) {
      throw new IngestError(file, line, null, `row has ${fields.length} fields, the header has ${names.length}`);
    }
    const record: Record<string, unknown> = {};
    names.forEach((name, k) => {
      record[name] = fields[k];
    });
    yield { record, where: { file, row: line } };
  }
}

async function* ndjsonEventRecords(file: string): AsyncGenerator<LocatedRecord> {
  for await (const { text, line } of readLines(readUtf8Chunks(file), file)) {
    if (text.trim() === '') continue;
    let value: unknown;
    try {
      value = JSON.parse(text);
    } catch (error) {
      throw new IngestError(file, line, null, `invalid JSON: ${(error as Error).message}`);
    }
    const record = asObject(value);
    if (record === null) throw new IngestError(file, line, null, 'line is not a JSON object');
    yield { record, where: { file, row: line } };
  }
}

async function* jsonArrayEventRecords(file: string): AsyncGenerator<LocatedRecord> {
  for await (const item of splitJsonArray(readUtf8Chunks(file))) {
    if ('error' in item) throw new IngestError(file, item.index === 0 ? null : item.index, null, item.error);
    let value: unknown;
    try {
      value = JSON.parse(item.text);
    } catch (error) {
      throw new IngestError(file, item.index, null, `invalid JSON in array element: ${(error as Error).message}`);
    }
    yield { record: value as Record<string, unknown>, where: { file, row: item.index } };
  }
}

/**
 * Streams the flat event records of raw event files, one file after the other. `where.row` is the line number
 * for CSV (header = 1) and NDJSON, the 1-based element index for a JSON array, and the EventRecordID for EVTX.
 * Unreadable structure (bad JSON, ragged CSV, invalid UTF-8, a file that is not EVTX) throws an `IngestError`:
 * the rest of such a file cannot be trusted. An EVTX chunk or record that fails its checks is skipped and
 * reported as `LostRecords`, as the other chunks carry their own checksums.
 */
export async function* readEventRecords(files: readonly string[]): AsyncGenerator<EventStreamItem> {
  for (const file of files) {
    const format = eventFileFormat(file);
    if (format === 'csv') yield* csvEventRecords(file);
    else if (format === 'ndjson') yield* ndjsonEventRecords(file);
    else if (format === 'evtx') yield* evtxEventRecords(file);
    else yield* jsonArrayEventRecords(file);
  }
}

/**
 * Reads raw Windows logon event files (CSV, JSON array, NDJSON or binary `.evtx`; Sentinel `SecurityEvent`
 * exports, python-evtx flattening, NXLog/Logstash JSON, Windows event logs) and aggregates them to user-days
 * exactly as the notebook's KQL. See `userDaysFromRecords` for the counting: records lost in a damaged `.evtx`
 * are in `stats.rowsRejected`, each loss located in `stats.firstErrors` (file, chunk, byte offset).
 */
export function readRawEventFiles(files: readonly string[], options: EventAggregationOptions = {}): UserDaySource {
  return userDaysFromRecords(readEventRecords(files), options);
}
