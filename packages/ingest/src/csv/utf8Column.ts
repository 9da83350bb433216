/**
 * An Arrow Utf8 column built from CSV field byte ranges: the bytes are copied as they are (they were checked to be
 * UTF-8 once, per block), with doubled quotes undone, so no cell is ever decoded to a JS string and encoded back.
 * No Node built-ins.
 */
import { makeData, Utf8, type Data } from 'apache-arrow';

const QUOTE = 34;

/** A Utf8 column of `length` strings over `offsets` (`length + 1` of them) into `bytes`, no nulls, nothing copied. */
export function utf8Data(offsets: Int32Array, bytes: Uint8Array, length: number): Data<Utf8> {
  return makeData({ type: new Utf8(), length, nullCount: 0, valueOffsets: offsets, data: bytes });
}

export class Utf8ColumnBuilder {
  private offsets: Int32Array;
  private data: Uint8Array;
  private rows = 0;

  constructor(private readonly capacity: number) {
    this.offsets = new Int32Array(capacity + 1);
    this.data = new Uint8Array(Math.max(64, capacity * 8));
  }

  get length(): number {
    return this.rows;
  }

  /** Appends `bytes[start, end)`, turning each `""` into `"` when `escaped`. */
  append(bytes: Uint8Array, start: number, end: number, escaped: number): void {
    let at = this.offsets[this.rows]!;
    if (at + (end - start) > this.data.length) this.growData(at + (end - start));
    const data = this.data;
    if (escaped === 0) {
      if (end - start > 16) data.set(bytes.subarray(start, end), at);
      else for (let i = start; i < end; i++) data[at + i - start] = bytes[i]!;
      at += end - start;
    } else {
      for (let i = start; i < end; i++) {
        const b = bytes[i]!;
        data[at++] = b;
        if (b === QUOTE) i++;
      }
    }
    this.offsets[++this.rows] = at;
  }

  /** Forgets the rows from `length` on (a row that turned out bad). */
  truncate(length: number): void {
    this.rows = length;
  }

  /** The column so far as Arrow data; the builder starts empty, on fresh buffers (the data keeps views). */
  finish(): Data<Utf8> {
    const n = this.rows;
    const data = utf8Data(this.offsets.subarray(0, n + 1), this.data.subarray(0, this.offsets[n]!), n);
    this.offsets = new Int32Array(this.capacity + 1);
    this.data = new Uint8Array(this.data.length);
    this.rows = 0;
    return data;
  }

  private growData(needed: number): void {
    let size = this.data.length * 2;
    while (size < needed) size *= 2;
    const next = new Uint8Array(size);
    next.set(this.data.subarray(0, this.offsets[this.rows]!));
    this.data = next;
  }
}
