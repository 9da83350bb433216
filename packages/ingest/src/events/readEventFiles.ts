import { extname } from 'node:path';
import { readCsvRecords } from '../csv/csvRecords.js';
import { canonicalColumnName } from '../csv/columnNames.js';
import { IngestError } from '../errors.js';
import type { UserDaySource } from '../source.js';
import { readLines, readUtf8Chunks } from '../textStream.js';
import { userDaysFromRecords, type EventAggregationOptions, type LocatedRecord } from './aggregate.js';
import { splitJsonArray } from './jsonArray.js';

/** File formats of raw event files. */
export type EventFileFormat = 'csv' | 'json' | 'ndjson';

/** `.csv` -> csv, `.json` -> json (an array), `.ndjson` / `.jsonl` -> ndjson; anything else is an error. */
export function eventFileFormat(file: string): EventFileFormat {
  const ext = extname(file).toLowerCase();
  if (ext === '.csv') return 'csv';
  if (ext === '.json') return 'json';
  if (ext === '.ndjson' || ext === '.jsonl') return 'ndjson';
  throw new IngestError(file, null, null, `unknown event file type "${ext}" (use .csv, .json, .ndjson or .jsonl)`);
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
  for await (const { text, line } of readLines(readUtf8Chunks(file))) {
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
 * for CSV (header = 1) and NDJSON, and the 1-based element index for a JSON array. Unreadable structure (bad
 * JSON, ragged CSV, invalid UTF-8) throws an `IngestError`: the rest of such a file cannot be trusted.
 */
export async function* readEventRecords(files: readonly string[]): AsyncGenerator<LocatedRecord> {
  for (const file of files) {
    const format = eventFileFormat(file);
    if (format === 'csv') yield* csvEventRecords(file);
    else if (format === 'ndjson') yield* ndjsonEventRecords(file);
    else yield* jsonArrayEventRecords(file);
  }
}

/**
 * Reads raw Windows logon event files (CSV, JSON array or NDJSON; Sentinel `SecurityEvent` exports, python-evtx
 * flattening, NXLog/Logstash JSON) and aggregates them to user-days exactly as the notebook's KQL.
 * See `userDaysFromRecords` for the counting.
 */
export function readRawEventFiles(files: readonly string[], options: EventAggregationOptions = {}): UserDaySource {
  return userDaysFromRecords(readEventRecords(files), options);
}
