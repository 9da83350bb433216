/**
 * The RFC 4180 tokenizer of the columnar CSV reader: bytes in, the byte ranges of each record's fields out. It
 * never decodes text; the column converters read numbers, times and UTF-8 strings straight from the ranges.
 *
 * Dialect (the one csv-parse gives with `relax_column_count`, `skip_empty_lines` and `bom`, which the
 * differential test checks): `,` between fields; a record ends at LF or CRLF (a CR alone is data); a field that
 * starts with `"` is quoted, may hold `,`, CR, LF and doubled quotes `""`, and must be followed by `,`, a line end
 * or the end of the input; a `"` anywhere else is an error; empty lines are skipped; records may be ragged (the
 * callers name the row). The BOM is the driver's (`csvBlocks.ts`).
 *
 * Why TypeScript and not the WebAssembly core: profiled on the 117 MB numeric file (1M rows x 6 doubles as String
 * writes them), 58% of the read went to numbers of 17 significant digits falling back to `Number` on a string and
 * the garbage it made, 16% to this loop. The exact double-double path of `decimalValue.ts` and a whole column per
 * call removed most of the first (the number parser is about 3x faster on such values); this loop steps four
 * bytes at a time through unquoted and quoted fields and jumps to the byte that stops it. A WebAssembly tokenizer
 * would first copy every chunk into WASM memory and hand the field ranges back across the boundary; it has not been
 * built and measured against this one yet. The io-read benchmark (`benchmarks/src/io-read.bench.ts`) measures this
 * reader against csv-parse, papaparse, d3-dsv and the pandas anchor. No Node built-ins.
 */
import { IngestError } from '../errors.js';

const COMMA = 44;
const QUOTE = 34;
const LF = 10;
const CR = 13;

/** Bounds an attacker's file cannot pass: work per byte stays linear and memory stays bounded by the batch. */
export interface CsvLimits {
  /** Longest record (a line, or several when quoted fields hold line breaks), in bytes; default 4 MiB. */
  readonly maxRecordBytes?: number;
  /** Most fields in one record; default 16,384. */
  readonly maxColumns?: number;
}

export const DEFAULT_MAX_RECORD_BYTES = 4 << 20;
export const DEFAULT_MAX_COLUMNS = 16_384;

/**
 * The fields of the complete records found in one buffer. Field `f` is `bytes[start(f), end(f))` without its
 * quotes; `escaped(f)` says the range still holds doubled quotes to undo. Record `r` has fields
 * `recordFirst[r] .. recordFirst[r + 1] - 1` and ends on the 1-based line `recordLine[r]`.
 */
export class CsvFields {
  starts = new Int32Array(1024);
  ends = new Int32Array(1024);
  escaped = new Uint8Array(1024);
  // As long as `recordFirst` (one slot more than needed), so that the two grow together: a shorter `recordLine`
  // dropped the line of record 512 of a block once both had doubled.
  recordFirst = new Int32Array(257);
  recordLine = new Int32Array(257);
  fieldCount = 0;
  recordCount = 0;

  clear(): void {
    this.fieldCount = 0;
    this.recordCount = 0;
    this.recordFirst[0] = 0;
  }

  /** Fields in record `r`. */
  width(r: number): number {
    return this.recordFirst[r + 1]! - this.recordFirst[r]!;
  }

  pushField(start: number, end: number, escaped: number): void {
    const f = this.fieldCount;
    if (f === this.starts.length) {
      this.starts = grow(this.starts, Int32Array);
      this.ends = grow(this.ends, Int32Array);
      this.escaped = grow(this.escaped, Uint8Array);
    }
    this.starts[f] = start;
    this.ends[f] = end;
    this.escaped[f] = escaped;
    this.fieldCount = f + 1;
  }

  /** Closes the record whose fields were pushed since the last one, ending on `line`. */
  endRecord(line: number): void {
    const r = this.recordCount;
    if (r + 1 >= this.recordFirst.length) {
      this.recordFirst = grow(this.recordFirst, Int32Array);
      this.recordLine = grow(this.recordLine, Int32Array);
    }
    this.recordLine[r] = line;
    this.recordFirst[r + 1] = this.fieldCount;
    this.recordCount = r + 1;
  }

  /** Drops the fields pushed since the last complete record (an incomplete record at the end of a buffer). */
  dropOpenRecord(): void {
    this.fieldCount = this.recordFirst[this.recordCount]!;
  }
}

function grow<T extends Int32Array | Uint8Array>(array: T, Type: { new (n: number): T }): T {
  const next = new Type(array.length * 2);
  next.set(array);
  return next;
}

/*
 * Four bytes read little-endian (the first byte in the low bits) -> a mask with the top bit of some bytes set, zero
 * when no byte is of the kind sought. Mycroft's test: x - 0x2d2d2d2d borrows into the top bit of a byte below 0x2d,
 * and ~x keeps only bytes below 0x80. Only the lowest flagged byte is sure to be of the kind (a borrow out of it may
 * flag the next), but no byte before it is, so `firstFlagged` gives the exact first one.
 */

/** Flags the bytes at or below ',' (0x2c): the comma, the quote, the line ends, space and the other controls. */
function atOrBelowComma(x: number): number {
  return (x - 0x2d2d2d2d) & ~x & 0x80808080;
}

/** Flags the quotes (0x22) and line feeds (0x0a): such a byte is zero after the xor, below 0x01 as above. */
function quoteOrLineFeed(x: number): number {
  const q = x ^ 0x22222222;
  const l = x ^ 0x0a0a0a0a;
  return (((q - 0x01010101) & ~q) | ((l - 0x01010101) & ~l)) & 0x80808080;
}

/** The index (0-3) of the lowest byte whose top bit `mask` has set; `mask` is not 0. */
function firstFlagged(mask: number): number {
  return (31 - Math.clz32(mask & -mask)) >>> 3;
}

/** Where a scan stopped: the first byte and line not yet consumed. */
export interface ScanStop {
  position: number;
  line: number;
}

/**
 * Tokenises complete records of `bytes[from, to)` into `out` (cleared first), at most `maxRecords` of them, and
 * returns where it stopped: after the last complete record, or at `to` when `final` and the input ends there.
 * A record cut off by `to` is left for the next call (with more bytes) unless `final`, where the end of input ends
 * it. `line` is the line `bytes[from]` is on. Throws an `IngestError` naming `label` and the line for malformed
 * quoting, a record over `maxRecordBytes` or over `maxColumns` fields.
 */
export function scanRecords(
  bytes: Uint8Array,
  from: number,
  to: number,
  line: number,
  final: boolean,
  out: CsvFields,
  maxRecords: number,
  label: string,
  limits: CsvLimits = {},
): ScanStop {
  const maxRecordBytes = limits.maxRecordBytes ?? DEFAULT_MAX_RECORD_BYTES;
  const maxColumns = limits.maxColumns ?? DEFAULT_MAX_COLUMNS;
  out.clear();
  // Four bytes of `bytes` at a time, from any position (an aligned word array would first step to a word boundary
  // byte by byte in every field).
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  let pos = from;
  while (pos < to && out.recordCount < maxRecords) {
    const recordStart = pos;
    const recordLine = line;
    // Skipped empty lines: LF or CRLF with nothing before it.
    if (bytes[pos] === LF) {
      pos++;
      line++;
      continue;
    }
    if (bytes[pos] === CR && pos + 1 < to && bytes[pos + 1] === LF) {
      pos += 2;
      line++;
      continue;
    }
    if (bytes[pos] === CR && pos + 1 === to && !final) break;
    let complete = false;
    let fields = 0;
    for (;;) {
      if (++fields > maxColumns) {
        throw new IngestError(label, recordLine, null, `malformed CSV: more than ${maxColumns} fields in one record`);
      }
      let p = pos;
      let next: number;
      if (p < to && bytes[p] === QUOTE) {
        const start = ++p;
        let escaped = 0;
        let closed = -1;
        while (p < to) {
          // Four bytes at a time to the next quote or line feed (counted for the lines).
          while (p + 4 <= to) {
            const found = quoteOrLineFeed(view.getUint32(p, true));
            if (found !== 0) {
              p += firstFlagged(found);
              break;
            }
            p += 4;
          }
          if (p === to) break;
          const c = bytes[p]!;
          if (c === QUOTE) {
            if (p + 1 < to && bytes[p + 1] === QUOTE) {
              escaped = 1;
              p += 2;
              continue;
            }
            if (p + 1 === to && !final) break;
            closed = p;
            break;
          }
          if (c === LF) line++;
          p++;
        }
        if (closed < 0) {
          if (!final) break;
          throw new IngestError(
            label,
            recordLine,
            null,
            'malformed CSV: a quoted field is not closed before the end of the file',
          );
        }
        p = closed + 1;
        out.pushField(start, closed, escaped);
        if (p === to) {
          // Only reachable when final (checked above): the input ends after the closing quote.
          next = to;
        } else {
          const c = bytes[p]!;
          if (c === COMMA) next = -2;
          else if (c === LF) next = p + 1;
          else if (c === CR && p + 1 < to && bytes[p + 1] === LF) next = p + 2;
          else if (c === CR && p + 1 === to && !final) break;
          else {
            throw new IngestError(
              label,
              line,
              null,
              'malformed CSV: a closing quote is followed by a character other than a comma or a line end',
            );
          }
        }
      } else {
        while (p < to) {
          // Four bytes at a time to the first at or below ',' (digits, letters, '.', '-' and every byte of a
          // multi-byte character are above it).
          while (p + 4 <= to) {
            const found = atOrBelowComma(view.getUint32(p, true));
            if (found !== 0) {
              p += firstFlagged(found);
              break;
            }
            p += 4;
          }
          if (p === to) break;
          const c = bytes[p]!;
          if (c > COMMA) {
            p++;
            continue;
          }
          if (c === COMMA || c === LF) break;
          if (c === QUOTE) {
            throw new IngestError(
              label,
              line,
              null,
              'malformed CSV: a quote inside an unquoted field (quote the whole field and double the quote)',
            );
          }
          p++;
        }
        if (p === to) {
          if (!final) break;
          out.pushField(pos, to, 0);
          next = to;
        } else if (bytes[p] === COMMA) {
          out.pushField(pos, p, 0);
          next = -2;
        } else {
          out.pushField(pos, p > pos && bytes[p - 1] === CR ? p - 1 : p, 0);
          next = p + 1;
        }
      }
      if (p - recordStart > maxRecordBytes) {
        throw new IngestError(label, recordLine, null, `malformed CSV: a record longer than ${maxRecordBytes} bytes`);
      }
      if (next === -2) {
        // A comma: another field follows, empty if the input ends right here.
        pos = p + 1;
        if (pos === to && !final) break;
        if (pos === to) {
          out.pushField(to, to, 0);
          complete = true;
          break;
        }
        continue;
      }
      // The record ends: at a line end (its LF is counted once the record is closed) or at the end of the input.
      pos = next;
      complete = true;
      break;
    }
    if (!complete) {
      out.dropOpenRecord();
      return { position: recordStart, line: recordLine };
    }
    out.endRecord(line);
    if (bytes[pos - 1] === LF) line++;
  }
  return { position: pos, line };
}
