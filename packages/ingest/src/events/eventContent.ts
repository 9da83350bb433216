/**
 * One input of the raw-event reader (a file, an archive member, or a file held in memory) as flat event records.
 * The format is decided from the content, never from the name: gzip and zip by their magic bytes, EVTX and Parquet
 * by their signatures, and text by its first character: `[` a JSON array, `{` JSON objects (JSON lines, or a single
 * object), `<` Windows XML events, anything else CSV. Archives are read in one pass (`./archive.ts`); every input
 * read or skipped is reported with what it held. No Node built-ins: where an input is (a file on disk, bytes in
 * memory) is the `InputHost`'s business, so the CLI and the web page decide formats with this one code.
 */
import type { CsvBlockOptions } from '../csv/csvBlocks.js';
import { canonicalColumnName } from '../csv/columnNames.js';
import { csvRecordsOf, type CsvRecord } from '../csv/csvTextRecords.js';
import { IngestError } from '../errors.js';
import { decodeUtf8Chunks, readLines } from '../textStream.js';
import { binaryFormatOf, MAGIC_BYTES } from '../magicBytes.js';
import type { EventStreamItem, LocatedRecord } from './aggregate.js';
import { gunzipBytes, unzipMembers, type ArchiveLimits } from './archive.js';
import { splitJsonArray } from './jsonArray.js';
import { MAX_JSON_VALUE_CHARS, splitJsonValues } from './jsonValues.js';
import { xmlEventToFlat } from './xml/xmlEvent.js';
import { XmlEventScanner, XmlInputError } from './xml/xmlScanner.js';

/** What one input held, as decided from its content. */
export type InputFormat = 'JSON array' | 'JSON objects' | 'XML events' | 'CSV' | 'EVTX' | 'Parquet';

/** What was read from one input (a file or an archive member), or why it was skipped. */
export interface InputReport {
  /** The file, or `archive.zip!folder/member.json` for a member. */
  readonly label: string;
  /** The format read, or null for a skipped input. */
  readonly format: InputFormat | null;
  /** Records read from it. */
  readonly records: number;
  /** Why an archive member was not read (not an event file, a nested archive). */
  readonly skipped?: string;
}

/** Options of the raw-event file reader. */
export interface EventInputOptions {
  /** Bounds on what `.gz` and `.zip` inputs may expand to. */
  readonly archiveLimits?: ArchiveLimits;
  /** Called once per input when it has been read (or skipped). */
  readonly onInput?: (report: InputReport) => void;
}

/**
 * Name endings of event files: what a folder, or an archive, contributes. Only for choosing files; the format of
 * each is decided from its content.
 */
export const EVENT_FILE_EXTENSIONS: readonly string[] = [
  '.csv',
  '.json',
  '.jsonl',
  '.ndjson',
  '.xml',
  '.evtx',
  '.parquet',
  '.gz',
  '.zip',
];

/**
 * Where a whole input lives (`W`: a path on disk in Node, the bytes in a browser) and how the formats that are not
 * read as a stream of text are read from it. An input the reader was handed whole has `whole`; an archive member
 * has only its expanded `bytes`.
 */
export interface InputHost<W> {
  /** Options of the CSV tokenizer (Node's adds its native UTF-8 check). */
  readonly csvOptions: CsvBlockOptions;
  /** A whole input's bytes from its start (CSV is tokenized from the bytes, not from the peeked text). */
  wholeBytes(whole: W): AsyncIterable<Uint8Array> | Iterable<Uint8Array>;
  /** The records of an EVTX log, with its losses: EVTX is read by position, chunk by chunk. */
  evtx(label: string, whole: W | null, bytes: AsyncIterable<Uint8Array>): AsyncIterable<EventStreamItem>;
  /** The rows of a Parquet file of events: its footer, at the end, says where everything is. */
  parquet(label: string, whole: W | null, bytes: AsyncIterable<Uint8Array>): AsyncIterable<LocatedRecord>;
}

/** The extension of the last path segment, lower case with its dot (`.evtx`), or `""` (as `path.extname`). */
export function fileExtension(file: string): string {
  const name = file.slice(Math.max(file.lastIndexOf('/'), file.lastIndexOf('\\')) + 1);
  const dot = name.lastIndexOf('.');
  return dot <= 0 ? '' : name.slice(dot).toLowerCase();
}

/** All the bytes of a stream in one array (an archive member read by position; its size is bounded by the limits). */
export async function collectBytes(bytes: AsyncIterable<Uint8Array>): Promise<Uint8Array> {
  const parts: Uint8Array[] = [];
  let length = 0;
  for await (const part of bytes) {
    parts.push(part);
    length += part.length;
  }
  const all = new Uint8Array(length);
  let at = 0;
  for (const part of parts) {
    all.set(part, at);
    at += part.length;
  }
  return all;
}

/**
 * The first `n` bytes of a byte stream (fewer if it is shorter) and the whole stream again; `close` ends the
 * underlying stream when another reader takes over the file.
 */
async function peekBytes(
  input: AsyncIterable<Uint8Array>,
  n: number,
): Promise<{ head: Uint8Array; bytes: AsyncIterable<Uint8Array>; close: () => Promise<unknown> }> {
  const iterator = input[Symbol.asyncIterator]();
  const seen: Uint8Array[] = [];
  let length = 0;
  let done = false;
  while (length < n) {
    const next = await iterator.next();
    if (next.done === true) {
      done = true;
      break;
    }
    seen.push(next.value);
    length += next.value.length;
  }
  const head = new Uint8Array(Math.min(n, length));
  let at = 0;
  for (const part of seen) {
    if (at >= head.length) break;
    head.set(part.subarray(0, head.length - at), at);
    at += Math.min(part.length, head.length - at);
  }
  return { head, bytes: replay(seen, done, iterator), close: async () => iterator.return?.() };
}

/** The chunks already `seen` of a stream, then the rest of it (unless it was `done`). */
async function* replay<T>(seen: readonly T[], done: boolean, iterator: AsyncIterator<T>): AsyncGenerator<T> {
  try {
    yield* seen;
    if (done) return;
    for (let next = await iterator.next(); next.done !== true; next = await iterator.next()) yield next.value;
  } finally {
    // A reader that stops early (an error, a consumer that quits) ends the stream underneath too.
    await iterator.return?.();
  }
}

/** The first non-blank character of a text stream (null when there is none) and the whole stream again. */
async function peekText(
  input: AsyncIterable<string>,
  label: string,
): Promise<{ first: string | null; chunks: AsyncIterable<string> }> {
  const iterator = input[Symbol.asyncIterator]();
  const seen: string[] = [];
  let first: string | null = null;
  let done = false;
  let blank = 0;
  while (first === null) {
    const next = await iterator.next();
    if (next.done === true) {
      done = true;
      break;
    }
    const m = /\S/.exec(next.value);
    if (m !== null) first = m[0];
    // Only blank text so far: keep none of it beyond a bound (a file of spaces is not worth holding).
    blank += next.value.length;
    if (first === null && blank > MAX_JSON_VALUE_CHARS)
      throw new IngestError(label, null, null, `${blank} characters of blank text and no events`);
    seen.push(next.value);
  }
  return { first, chunks: replay(seen, done, iterator) };
}

function asObject(value: unknown): Record<string, unknown> | null {
  return typeof value === 'object' && value !== null && !Array.isArray(value)
    ? (value as Record<string, unknown>)
    : null;
}

/** Wrappers a single exported object may hold its events in: Splunk's REST `results`, an Elasticsearch `hits.hits`. */
function wrappedRecords(value: Record<string, unknown>): unknown[] | null {
  if (Array.isArray(value.results)) return value.results;
  const hits = asObject(value.hits);
  if (hits !== null && Array.isArray(hits.hits)) return hits.hits;
  return null;
}

/** A parsed JSON object as the records it stands for: itself, or the events a wrapper object holds. */
function* objectRecords(value: unknown, label: string, line: number): Generator<LocatedRecord> {
  const record = asObject(value);
  if (record === null) throw new IngestError(label, line, null, 'not a JSON object');
  const inner = wrappedRecords(record);
  if (inner === null) {
    yield { record, where: { file: label, row: line } };
    return;
  }
  // One object wrapping many: located by its index in the wrapped array.
  const where = `${label}:${line}`;
  for (let k = 0; k < inner.length; k++) {
    const element = asObject(inner[k]);
    if (element === null) throw new IngestError(where, k + 1, null, 'wrapped event is not a JSON object');
    yield { record: element, where: { file: where, row: k + 1 } };
  }
}

function parseJson(text: string, label: string, line: number): unknown {
  try {
    return JSON.parse(text);
  } catch (error) {
    throw new IngestError(label, line, null, `invalid JSON: ${(error as Error).message}`);
  }
}

/**
 * Text starting with `{`: JSON lines when its first line is a whole object (then every line is parsed on its
 * own, so a broken line is named exactly), else one object or several written over many lines.
 */
async function* jsonObjectRecords(label: string, chunks: AsyncIterable<string>): AsyncGenerator<LocatedRecord> {
  const lines = readLines(chunks, label)[Symbol.asyncIterator]();
  const firstLines: string[] = [];
  let jsonLines = false;
  for (let next = await lines.next(); next.done !== true; next = await lines.next()) {
    firstLines.push(next.value.text);
    if (next.value.text.trim() === '') continue;
    try {
      jsonLines = asObject(JSON.parse(next.value.text)) !== null;
    } catch {
      jsonLines = false;
    }
    break;
  }
  async function* allLines(): AsyncGenerator<{ text: string; line: number }> {
    let line = 0;
    for (const text of firstLines) yield { text, line: ++line };
    for (let next = await lines.next(); next.done !== true; next = await lines.next()) yield next.value;
  }
  if (jsonLines) {
    for await (const { text, line } of allLines()) {
      if (text.trim() !== '') yield* objectRecords(parseJson(text, label, line), label, line);
    }
    return;
  }
  async function* rejoined(): AsyncGenerator<string> {
    for await (const { text } of allLines()) yield text + '\n';
  }
  for await (const piece of splitJsonValues(rejoined())) {
    if ('error' in piece) throw new IngestError(label, piece.line, null, piece.error);
    yield* objectRecords(parseJson(piece.text, label, piece.line), label, piece.line);
  }
}

async function* jsonArrayRecords(label: string, chunks: AsyncIterable<string>): AsyncGenerator<LocatedRecord> {
  for await (const item of splitJsonArray(chunks)) {
    if ('error' in item) throw new IngestError(label, item.index === 0 ? null : item.index, null, item.error);
    let value: unknown;
    try {
      value = JSON.parse(item.text);
    } catch (error) {
      throw new IngestError(label, item.index, null, `invalid JSON in array element: ${(error as Error).message}`);
    }
    yield { record: value as Record<string, unknown>, where: { file: label, row: item.index } };
  }
}

/** Root elements that are not a Windows event export, each with what to do instead. */
function refuseRoot(label: string, name: string, line: number): never {
  if (name === 'Objects') {
    throw new IngestError(
      label,
      line,
      null,
      'a PowerShell ConvertTo-Xml file: its times are local without a zone and its EventData unnamed, so it cannot be read exactly; export with `Get-WinEvent ... | ForEach-Object { $_.ToXml() }` or `wevtutil qe Security /f:xml` instead',
    );
  }
  if (name === 'results') {
    throw new IngestError(
      label,
      line,
      null,
      "a Splunk XML export, whose events are escaped text: export as CSV or JSON instead (each row's _raw holds the event's XML)",
    );
  }
  throw new IngestError(
    label,
    line,
    null,
    `<${name}> is not a Windows event export (expected <Events> or <Event> elements)`,
  );
}

async function* xmlRecords(label: string, chunks: AsyncIterable<string>): AsyncGenerator<LocatedRecord> {
  const scanner = new XmlEventScanner((name, line) => {
    if (name !== 'Events') refuseRoot(label, name, line);
  });
  try {
    for await (const chunk of chunks) {
      for (const { event, line } of scanner.push(chunk))
        yield { record: xmlEventToFlat(event), where: { file: label, row: line } };
    }
    scanner.end();
  } catch (error) {
    if (error instanceof XmlInputError) throw new IngestError(label, error.line, null, `bad XML: ${error.problem}`);
    throw error;
  }
}

/** CSV records with the header's column names; a ragged row is an `IngestError` naming its line. */
async function* csvRecords(label: string, rows: AsyncIterable<CsvRecord>): AsyncGenerator<LocatedRecord> {
  let names: string[] | null = null;
  for await (const { fields, line } of rows) {
    if (names === null) {
      names = fields.map(canonicalColumnName);
      continue;
    }
    if (fields.length !== names.length) {
      throw new IngestError(label, line, null, `row has ${fields.length} fields, the header has ${names.length}`);
    }
    const record: Record<string, unknown> = {};
    names.forEach((name, k) => {
      record[name] = fields[k];
    });
    yield { record, where: { file: label, row: line } };
  }
}

async function* utf8Chunks(chunks: AsyncIterable<string>): AsyncGenerator<Uint8Array> {
  const encoder = new TextEncoder();
  for await (const chunk of chunks) yield encoder.encode(chunk);
}

interface Reading {
  format: InputFormat | null;
  records: number;
}

/** The records of one input's bytes; `whole` is set when the input was handed over whole (not an archive member). */
async function* inputRecords<W>(
  label: string,
  input: AsyncIterable<Uint8Array>,
  whole: W | null,
  host: InputHost<W>,
  options: EventInputOptions,
  reading: Reading,
): AsyncGenerator<EventStreamItem> {
  const { head, bytes, close } = await peekBytes(input, MAGIC_BYTES);
  const format = binaryFormatOf(head);
  if (format === 'gzip') {
    yield* inputRecords(label, gunzipBytes(bytes, label, options.archiveLimits), null, host, options, reading);
    return;
  }
  if (format === 'zip') {
    yield* zipRecords(label, bytes, host, options);
    reading.format = null;
    return;
  }
  if (format === 'evtx') {
    reading.format = 'EVTX';
    if (whole !== null) await close();
    yield* host.evtx(label, whole, bytes);
    return;
  }
  if (fileExtension(label) === '.evtx') {
    throw new IngestError(
      label,
      null,
      null,
      'byte 0: not an EVTX event log: it does not start with the signature "ElfFile\\0"',
    );
  }
  if (format === 'parquet') {
    reading.format = 'Parquet';
    if (whole !== null) await close();
    yield* host.parquet(label, whole, bytes);
    return;
  }
  const { first, chunks } = await peekText(decodeUtf8Chunks(bytes, label), label);
  if (first === null) throw new IngestError(label, null, null, 'empty: no events');
  if (first === '[') {
    reading.format = 'JSON array';
    yield* jsonArrayRecords(label, chunks);
  } else if (first === '{') {
    reading.format = 'JSON objects';
    yield* jsonObjectRecords(label, chunks);
  } else if (first === '<') {
    reading.format = 'XML events';
    yield* xmlRecords(label, chunks);
  } else {
    reading.format = 'CSV';
    // A whole input is tokenized from its bytes; a member from its text again, through the same tokenizer.
    if (whole !== null) await close();
    const rows = csvRecordsOf(whole !== null ? host.wholeBytes(whole) : utf8Chunks(chunks), label, host.csvOptions);
    yield* csvRecords(label, rows);
  }
}

/** Every member of a zip that holds events, each reported with what it held. */
async function* zipRecords<W>(
  label: string,
  bytes: AsyncIterable<Uint8Array>,
  host: InputHost<W>,
  options: EventInputOptions,
): AsyncGenerator<EventStreamItem> {
  for await (const member of unzipMembers(bytes, label, options.archiveLimits)) {
    const memberLabel = `${label}!${member.name}`;
    const ext = fileExtension(member.name);
    const base = member.name.slice(member.name.lastIndexOf('/') + 1);
    let skipped: string | null = null;
    if (ext === '.zip') skipped = 'a zip inside the zip is not opened (unpack it first)';
    else if (base.startsWith('.') || member.name.startsWith('__MACOSX/')) skipped = 'hidden or macOS metadata file';
    else if (!EVENT_FILE_EXTENSIONS.includes(ext)) skipped = `not an event file (${EVENT_FILE_EXTENSIONS.join(', ')})`;
    if (skipped !== null) {
      options.onInput?.({ label: memberLabel, format: null, records: 0, skipped });
      continue;
    }
    yield* inputItems(memberLabel, member.bytes, null, host, options);
  }
}

/**
 * The flat records of one input of any supported format, and of every event member of an archive, each input
 * reported (`options.onInput`) once read. `whole` is the host's handle on the input when it was handed over whole.
 */
export async function* inputItems<W>(
  label: string,
  bytes: AsyncIterable<Uint8Array>,
  whole: W | null,
  host: InputHost<W>,
  options: EventInputOptions,
): AsyncGenerator<EventStreamItem> {
  const reading: Reading = { format: null, records: 0 };
  for await (const item of inputRecords(label, bytes, whole, host, options, reading)) {
    if (!('lost' in item)) reading.records++;
    yield item;
  }
  if (reading.format !== null) options.onInput?.({ label, format: reading.format, records: reading.records });
}
