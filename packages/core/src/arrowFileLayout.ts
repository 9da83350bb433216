/**
 * Structural checks of an Arrow IPC *file* (and, below, of a *stream*) before apache-arrow reads it: the footer, every block it lists and the
 * message at each block are checked against the file's size, so a flipped or hostile length is a clear error
 * instead of a read past the end, a huge allocation or a loop that never ends inside the library. Only the footer
 * and a few bytes per block are read, through `readAt`, so a large file on disk is not loaded to be checked.
 *
 * Layout (Arrow columnar format, "IPC File Format"): `ARROW1\0\0`, the messages, the footer (a flatbuffer), its
 * length (int32), `ARROW1`. A footer lists blocks (offset, metadata length, body length); the message at a block
 * starts with 0xFFFFFFFF and the metadata length, then a flatbuffer `Message` whose RecordBatch or DictionaryBatch
 * header gives the row count and the buffers of the body.
 */
import { ARROW_FILE_MAGIC } from '@isoforest/common/arrow';

/** `length` bytes of the file at `offset`; the checker only asks for ranges inside the file. */
export type ReadAt = (offset: number, length: number) => Uint8Array;

const LEADING_BYTES = 8; // magic and two bytes of padding
const TRAILING_BYTES = 10; // footer length and magic
const BLOCK_BYTES = 24;
const FIELD_NODE_BYTES = 16;
const BUFFER_BYTES = 16;
const CONTINUATION = 0xffffffff;
/** A footer is the schema and 24 bytes per batch: anything larger is not worth reading to find it is damaged. */
const MAX_FOOTER_BYTES = 64 << 20;
const HEADER_RECORD_BATCH = 3;
const HEADER_DICTIONARY_BATCH = 2;

class LayoutError extends Error {}

/** A flatbuffer held in `b`, every offset checked against its length. */
class FlatBuffer {
  constructor(
    private readonly b: Uint8Array,
    private readonly what: string,
  ) {}

  private need(at: number, bytes: number): void {
    if (!Number.isSafeInteger(at) || at < 0 || at + bytes > this.b.length) {
      throw new LayoutError(`${this.what}: an offset points outside its ${this.b.length} bytes`);
    }
  }

  u8(at: number): number {
    this.need(at, 1);
    return this.b[at];
  }
  u16(at: number): number {
    this.need(at, 2);
    return this.b[at] | (this.b[at + 1] << 8);
  }
  u32(at: number): number {
    this.need(at, 4);
    return (this.b[at] | (this.b[at + 1] << 8) | (this.b[at + 2] << 16) | (this.b[at + 3] << 24)) >>> 0;
  }
  i32(at: number): number {
    return this.u32(at) | 0;
  }
  /** An int64 that must be a non-negative safe integer. */
  size(at: number, name: string): number {
    const hi = this.u32(at + 4);
    if (hi >= 0x200000) throw new LayoutError(`${this.what}: ${name} is negative or beyond 2^53`);
    return hi * 4294967296 + this.u32(at);
  }

  /** The root table's position. */
  root(): number {
    return this.table(0);
  }

  /** The table an offset at `at` refers to (uoffset), its vtable checked. */
  table(at: number): number {
    const table = at + this.u32(at);
    const vtable = table - this.i32(table);
    const vtableBytes = this.u16(vtable);
    this.need(vtable, vtableBytes);
    return table;
  }

  /** Position of field `index` of `table`, or -1 when absent. */
  field(table: number, index: number): number {
    const vtable = table - this.i32(table);
    const entry = 4 + 2 * index;
    if (entry >= this.u16(vtable)) return -1;
    const offset = this.u16(vtable + entry);
    return offset === 0 ? -1 : table + offset;
  }

  /** Checks the string in field `index` of `table`, when present, lies inside the buffer. */
  string(table: number, index: number): void {
    this.vector(table, index, 1);
  }

  /** Start and length of the vector of `itemBytes`-byte structs in field `index`; empty when absent. */
  vector(table: number, index: number, itemBytes: number): [number, number] {
    const at = this.field(table, index);
    if (at < 0) return [0, 0];
    const vector = at + this.u32(at);
    const count = this.u32(vector);
    this.need(vector + 4, count * itemBytes);
    return [vector + 4, count];
  }
}

/**
 * `null` when the layout of the Arrow IPC file of `size` bytes holds together, else one sentence saying what does
 * not. The checks are bounded by the footer's size: a footer cannot list more blocks than its bytes hold.
 */
export function arrowFileLayoutProblem(size: number, readAt: ReadAt): string | null {
  try {
    checkLayout(size, readAt);
    return null;
  } catch (error) {
    if (error instanceof LayoutError) return error.message;
    throw error;
  }
}

function checkLayout(size: number, readAt: ReadAt): void {
  if (size < LEADING_BYTES + TRAILING_BYTES) throw new LayoutError(`${size} bytes is too short for an Arrow IPC file`);
  const head = readAt(0, ARROW_FILE_MAGIC.length);
  const tail = readAt(size - TRAILING_BYTES, TRAILING_BYTES);
  if (ARROW_FILE_MAGIC.some((b, i) => head[i] !== b)) throw new LayoutError('it does not start with ARROW1');
  if (ARROW_FILE_MAGIC.some((b, i) => tail[4 + i] !== b))
    throw new LayoutError('it does not end with ARROW1 (cut short?)');
  const footerLength = tail[0] | (tail[1] << 8) | (tail[2] << 16) | (tail[3] << 24) | 0;
  const footerStart = size - TRAILING_BYTES - footerLength;
  if (footerLength <= 0 || footerStart < LEADING_BYTES) {
    throw new LayoutError(`its footer length ${footerLength} does not fit in a file of ${size} bytes`);
  }
  if (footerLength > MAX_FOOTER_BYTES)
    throw new LayoutError(`its footer of ${footerLength} bytes is larger than ${MAX_FOOTER_BYTES}`);
  const footer = new FlatBuffer(readAt(footerStart, footerLength), 'footer');
  const root = footer.root();
  if (footer.field(root, 1) < 0) throw new LayoutError('footer: no schema');
  checkSchema(footer, footer.table(footer.field(root, 1)));
  for (const [index, kind] of [
    [2, 'dictionary'],
    [3, 'record batch'],
  ] as const) {
    const [start, count] = footer.vector(root, index, BLOCK_BYTES);
    for (let k = 0; k < count; k++) {
      const at = start + k * BLOCK_BYTES;
      checkBlock(
        footer.size(at, 'block offset'),
        footer.i32(at + 8),
        footer.size(at + 16, 'block body length'),
        footerStart,
        readAt,
        `${kind} ${k + 1}`,
      );
    }
  }
}

const MAX_FIELD_DEPTH = 64;

/** Schema: endianness, fields (tables), custom metadata (key-value tables), features. */
function checkSchema(footer: FlatBuffer, schema: number): void {
  checkFields(footer, schema, 1, 0);
  checkKeyValues(footer, schema, 2);
}

/** Field: name, nullable, type type, type, dictionary, children (fields), custom metadata. */
function checkFields(footer: FlatBuffer, table: number, index: number, depth: number): void {
  if (depth > MAX_FIELD_DEPTH) throw new LayoutError(`footer: fields nest deeper than ${MAX_FIELD_DEPTH}`);
  const [start, count] = footer.vector(table, index, 4);
  for (let k = 0; k < count; k++) {
    const field = footer.table(start + 4 * k);
    footer.string(field, 0);
    if (footer.field(field, 3) >= 0) footer.table(footer.field(field, 3));
    if (footer.field(field, 4) >= 0) footer.table(footer.field(field, 4));
    checkFields(footer, field, 5, depth + 1);
    checkKeyValues(footer, field, 6);
  }
}

function checkKeyValues(footer: FlatBuffer, table: number, index: number): void {
  const [start, count] = footer.vector(table, index, 4);
  for (let k = 0; k < count; k++) {
    const pair = footer.table(start + 4 * k);
    footer.string(pair, 0);
    footer.string(pair, 1);
  }
}

function checkBlock(
  offset: number,
  metadataLength: number,
  bodyLength: number,
  footerStart: number,
  readAt: ReadAt,
  what: string,
): void {
  if (offset < LEADING_BYTES || metadataLength < 8 || offset + metadataLength + bodyLength > footerStart) {
    throw new LayoutError(
      `${what}: its block (offset ${offset}, ${metadataLength} + ${bodyLength} bytes) does not lie between the header and the footer`,
    );
  }
  const prefix = new FlatBuffer(readAt(offset, 8), what);
  const continued = prefix.u32(0) === CONTINUATION;
  const length = continued ? prefix.i32(4) : prefix.i32(0);
  const prefixBytes = continued ? 8 : 4;
  if (length <= 0 || prefixBytes + length > metadataLength) {
    throw new LayoutError(`${what}: message metadata of ${length} bytes does not fit its block's ${metadataLength}`);
  }
  const message = new FlatBuffer(readAt(offset + prefixBytes, length), `${what} message`);
  const declaredBody = checkBatchMessage(message, what);
  if (declaredBody > bodyLength)
    throw new LayoutError(`${what}: message body of ${declaredBody} bytes overruns its block's ${bodyLength}`);
}

/**
 * Checks a record or dictionary batch message against its own declared body: row and column counts the body can
 * hold, buffers inside it. Returns the declared body length.
 */
function checkBatchMessage(message: FlatBuffer, what: string): number {
  const root = message.root();
  const headerType = message.field(root, 1) < 0 ? 0 : message.u8(message.field(root, 1));
  const bodyAt = message.field(root, 3);
  const declaredBody = bodyAt < 0 ? 0 : message.size(bodyAt, 'body length');
  if (message.field(root, 2) < 0) throw new LayoutError(`${what}: message has no header`);
  let batch = message.table(message.field(root, 2));
  if (headerType === HEADER_DICTIONARY_BATCH) {
    if (message.field(batch, 1) < 0) throw new LayoutError(`${what}: dictionary batch has no data`);
    batch = message.table(message.field(batch, 1));
  } else if (headerType !== HEADER_RECORD_BATCH) {
    throw new LayoutError(`${what}: message of type ${headerType} where a batch belongs`);
  }
  // Every value takes at least a bit of the body, so no row count may exceed 8 per body byte.
  const maxRows = 8 * declaredBody + 8;
  const rowsAt = message.field(batch, 0);
  if (rowsAt >= 0 && message.size(rowsAt, 'row count') > maxRows)
    throw new LayoutError(`${what}: its row count exceeds what its ${declaredBody}-byte body can hold`);
  const [nodes, nodeCount] = message.vector(batch, 1, FIELD_NODE_BYTES);
  for (let k = 0; k < nodeCount; k++) {
    if (message.size(nodes + k * FIELD_NODE_BYTES, 'column length') > maxRows)
      throw new LayoutError(`${what}: a column length exceeds what its ${declaredBody}-byte body can hold`);
  }
  const [buffers, bufferCount] = message.vector(batch, 2, BUFFER_BYTES);
  for (let k = 0; k < bufferCount; k++) {
    const at = buffers + k * BUFFER_BYTES;
    if (message.size(at, 'buffer offset') + message.size(at + 8, 'buffer length') > declaredBody) {
      throw new LayoutError(`${what}: buffer ${k + 1} lies outside the message body of ${declaredBody} bytes`);
    }
  }
  return declaredBody;
}

/** Largest message metadata a stream may declare: a schema and its metadata, not a data set. */
const MAX_METADATA_BYTES = 64 << 20;
const HEADER_SCHEMA = 1;

/**
 * `null` when the layout of an Arrow IPC *stream* of `size` bytes holds together, else one sentence saying what
 * does not. A stream has no footer: its messages are walked one after the other (each metadata length, header and
 * body checked against the bytes left), reading only each message's metadata, until the end-of-stream marker or
 * the end of the bytes. Each step moves forward by at least 8 bytes, so the walk ends.
 */
export function arrowStreamLayoutProblem(size: number, readAt: ReadAt): string | null {
  try {
    let offset = 0;
    for (let k = 1; offset + 4 <= size; k++) {
      const what = `message ${k}`;
      const prefix = new FlatBuffer(readAt(offset, Math.min(8, size - offset)), what);
      const continued = prefix.u32(0) === CONTINUATION;
      const length = continued ? prefix.i32(4) : prefix.i32(0);
      const prefixBytes = continued ? 8 : 4;
      if (length === 0) return null; // the end-of-stream marker
      if (length < 0 || length > MAX_METADATA_BYTES || offset + prefixBytes + length > size) {
        throw new LayoutError(
          `${what}: metadata of ${length} bytes does not fit the ${size - offset - prefixBytes} bytes left`,
        );
      }
      const message = new FlatBuffer(readAt(offset + prefixBytes, length), `${what} metadata`);
      const root = message.root();
      const headerType = message.field(root, 1) < 0 ? 0 : message.u8(message.field(root, 1));
      let body = 0;
      if (headerType === HEADER_SCHEMA) {
        if (message.field(root, 2) < 0) throw new LayoutError(`${what}: schema message has no schema`);
        checkSchema(message, message.table(message.field(root, 2)));
        const bodyAt = message.field(root, 3);
        body = bodyAt < 0 ? 0 : message.size(bodyAt, 'body length');
      } else {
        body = checkBatchMessage(message, what);
      }
      const next = offset + prefixBytes + length + body;
      if (next > size) throw new LayoutError(`${what}: its body of ${body} bytes runs past the end of the stream`);
      offset = next;
    }
    if (offset !== size) throw new LayoutError(`the stream ends inside a message (${size - offset} bytes left over)`);
    return null;
  } catch (error) {
    if (error instanceof LayoutError) return error.message;
    throw error;
  }
}
