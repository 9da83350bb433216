/**
 * One 64 KiB chunk: its integrity checks (magic, header CRC, free-space offset, records CRC) and the walk over its
 * event records. A chunk that fails a check yields no records; the reason is reported to the caller.
 */
import { type ChunkDecoder } from './binxml.js';
import { crc32 } from './crc32.js';
import { EvtxParseError } from './errors.js';
import {
  CHUNK_HEADER_CRC_SPAN_1,
  CHUNK_HEADER_CRC_START_2,
  CHUNK_HEADER_SIZE,
  CHUNK_MAGIC,
  CHUNK_OFFSET_FIRST_RECORD_NUMBER,
  CHUNK_OFFSET_FREE_SPACE,
  CHUNK_OFFSET_HEADER_CRC,
  CHUNK_OFFSET_LAST_RECORD_NUMBER,
  CHUNK_OFFSET_RECORDS_CRC,
  CHUNK_SIZE,
  RECORD_HEADER_SIZE,
  RECORD_MAGIC,
  RECORD_MIN_SIZE,
} from './layout.js';
import { buildRecord, type EvtxRecord } from './record.js';

/** Why a chunk or record was not read. */
export type EvtxIssueReason =
  | 'file-header-checksum'
  | 'chunk-truncated'
  | 'chunk-bad-magic'
  | 'chunk-header-checksum'
  | 'chunk-bad-free-space'
  | 'chunk-records-checksum'
  | 'record-bad-header'
  | 'record-bad-xml'
  | 'records-missing'
  | 'chunks-missing';

/** A problem found while reading, located in the file. */
export interface EvtxIssue {
  readonly file: string;
  /** 0-based chunk index, or `null` for the file header and for what the file as a whole misses. */
  readonly chunk: number | null;
  /** Byte offset in the file of the chunk, record or field at fault. */
  readonly offset: number;
  readonly reason: EvtxIssueReason;
  /** One line saying what was found. */
  readonly detail: string;
  /**
   * Records lost to this problem when the (checksummed) chunk header says how many, `0` when they are counted by
   * the file's `records-missing` issue instead, else `null` (unknown).
   */
  readonly recordsLost: number | null;
}

/** What a chunk walk reports besides its records. */
export interface ChunkSink {
  issue(issue: EvtxIssue): void;
}

/** `false` when the chunk slot was never used (all zero bytes): not an error, there is nothing to read. */
export function isUnusedChunk(chunk: Uint8Array): boolean {
  for (let i = 0; i < CHUNK_SIZE; i++) if (chunk[i] !== 0) return false;
  return true;
}

/** Reads a u64 that is known to be small as a number (record numbers, record ids). */
function u64(dv: DataView, p: number): number {
  return dv.getUint32(p + 4, true) * 4294967296 + dv.getUint32(p, true);
}

/** Most records a chunk can hold: any record-number range wider than this is not usable. */
export const MAX_RECORDS_PER_CHUNK = Math.floor((CHUNK_SIZE - CHUNK_HEADER_SIZE) / RECORD_MIN_SIZE);

/**
 * The first and last record numbers the chunk header declares, when the header (or its first 512 bytes, for a
 * chunk cut short) passes its CRC and the range is one a chunk can hold; otherwise `null`.
 */
export function chunkRecordRange(chunk: Uint8Array, length: number): readonly [number, number] | null {
  if (length < CHUNK_HEADER_SIZE) return null;
  for (let i = 0; i < CHUNK_MAGIC.length; i++) if (chunk[i] !== CHUNK_MAGIC[i]) return null;
  const dv = new DataView(chunk.buffer, chunk.byteOffset, chunk.byteLength);
  const headerCrc = crc32(chunk, CHUNK_HEADER_CRC_START_2, CHUNK_HEADER_SIZE, crc32(chunk, 0, CHUNK_HEADER_CRC_SPAN_1));
  if (headerCrc !== dv.getUint32(CHUNK_OFFSET_HEADER_CRC, true)) return null;
  const first = u64(dv, CHUNK_OFFSET_FIRST_RECORD_NUMBER);
  const last = u64(dv, CHUNK_OFFSET_LAST_RECORD_NUMBER);
  return last >= first && last - first < MAX_RECORDS_PER_CHUNK ? [first, last] : null;
}

/** Outcome of the chunk-level checks: the end of the record data, or the issue that rules the chunk out. */
export type ChunkCheck =
  { readonly ok: true; readonly freeSpace: number } | { readonly ok: false; readonly issue: EvtxIssue };

/**
 * Checks a full 64 KiB chunk (magic, header CRC, free-space offset, records CRC when `verifyChecksums`).
 * `fileOffset` and `index` only locate the issue.
 */
export function checkChunk(
  chunk: Uint8Array,
  file: string,
  index: number,
  fileOffset: number,
  verifyChecksums: boolean,
): ChunkCheck {
  const dv = new DataView(chunk.buffer, chunk.byteOffset, chunk.byteLength);
  const fail = (reason: EvtxIssueReason, at: number, detail: string, recordsLost: number | null): ChunkCheck => ({
    ok: false,
    issue: { file, chunk: index, offset: fileOffset + at, reason, detail, recordsLost },
  });
  for (let i = 0; i < CHUNK_MAGIC.length; i++) {
    if (chunk[i] !== CHUNK_MAGIC[i]) return fail('chunk-bad-magic', 0, 'chunk does not start with "ElfChnk\\0"', null);
  }
  const headerCrc = crc32(chunk, CHUNK_HEADER_CRC_START_2, CHUNK_HEADER_SIZE, crc32(chunk, 0, CHUNK_HEADER_CRC_SPAN_1));
  const headerOk = headerCrc === dv.getUint32(CHUNK_OFFSET_HEADER_CRC, true);
  if (verifyChecksums && !headerOk) {
    return fail(
      'chunk-header-checksum',
      CHUNK_OFFSET_HEADER_CRC,
      `chunk header CRC32 is 0x${headerCrc.toString(16)}, header says 0x${dv.getUint32(CHUNK_OFFSET_HEADER_CRC, true).toString(16)}`,
      null,
    );
  }
  const range = headerOk ? chunkRecordRange(chunk, CHUNK_SIZE) : null;
  const expected = range === null ? null : range[1] - range[0] + 1;
  const freeSpace = dv.getUint32(CHUNK_OFFSET_FREE_SPACE, true);
  if (freeSpace < CHUNK_HEADER_SIZE || freeSpace > CHUNK_SIZE) {
    return fail(
      'chunk-bad-free-space',
      CHUNK_OFFSET_FREE_SPACE,
      `free-space offset ${freeSpace} is outside ${CHUNK_HEADER_SIZE}..${CHUNK_SIZE}`,
      expected,
    );
  }
  if (verifyChecksums) {
    const recordsCrc = crc32(chunk, CHUNK_HEADER_SIZE, freeSpace);
    const stored = dv.getUint32(CHUNK_OFFSET_RECORDS_CRC, true);
    if (recordsCrc !== stored) {
      return fail(
        'chunk-records-checksum',
        CHUNK_HEADER_SIZE,
        `records CRC32 is 0x${recordsCrc.toString(16)}, chunk header says 0x${stored.toString(16)}`,
        expected,
      );
    }
  }
  return { ok: true, freeSpace };
}

/**
 * The records of a chunk that passed `checkChunk`, decoded one at a time. A record whose framing is broken ends
 * the walk (later records cannot be located); a record whose XML cannot be decoded is reported and skipped.
 */
export function* chunkRecords(
  decoder: ChunkDecoder,
  chunk: Uint8Array,
  freeSpace: number,
  file: string,
  index: number,
  fileOffset: number,
  sink: ChunkSink,
): Generator<EvtxRecord> {
  const dv = new DataView(chunk.buffer, chunk.byteOffset, chunk.byteLength);
  decoder.reset(chunk);
  const last = u64(dv, CHUNK_OFFSET_LAST_RECORD_NUMBER);
  let pos = CHUNK_HEADER_SIZE;
  while (pos + RECORD_HEADER_SIZE <= freeSpace) {
    const size = dv.getUint32(pos + 4, true);
    const framingProblem =
      dv.getUint32(pos, true) !== RECORD_MAGIC
        ? 'no record signature "**\\0\\0"'
        : size < RECORD_MIN_SIZE || pos + size > freeSpace
          ? `record size ${size} does not fit between byte ${pos} and the free-space offset ${freeSpace}`
          : dv.getUint32(pos + size - 4, true) !== size
            ? `record size ${size} does not match its trailing copy ${dv.getUint32(pos + size - 4, true)}`
            : null;
    const recordId = u64(dv, pos + 8);
    if (framingProblem !== null) {
      const lost = last >= recordId && last - recordId < CHUNK_SIZE ? last - recordId + 1 : null;
      sink.issue({
        file,
        chunk: index,
        offset: fileOffset + pos,
        reason: 'record-bad-header',
        detail: framingProblem,
        recordsLost: lost,
      });
      return;
    }
    try {
      const event = decoder.decodeRecord(pos + RECORD_HEADER_SIZE, pos + size - 4);
      yield buildRecord(event, {
        file,
        chunk: index,
        offset: fileOffset + pos,
        recordId,
        chunkOffset: pos,
        written: { hi: dv.getUint32(pos + 20, true), lo: dv.getUint32(pos + 16, true) },
      });
    } catch (e) {
      // Whatever goes wrong inside one record (a hostile value no check foresaw included) costs that record only.
      const at = e instanceof EvtxParseError ? e.offset : pos;
      const problem =
        e instanceof EvtxParseError ? e.problem : `cannot be decoded (${e instanceof Error ? e.message : String(e)})`;
      sink.issue({
        file,
        chunk: index,
        offset: fileOffset + at,
        reason: 'record-bad-xml',
        detail: `record ${recordId}: ${problem}`,
        recordsLost: 1,
      });
    }
    pos += size;
  }
}
