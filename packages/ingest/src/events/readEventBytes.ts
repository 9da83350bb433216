/**
 * Raw event files held in memory (files a browser page was given) to user-days: the same formats, records,
 * locations, errors and counts as `readRawEventFiles` reading the same bytes from disk, with no Node built-ins.
 */
import { canonicalColumnName } from '../csv/columnNames.js';
import { csvRecordsOf } from '../csv/csvTextRecords.js';
import { IngestError } from '../errors.js';
import { readEvtxBytes } from '../evtx/logRecords.js';
import type { UserDaySource } from '../source.js';
import { readLines } from '../textLines.js';
import {
  userDaysFromRecords,
  type EventAggregationOptions,
  type EventStreamItem,
  type LocatedRecord,
} from './aggregate.js';
import { eventFileFormat } from './eventFormats.js';
import { evtxStreamItems } from './evtxStreamItems.js';
import { splitJsonArray } from './jsonArray.js';

/** A file's name (as errors name it) and its bytes. */
export interface InMemoryFile {
  readonly name: string;
  readonly bytes: Uint8Array;
}

/**
 * The bytes as UTF-8 text (a leading BOM dropped), strictly: invalid UTF-8 is an `IngestError` naming the line
 * of the first bad byte, as the file readers report it.
 */
export function decodeUtf8(file: InMemoryFile): string {
  try {
    return new TextDecoder('utf-8', { fatal: true }).decode(file.bytes);
  } catch {
    const replaced = new TextDecoder('utf-8').decode(file.bytes);
    const before = replaced.slice(0, Math.max(0, replaced.indexOf('\uFFFD')));
    const line = before.split('\n').length;
    throw new IngestError(file.name, line, null, 'invalid UTF-8 byte sequence (save the file as UTF-8)');
  }
}

async function* once<T>(value: T): AsyncGenerator<T> {
  yield value;
}

/** The records of an in-memory CSV event file, through the columnar reader's tokenizer (as files on disk). */
async function* csvEventRecords(file: InMemoryFile): AsyncGenerator<LocatedRecord> {
  let names: string[] | null = null;
  for await (const { fields, line } of csvRecordsOf([file.bytes], file.name)) {
    if (names === null) {
      names = fields.map(canonicalColumnName);
      continue;
    }
    if (fields.length !== names.length) {
      throw new IngestError(file.name, line, null, `row has ${fields.length} fields, the header has ${names.length}`);
    }
    const record: Record<string, unknown> = {};
    names.forEach((name, k) => {
      record[name] = fields[k];
    });
    yield { record, where: { file: file.name, row: line } };
  }
}

async function* ndjsonEventRecords(file: InMemoryFile): AsyncGenerator<LocatedRecord> {
  for await (const { text, line } of readLines(once(decodeUtf8(file)), file.name)) {
    if (text.trim() === '') continue;
    let value: unknown;
    try {
      value = JSON.parse(text);
    } catch (error) {
      throw new IngestError(file.name, line, null, `invalid JSON: ${(error as Error).message}`);
    }
    if (typeof value !== 'object' || value === null || Array.isArray(value)) {
      throw new IngestError(file.name, line, null, 'line is not a JSON object');
    }
    yield { record: value as Record<string, unknown>, where: { file: file.name, row: line } };
  }
}

async function* jsonArrayEventRecords(file: InMemoryFile): AsyncGenerator<LocatedRecord> {
  for await (const item of splitJsonArray(once(decodeUtf8(file)))) {
    if ('error' in item) throw new IngestError(file.name, item.index === 0 ? null : item.index, null, item.error);
    let value: unknown;
    try {
      value = JSON.parse(item.text);
    } catch (error) {
      throw new IngestError(file.name, item.index, null, `invalid JSON in array element: ${(error as Error).message}`);
    }
    yield { record: value as Record<string, unknown>, where: { file: file.name, row: item.index } };
  }
}

/** The flat event records of in-memory raw event files, one file after the other (formats by extension). */
export async function* readEventRecordsFromBytes(files: readonly InMemoryFile[]): AsyncGenerator<EventStreamItem> {
  for (const file of files) {
    const format = eventFileFormat(file.name);
    if (format === 'csv') yield* csvEventRecords(file);
    else if (format === 'ndjson') yield* ndjsonEventRecords(file);
    else if (format === 'evtx') yield* evtxStreamItems(readEvtxBytes(file.bytes, file.name), file.name);
    else yield* jsonArrayEventRecords(file);
  }
}

/** `readRawEventFiles` for files held in memory: their logon events aggregated to user-days as the notebook's KQL. */
export function readRawEventBytes(
  files: readonly InMemoryFile[],
  options: EventAggregationOptions = {},
): UserDaySource {
  return userDaysFromRecords(readEventRecordsFromBytes(files), options);
}
