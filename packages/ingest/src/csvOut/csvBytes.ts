/**
 * Arrow record batches -> CSV bytes, without a string per row: each column gets a writer that reads its typed
 * arrays directly (no `Vector.get` per cell) and puts the cell's bytes into a large buffer. Numbers are formatted
 * as ASCII digits without a string (integers, and the shortest round-trip digits of other doubles from 1e-6 to
 * 1e15 by exact double-double arithmetic; the rest by `String`), dates and timestamps from their integers,
 * dictionary strings are escaped and encoded once per dictionary entry, the entries of numeric dictionaries (the
 * features' per-user statistics) formatted once each and copied, and plain UTF-8 strings are copied byte for byte when
 * they need no quoting (their bytes are decoded only when they do). Adjacent columns of one kind without nulls are
 * written as a run, one call per row for the run. Every fast path gives exactly the text of
 * `csvCells.ts` (`csvNumber`, `csvText`, `formatIsoDate`, `Date.prototype.toISOString`); the differential tests
 * hold them to it. Browser-safe: no Node built-ins.
 */
import { DataType, DateUnit, TimeUnit, type Data, type RecordBatch, type Schema, type Vector } from 'apache-arrow';
import { formatIsoDate } from '../timeFormats.js';
import { csvNumber, csvText } from './csvCells.js';
import { DOT, MAX_NUMBER_CELL, MINUS, putAscii, putDigits, putNumber, putPair } from './numberBytes.js';

const COMMA = 0x2c;
const QUOTE = 0x22;
const SPACE = 0x20;

/** Bytes a number, date or timestamp cell can take (see MAX_NUMBER_CELL; a timestamp is 24). */
const MAX_FIXED_CELL = MAX_NUMBER_CELL;
const MS_PER_DAY = 86_400_000;
/** 0000-01-01 and 10000-01-01 in days since the epoch: the years `YYYY` spells. */
const FIRST_DAY = -719_528;
const END_DAY = 2_932_897;

/** Appends bytes into chunks of about `chunkBytes`; `take()` hands over what is done. */
export class CsvByteBuffer {
  buf: Uint8Array;
  /** `buf` as a DataView, for the number writer's four-byte stores. */
  view: DataView;
  pos = 0;
  /**
   * Bytes `room` keeps free beyond what it is asked for. While rows are written: the most that a row's fixed-width
   * cells (numbers, dates, timestamps), commas and line end take, so that those are put without a check each; every
   * other cell asks for room, which leaves this much after it.
   */
  slack = 0;
  private done: Uint8Array[] = [];
  private doneBytes = 0;
  /** Buffers of chunks already written, handed back to be filled again (fresh memory costs page faults). */
  private readonly free: ArrayBuffer[] = [];

  constructor(private readonly chunkBytes: number) {
    this.buf = new Uint8Array(chunkBytes);
    this.view = new DataView(this.buf.buffer);
  }

  /** Makes room for `n` more bytes (and `slack`) in `buf` at `pos`. */
  room(n: number): void {
    const need = n + this.slack;
    if (this.pos + need <= this.buf.length) return;
    if (this.pos > 0) {
      this.done.push(this.buf.subarray(0, this.pos));
      this.doneBytes += this.pos;
    }
    const spare = need <= this.chunkBytes ? this.free.pop() : undefined;
    this.buf = spare !== undefined ? new Uint8Array(spare) : new Uint8Array(Math.max(this.chunkBytes, need));
    this.view = new DataView(this.buf.buffer);
    this.pos = 0;
  }

  /** Takes back the buffers of chunks `take()` handed out, once their bytes are written, to fill them again. */
  reuse(buffers: ArrayBuffer[]): void {
    for (const buffer of buffers) if (buffer.byteLength === this.chunkBytes) this.free.push(buffer);
  }

  /** Bytes appended and not yet taken. */
  get bytes(): number {
    return this.doneBytes + this.pos;
  }

  /** The chunks appended so far, in order; the buffer starts a new chunk. */
  take(): Uint8Array[] {
    this.room(this.buf.length + 1);
    const chunks = this.done;
    this.done = [];
    this.doneBytes = 0;
    return chunks;
  }

  byte(c: number): void {
    this.room(1);
    this.buf[this.pos++] = c;
  }

  /** Appends text that is already a CSV cell (escaped), as UTF-8. */
  text(cell: string): void {
    this.room(cell.length * 3);
    this.pos += encoder.encodeInto(cell, this.buf.subarray(this.pos)).written;
  }

  /** Appends bytes, copied. */
  copy(bytes: Uint8Array): void {
    this.room(bytes.length);
    if (bytes.length > 32) this.buf.set(bytes, this.pos);
    else for (let j = 0; j < bytes.length; j++) this.buf[this.pos + j] = bytes[j]!;
    this.pos += bytes.length;
  }
}

const encoder = new TextEncoder();
const decoder = new TextDecoder();

/**
 * The `YYYY-MM-DD` of the days last written, by day number modulo 64 (eight bytes `YYYY-MM-` and two `DD`): a
 * table's dates repeat (a hunt's window is a few weeks), and a copy costs less than the civil-date arithmetic.
 */
const DATE_SLOTS = 64;
const dateSlotDay = new Int32Array(DATE_SLOTS).fill(FIRST_DAY - 1);
const dateSlotBytes = new Uint32Array(DATE_SLOTS * 2);
const dateSlotTail = new Uint16Array(DATE_SLOTS);

/** `putDate` through the cache of recent days; `view` is `buf`'s. */
function putCachedDate(buf: Uint8Array, view: DataView, p: number, days: number): number {
  const slot = days & (DATE_SLOTS - 1);
  if (dateSlotDay[slot] !== days) {
    putDate(buf, p, days);
    dateSlotDay[slot] = days;
    dateSlotBytes[2 * slot] = view.getUint32(p, true);
    dateSlotBytes[2 * slot + 1] = view.getUint32(p + 4, true);
    dateSlotTail[slot] = view.getUint16(p + 8, true);
    return p + 10;
  }
  view.setUint32(p, dateSlotBytes[2 * slot]!, true);
  view.setUint32(p + 4, dateSlotBytes[2 * slot + 1]!, true);
  view.setUint16(p + 8, dateSlotTail[slot]!, true);
  return p + 10;
}

/** Puts `YYYY-MM-DD` of a day number (0000..9999) at `p` (Hinnant's days-to-civil); returns the end. */
function putDate(buf: Uint8Array, p: number, days: number): number {
  const z = days + 719_468;
  const era = Math.floor(z / 146_097);
  const doe = z - era * 146_097;
  const yoe = Math.floor((doe - Math.floor(doe / 1460) + Math.floor(doe / 36_524) - Math.floor(doe / 146_096)) / 365);
  const doy = doe - (365 * yoe + Math.floor(yoe / 4) - Math.floor(yoe / 100));
  const mp = Math.floor((5 * doy + 2) / 153);
  const day = doy - Math.floor((153 * mp + 2) / 5) + 1;
  const month = mp < 10 ? mp + 3 : mp - 9;
  const year = yoe + era * 400 + (month <= 2 ? 1 : 0);
  putDigits(buf, p + 4, year, 4);
  buf[p + 4] = MINUS;
  putDigits(buf, p + 7, month, 2);
  buf[p + 7] = MINUS;
  putDigits(buf, p + 10, day, 2);
  return p + 10;
}

/** Puts `new Date(ms).toISOString()` of an integer `ms` at `p` (`view` is `buf`'s); returns the end. */
function putTimestamp(buf: Uint8Array, view: DataView, p: number, ms: number): number {
  const days = Math.floor(ms / MS_PER_DAY);
  if (days < FIRST_DAY || days >= END_DAY) return putAscii(buf, p, new Date(ms).toISOString());
  // The time of day fits an int32: its fields by integer division, two digits per lookup.
  let rest = (ms - days * MS_PER_DAY) | 0;
  p = putCachedDate(buf, view, p, days);
  buf[p] = 0x54; // T
  const hours = (rest / 3_600_000) | 0;
  rest -= hours * 3_600_000;
  const minutes = (rest / 60_000) | 0;
  rest -= minutes * 60_000;
  const seconds = (rest / 1000) | 0;
  const millis = rest - seconds * 1000;
  const hundreds = (millis / 100) | 0;
  putPair(buf, p + 1, hours);
  buf[p + 3] = 0x3a; // :
  putPair(buf, p + 4, minutes);
  buf[p + 6] = 0x3a;
  putPair(buf, p + 7, seconds);
  buf[p + 9] = DOT;
  buf[p + 10] = 0x30 + hundreds;
  putPair(buf, p + 11, millis - hundreds * 100);
  buf[p + 13] = 0x5a; // Z
  return p + 14;
}

/** Writes the cell of one row of one column. */
type CellWriter = (row: number) => void;

/**
 * A column's writer; `fixed` when its cells take at most MAX_FIXED_CELL bytes and it puts them without asking for
 * room (the row's slack holds them).
 */
interface ColumnWriter {
  readonly write: CellWriter;
  readonly fixed: boolean;
}

/** A writer of `columns` adjacent columns (see {@link runWriter}): their cells, commas between them. */
interface RunWriter extends ColumnWriter {
  readonly columns: number;
}

/** Whether row `row` of `data` holds a value (Arrow validity bitmaps are not sliced: they start at `offset`). */
function validity(data: Data): ((row: number) => boolean) | null {
  const bitmap = data.nullBitmap;
  if (data.nullCount === 0 || bitmap === undefined || bitmap.length === 0) return null;
  const offset = data.offset;
  return (row) => ((bitmap[(offset + row) >> 3]! >> ((offset + row) & 7)) & 1) === 1;
}

/** 64-bit integers as two 32-bit halves, read without making a BigInt per cell (exact below 2^53). */
function int64Reader(values: BigInt64Array): (row: number) => number {
  const halves = int64Halves(values);
  return (row) => halves[2 * row + 1]! * 4_294_967_296 + (halves[2 * row]! >>> 0);
}

/** The 64-bit integers as pairs of 32-bit halves, low first. */
function int64Halves(values: BigInt64Array): Int32Array {
  return new Int32Array(values.buffer, values.byteOffset, values.length * 2);
}

/** The text of one value of `type` as `Vector.get` returns it: the path for types without a fast one. */
function genericCell(type: DataType, value: unknown): string {
  if (value === null || value === undefined) return '';
  if (DataType.isDate(type)) return formatIsoDate(value as number);
  if (DataType.isTimestamp(type)) return new Date(value as number).toISOString();
  if (typeof value === 'bigint') return String(value);
  if (typeof value === 'number') return csvNumber(value);
  if (typeof value === 'boolean') return value ? 'true' : 'false';
  return csvText(String(value));
}

/** The escaped UTF-8 bytes of each entry of a string dictionary, made once per dictionary. */
const dictionaryCells = new WeakMap<Vector, (Uint8Array | null)[]>();

function encodedDictionary(dictionary: Vector): (Uint8Array | null)[] {
  let cells = dictionaryCells.get(dictionary);
  if (cells === undefined) {
    cells = Array.from({ length: dictionary.length }, (_, j) => {
      const value = dictionary.get(j) as string | null;
      return value === null ? null : encoder.encode(csvText(value));
    });
    dictionaryCells.set(dictionary, cells);
  }
  return cells;
}

/** 0/1 per byte: bytes that force the slow path anywhere in a plain UTF-8 cell (controls, non-ASCII, `"`, `,`). */
const SPECIAL_BYTE = Uint8Array.from({ length: 256 }, (_, c) =>
  c < 0x20 || c >= 0x7f || c === QUOTE || c === COMMA ? 1 : 0,
);
/** ...and those that do as a cell's first byte: a formula start (`= + - @`) or a space (see `csvText`). */
const SPECIAL_FIRST = Uint8Array.from({ length: 256 }, (_, c) =>
  SPECIAL_BYTE[c] || c === 0x3d || c === 0x2b || c === MINUS || c === 0x40 || c === SPACE ? 1 : 0,
);

function utf8Writer(data: Data, out: CsvByteBuffer): CellWriter {
  const offsets = data.valueOffsets as Int32Array;
  const bytes = data.values as Uint8Array;
  return (row) => putUtf8(out, bytes, offsets[row]!, offsets[row + 1]!);
}

/**
 * Puts the cell of the UTF-8 text `bytes[start..end)`: its bytes as they are when it needs no quoting, checked as
 * they are copied (a user name is short: one loop, no subarray); else the escaped text over them.
 */
function putUtf8(out: CsvByteBuffer, bytes: Uint8Array, start: number, end: number): void {
  if (end === start) return;
  out.room(end - start);
  const buf = out.buf;
  const p = out.pos;
  let special = SPECIAL_FIRST[bytes[start]!]! | Number(bytes[end - 1] === SPACE);
  if (end - start > 32) {
    buf.set(bytes.subarray(start, end), p);
    for (let i = start + 1; i < end; i++) special |= SPECIAL_BYTE[bytes[i]!]!;
  } else {
    for (let i = start, q = p; i < end; i++, q++) {
      const c = bytes[i]!;
      buf[q] = c;
      special |= SPECIAL_BYTE[c]!;
    }
  }
  if (special === 0) out.pos = p + end - start;
  else out.text(csvText(decoder.decode(bytes.subarray(start, end))));
}

function numberWriter(values: ArrayLike<number>, out: CsvByteBuffer): ColumnWriter {
  return {
    write: (row) => {
      out.pos = putNumber(out.buf, out.view, out.pos, values[row]!);
    },
    fixed: true,
  };
}

function dateWriter(day: (row: number) => number, out: CsvByteBuffer): ColumnWriter {
  return {
    write: (row) => {
      const days = day(row);
      // Out of YYYY's range: `formatIsoDate`'s longer form (`+275760-09-13`), still within MAX_FIXED_CELL.
      if (days < FIRST_DAY || days >= END_DAY) out.pos = putAscii(out.buf, out.pos, formatIsoDate(days * MS_PER_DAY));
      else out.pos = putCachedDate(out.buf, out.view, out.pos, days);
    },
    fixed: true,
  };
}

function timestampWriter(ms: (row: number) => number, out: CsvByteBuffer): ColumnWriter {
  return {
    write: (row) => {
      out.pos = putTimestamp(out.buf, out.view, out.pos, ms(row));
    },
    fixed: true,
  };
}

/** The writer of one column of one batch, with a fast path for the types the product writes. */
function columnWriter(vector: Vector, out: CsvByteBuffer): ColumnWriter {
  const data = vector.data.length === 1 ? vector.data[0]! : null;
  const type = vector.type as DataType;
  const fast = data !== null ? fastWriter(type, data, out) : null;
  if (fast === null) {
    const write: CellWriter = (row) => {
      const cell = genericCell(type, vector.get(row));
      if (cell.length > 0) out.text(cell);
    };
    return { write, fixed: false };
  }
  const valid = validity(data!);
  if (valid === null) return fast;
  const write = fast.write;
  return {
    write: (row) => {
      if (valid(row)) write(row);
    },
    fixed: fast.fixed,
  };
}

function fastWriter(type: DataType, data: Data, out: CsvByteBuffer): ColumnWriter | null {
  const values = data.values as unknown;
  if (DataType.isFloat(type) && (values instanceof Float64Array || values instanceof Float32Array))
    return numberWriter(values, out);
  if (DataType.isInt(type) && !(values instanceof BigInt64Array || values instanceof BigUint64Array)) {
    return numberWriter(values as Int32Array, out);
  }
  if (DataType.isUtf8(type)) return { write: utf8Writer(data, out), fixed: false };
  if (DataType.isDictionary(type) && DataType.isUtf8(type.dictionary) && data.dictionary !== undefined) {
    const cells = encodedDictionary(data.dictionary);
    const indices = values as Int32Array;
    const write: CellWriter = (row) => {
      const cell = cells[indices[row]!];
      if (cell != null) out.copy(cell);
    };
    return { write, fixed: false };
  }
  if (DataType.isDictionary(type) && data.dictionary !== undefined) {
    const cells = entryCellsOf([data.dictionary]);
    if (cells !== null && !(values instanceof BigInt64Array || values instanceof BigUint64Array)) {
      const indices = values as Int32Array;
      return { write: (row) => cells.put(out, indices[row]!), fixed: true };
    }
  }
  if (DataType.isDate(type) && type.unit === DateUnit.DAY) {
    const days = values as Int32Array;
    return dateWriter((row) => days[row]!, out);
  }
  if (DataType.isDate(type) && type.unit === DateUnit.MILLISECOND) {
    const ms = int64Reader(values as BigInt64Array);
    return dateWriter((row) => Math.floor(ms(row) / MS_PER_DAY), out);
  }
  if (DataType.isTimestamp(type) && (type.unit === TimeUnit.MILLISECOND || type.unit === TimeUnit.SECOND)) {
    const raw = int64Reader(values as BigInt64Array);
    return type.unit === TimeUnit.SECOND ? timestampWriter((row) => raw(row) * 1000, out) : timestampWriter(raw, out);
  }
  if (DataType.isBool(type)) {
    const bits = values as Uint8Array;
    const offset = data.offset;
    const write: CellWriter = (row) =>
      out.text(((bits[(offset + row) >> 3]! >> ((offset + row) & 7)) & 1) === 1 ? 'true' : 'false');
    return { write, fixed: false };
  }
  return null;
}

/**
 * The values of a dictionary of floats or 32-bit (or narrower) integers without nulls, in one chunk: a per-user
 * statistic of the features is one, its entry formatted like any number. Null otherwise (the generic path).
 */
function numericValues(dictionary: Vector): ArrayLike<number> | null {
  const type = dictionary.type as DataType;
  const data = dictionary.data.length === 1 ? dictionary.data[0]! : null;
  if (data === null || data.nullCount !== 0) return null;
  const values = data.values as unknown;
  if (DataType.isFloat(type) && (values instanceof Float64Array || values instanceof Float32Array)) return values;
  if (DataType.isInt(type) && !(values instanceof BigInt64Array || values instanceof BigUint64Array))
    return values as Int32Array;
  return null;
}

/**
 * The cells of the entries of one or more numeric dictionaries indexed alike (the features' eight per-user
 * statistics share one index, the row's user): entry `j`'s cells, commas between them, formatted on first use and
 * copied after. A statistic repeats on every row of its user (a hunt's weeks of days), and one copy of a row's eight
 * cells costs a fraction of formatting them, or of eight lookups. Memory: about 24 bytes a cell of an entry used.
 */
class EntryCells {
  /** Where entry `j`'s text starts in `arena`, or -1 before its first use; its length. */
  private readonly starts: Int32Array;
  private readonly lengths: Uint16Array;
  private arena: Uint8Array;
  private view: DataView;
  private used = 0;
  /** Room kept past the last entry: an entry's cells with their scratch digits, or a last entry's word read. */
  private readonly slack: number;

  constructor(
    readonly dictionaries: readonly Vector[],
    private readonly values: readonly ArrayLike<number>[],
  ) {
    const entries = values[0]!.length;
    this.slack = values.length * (MAX_NUMBER_CELL + 1) + 4;
    this.starts = new Int32Array(entries).fill(-1);
    this.lengths = new Uint16Array(entries);
    this.arena = new Uint8Array(Math.min(entries, 1 << 16) * 24 * values.length + this.slack);
    this.view = new DataView(this.arena.buffer);
  }

  /** Puts entry `j`'s cells at `out.pos`, without asking for room: fixed cells (MAX_FIXED_CELL each). */
  put(out: CsvByteBuffer, j: number): void {
    let start = this.starts[j]!;
    if (start < 0) start = this.format(j);
    const length = this.lengths[j]!;
    // Whole words: the row's slack holds the bytes past the cells (overwritten by what follows), and the arena's
    // the bytes past its last entry.
    const to = out.view;
    const p = out.pos;
    for (let k = 0; k < length; k += 4) to.setUint32(p + k, this.view.getUint32(start + k, true), true);
    out.pos = p + length;
  }

  private format(j: number): number {
    if (this.used + this.slack > this.arena.length) {
      const arena = new Uint8Array(this.arena.length * 2);
      arena.set(this.arena.subarray(0, this.used));
      this.arena = arena;
      this.view = new DataView(arena.buffer);
    }
    const start = this.used;
    let p = putNumber(this.arena, this.view, start, this.values[0]![j]!);
    for (let c = 1; c < this.values.length; c++) {
      this.arena[p++] = COMMA;
      p = putNumber(this.arena, this.view, p, this.values[c]![j]!);
    }
    this.used = p;
    this.starts[j] = start;
    this.lengths[j] = p - start;
    return start;
  }
}

/** Columns of one run at most: the entries of a run of statistics ({@link EntryCells}) keep lengths of 16 bits. */
const MAX_RUN_COLUMNS = 256;

/** The {@link EntryCells} made for a first dictionary, one per tuple of dictionaries it was first of. */
const entryCells = new WeakMap<Vector, EntryCells[]>();

/**
 * {@link EntryCells} of numeric dictionaries of as many entries each (see {@link numericValues}), made once per
 * tuple; null when one is not numeric.
 */
function entryCellsOf(dictionaries: readonly Vector[]): EntryCells | null {
  const made = entryCells.get(dictionaries[0]!) ?? [];
  const found = made.find(
    (cells) =>
      cells.dictionaries.length === dictionaries.length && cells.dictionaries.every((d, c) => d === dictionaries[c]),
  );
  if (found !== undefined) return found;
  const values = dictionaries.map(numericValues);
  if (values.some((v) => v === null || v.length !== values[0]!.length)) return null;
  const cells = new EntryCells(dictionaries, values as ArrayLike<number>[]);
  made.push(cells);
  entryCells.set(dictionaries[0]!, made);
  return cells;
}

/**
 * A writer of the adjacent columns from `k` that one loop writes, when column `k` starts such a run of columns
 * without nulls, in one chunk each: numbers in typed arrays of one class (float64, float32, integers of 32 bits or
 * fewer), numeric dictionaries indexed by one index array (the features' per-user statistics), text, or millisecond
 * timestamps. A row then makes one call for the run instead of one per column; null when column `k` starts none.
 */
function runWriter(vectors: readonly Vector[], k: number, out: CsvByteBuffer): RunWriter | null {
  const first = plainData(vectors[k]!);
  if (first === null) return null;
  const runFrom = (joins: (data: Data) => boolean) => {
    const run = [first];
    for (let next = k + 1; next < vectors.length && run.length < MAX_RUN_COLUMNS; next++) {
      const data = plainData(vectors[next]!);
      if (data === null || !joins(data)) break;
      run.push(data);
    }
    return run;
  };
  const type = first.type as DataType;
  const values = first.values as unknown;
  if (numberArray(type, values)) {
    const run = runFrom(
      (data) => numberArray(data.type as DataType, data.values) && data.values.constructor === values.constructor,
    );
    return numberRunWriter(
      run.map((data) => data.values as ArrayLike<number>),
      out,
    );
  }
  if (DataType.isDictionary(type) && first.dictionary !== undefined && values instanceof Int32Array) {
    const run = runFrom(
      (data) => DataType.isDictionary(data.type) && data.dictionary !== undefined && sameArray(data.values, values),
    );
    const cells = entryCellsOf(run.map((data) => data.dictionary!));
    if (cells === null) return null;
    return { write: (row) => cells.put(out, values[row]!), columns: run.length, fixed: true };
  }
  if (DataType.isUtf8(type)) {
    const run = runFrom((data) => DataType.isUtf8(data.type));
    return utf8RunWriter(run, out);
  }
  if (DataType.isTimestamp(type) && type.unit === TimeUnit.MILLISECOND) {
    const run = runFrom((data) => DataType.isTimestamp(data.type) && data.type.unit === TimeUnit.MILLISECOND);
    return timestampRunWriter(
      run.map((data) => int64Halves(data.values as BigInt64Array)),
      out,
    );
  }
  return null;
}

/** The column's one chunk when it has no nulls; else null. */
function plainData(vector: Vector): Data | null {
  return vector.data.length === 1 && vector.data[0]!.nullCount === 0 ? vector.data[0]! : null;
}

/** Whether the values of a column of `type` are numbers in a typed array (not 64-bit integers). */
function numberArray(type: DataType, values: unknown): values is ArrayLike<number> & ArrayBufferView {
  if (DataType.isFloat(type)) return values instanceof Float64Array || values instanceof Float32Array;
  return (
    DataType.isInt(type) &&
    ArrayBuffer.isView(values) &&
    !(values instanceof BigInt64Array || values instanceof BigUint64Array)
  );
}

/** Whether `a` and `b` view the same elements of the same buffer. */
function sameArray(a: unknown, b: Int32Array): boolean {
  return a instanceof Int32Array && a.buffer === b.buffer && a.byteOffset === b.byteOffset && a.length === b.length;
}

function numberRunWriter(columns: readonly ArrayLike<number>[], out: CsvByteBuffer): RunWriter {
  const first = columns[0]!;
  return {
    write: (row) => {
      const buf = out.buf;
      const view = out.view;
      let p = putNumber(buf, view, out.pos, first[row]!);
      for (let c = 1; c < columns.length; c++) {
        buf[p++] = COMMA;
        p = putNumber(buf, view, p, columns[c]![row]!);
      }
      out.pos = p;
    },
    columns: columns.length,
    fixed: true,
  };
}

function utf8RunWriter(columns: readonly Data[], out: CsvByteBuffer): RunWriter {
  const offsets = columns.map((data) => data.valueOffsets as Int32Array);
  const bytes = columns.map((data) => data.values as Uint8Array);
  return {
    write: (row) => {
      putUtf8(out, bytes[0]!, offsets[0]![row]!, offsets[0]![row + 1]!);
      for (let c = 1; c < columns.length; c++) {
        out.byte(COMMA);
        putUtf8(out, bytes[c]!, offsets[c]![row]!, offsets[c]![row + 1]!);
      }
    },
    columns: columns.length,
    fixed: false,
  };
}

function timestampRunWriter(columns: readonly Int32Array[], out: CsvByteBuffer): RunWriter {
  const first = columns[0]!;
  return {
    write: (row) => {
      const buf = out.buf;
      const view = out.view;
      let p = putTimestamp(buf, view, out.pos, first[2 * row + 1]! * 4_294_967_296 + (first[2 * row]! >>> 0));
      for (let c = 1; c < columns.length; c++) {
        const halves = columns[c]!;
        buf[p++] = COMMA;
        p = putTimestamp(buf, view, p, halves[2 * row + 1]! * 4_294_967_296 + (halves[2 * row]! >>> 0));
      }
      out.pos = p;
    },
    columns: columns.length,
    fixed: true,
  };
}

/** Options of `CsvEncoder`. */
export interface CsvEncoderOptions {
  /** Line ending; default `\n`. */
  eol?: '\n' | '\r\n';
  /** Size of the byte chunks handed out; default 1 MiB. */
  chunkBytes?: number;
}

/** Encodes a header and rows of record batches into CSV byte chunks. */
export class CsvEncoder {
  readonly out: CsvByteBuffer;
  private readonly eol: Uint8Array;

  constructor(options: CsvEncoderOptions = {}) {
    this.out = new CsvByteBuffer(options.chunkBytes ?? 1 << 20);
    this.eol = encoder.encode(options.eol ?? '\n');
  }

  /** The header line: the field names as text cells. */
  header(schema: Schema): void {
    schema.fields.forEach((field, k) => {
      if (k > 0) this.out.byte(COMMA);
      this.out.text(csvText(field.name));
    });
    this.out.copy(this.eol);
  }

  /** Rows `start` (inclusive) to `end` (exclusive) of `batch`. */
  rows(batch: RecordBatch, start: number, end: number): void {
    const out = this.out;
    const vectors = batch.schema.fields.map((_, k) => batch.getChildAt(k) as Vector);
    const eol = this.eol;
    const width = vectors.length;
    if (width === 0) {
      for (let row = start; row < end; row++) out.copy(eol);
      return;
    }
    const parts: RunWriter[] = [];
    for (let k = 0; k < width; k += parts[parts.length - 1]!.columns)
      parts.push(runWriter(vectors, k, out) ?? { ...columnWriter(vectors[k]!, out), columns: 1 });
    const writers = parts.map((part) => part.write);
    const last = eol[eol.length - 1]!;
    const cr = eol.length === 2;
    // Each row starts with room for its fixed cells, commas and line end; the others ask for their own.
    out.slack = parts.reduce(
      (bytes, part) => bytes + (part.fixed ? part.columns * MAX_FIXED_CELL : 0),
      width + eol.length,
    );
    try {
      for (let row = start; row < end; row++) {
        out.room(0);
        writers[0]!(row);
        for (let k = 1; k < writers.length; k++) {
          out.buf[out.pos++] = COMMA;
          writers[k]!(row);
        }
        if (cr) out.buf[out.pos++] = 0x0d;
        out.buf[out.pos++] = last;
      }
    } finally {
      out.slack = 0;
    }
  }
}
