/**
 * Decoding of one EVTX log read through positional reads, with no Node built-ins: the file reader (`reader.ts`)
 * hands it a file handle, a browser page the bytes of a picked file (`readEvtxBytes`).
 */
import { ChunkDecoder } from './binxml.js';
import { checkChunk, chunkRecordRange, chunkRecords, isUnusedChunk, type ChunkSink, type EvtxIssue } from './chunk.js';
import { crc32 } from './crc32.js';
import { EvtxFormatError } from './errors.js';
import {
  CHUNK_SIZE,
  FILE_HEADER_BLOCK_SIZE,
  FILE_HEADER_CRC_SPAN,
  FILE_HEADER_OFFSET_CHUNK_COUNT,
  FILE_HEADER_OFFSET_CRC,
  FILE_HEADER_OFFSET_NEXT_RECORD,
  FILE_HEADER_SIZE,
  FILE_MAGIC,
} from './layout.js';
import type { EvtxRecord } from './record.js';
import { RecordGaps, type DeclaredLog } from './recordGaps.js';

export interface EvtxReadOptions {
  /**
   * Check the header and records CRC32 of every chunk and skip chunks that fail (default `true`). Turn off only
   * to salvage a log whose checksums are known to be stale, e.g. one copied while Windows was writing it.
   */
  readonly verifyChecksums?: boolean;
  /** Issues kept in `stats.issues` (default 1000); later ones are only counted in `stats.issuesDropped`. */
  readonly maxIssues?: number;
}

/** Counts of what was read and skipped; final once iteration has finished. */
export interface EvtxStats {
  /** Files opened. */
  files: number;
  /** Bytes read from disk. */
  bytesRead: number;
  /** Chunks that passed their checks and whose records were decoded. */
  chunksRead: number;
  /** Preallocated chunk slots beyond those the file header declares in use, never written (all zero). */
  chunksEmpty: number;
  /**
   * Chunks skipped as corrupt, truncated, zeroed although declared in use, or declared but missing from the file;
   * each is in `issues`.
   */
  chunksSkipped: number;
  /** Records decoded and yielded. */
  recordsRead: number;
  /**
   * Records known to be lost: those inside skipped chunks (when the chunk header, verified by its own CRC, says
   * how many), records whose XML could not be decoded, records after a broken record frame, and record numbers
   * that no chunk holds although the file header says the log reaches them.
   */
  recordsSkipped: number;
  /** Problems in the order found, at most `maxIssues`. */
  readonly issues: EvtxIssue[];
  /** Problems beyond `maxIssues`, counted but not kept. */
  issuesDropped: number;
}

/** Records of one or more EVTX files, with the reading statistics. */
export interface EvtxReader extends AsyncIterable<EvtxRecord> {
  readonly stats: EvtxStats;
}

const DEFAULT_MAX_ISSUES = 1000;

/** All-zero statistics, to be summed over the files of one read. */
export function newEvtxStats(): EvtxStats {
  return {
    files: 0,
    bytesRead: 0,
    chunksRead: 0,
    chunksEmpty: 0,
    chunksSkipped: 0,
    recordsRead: 0,
    recordsSkipped: 0,
    issues: [],
    issuesDropped: 0,
  };
}

/** Reads `length` bytes at `position` into `buffer` from `offset`, as Node's `FileHandle.read` does. */
export interface PositionalReader {
  read(buffer: Uint8Array, offset: number, length: number, position: number): Promise<{ bytesRead: number }>;
}

/** Positional reads over bytes already in memory. */
export function bytesReader(bytes: Uint8Array): PositionalReader {
  return {
    read(buffer, offset, length, position) {
      const part = bytes.subarray(Math.min(position, bytes.length), Math.min(position + length, bytes.length));
      buffer.set(part, offset);
      return Promise.resolve({ bytesRead: part.length });
    },
  };
}

/**
 * Streams the event records of an EVTX log held in memory (a file a browser page was given), exactly as
 * `readEvtx` reads the same bytes from a file; `file` names it in issues and errors.
 */
export function readEvtxBytes(bytes: Uint8Array, file: string, options: EvtxReadOptions = {}): EvtxReader {
  const stats = newEvtxStats();
  return {
    stats,
    [Symbol.asyncIterator]: () => evtxLogRecords(bytesReader(bytes), file, options, stats),
  };
}

/**
 * Checks the file header; throws `EvtxFormatError` when the file is not EVTX. Returns what the header declares
 * when its CRC verifies, else `null` (chunks carry their own checksums, so a bad file header alone costs nothing).
 */
async function readFileHeader(
  handle: PositionalReader,
  file: string,
  stats: EvtxStats,
  sink: ChunkSink,
  verify: boolean,
): Promise<DeclaredLog | null> {
  const header = new Uint8Array(FILE_HEADER_SIZE);
  const { bytesRead } = await handle.read(header, 0, FILE_HEADER_SIZE, 0);
  stats.bytesRead += bytesRead;
  for (let i = 0; i < FILE_MAGIC.length; i++) {
    if (i >= bytesRead || header[i] !== FILE_MAGIC[i]) {
      throw new EvtxFormatError(file, 0, 'not an EVTX event log: it does not start with the signature "ElfFile\\0"');
    }
  }
  if (bytesRead < FILE_HEADER_SIZE) {
    throw new EvtxFormatError(file, bytesRead, `file ends inside the ${FILE_HEADER_SIZE}-byte EVTX file header`);
  }
  const dv = new DataView(header.buffer);
  if (crc32(header, 0, FILE_HEADER_CRC_SPAN) !== dv.getUint32(FILE_HEADER_OFFSET_CRC, true)) {
    if (verify)
      sink.issue({
        file,
        chunk: null,
        offset: FILE_HEADER_OFFSET_CRC,
        reason: 'file-header-checksum',
        detail: 'file header CRC32 does not match',
        recordsLost: null,
      });
    return null;
  }
  const nextRecord =
    dv.getUint32(FILE_HEADER_OFFSET_NEXT_RECORD + 4, true) * 4294967296 +
    dv.getUint32(FILE_HEADER_OFFSET_NEXT_RECORD, true);
  return { chunks: dv.getUint16(FILE_HEADER_OFFSET_CHUNK_COUNT, true), nextRecord };
}

/**
 * The records of one EVTX log read through `handle` (a file handle, or bytes in memory), in file order. `file`
 * names the log in issues and errors; statistics are added to `stats`. Throws `EvtxFormatError` when the log is
 * not EVTX; every other problem is counted in `stats` and skipped.
 */
export async function* evtxLogRecords(
  handle: PositionalReader,
  file: string,
  options: EvtxReadOptions,
  stats: EvtxStats,
): AsyncGenerator<EvtxRecord> {
  const verify = options.verifyChecksums ?? true;
  const maxIssues = options.maxIssues ?? DEFAULT_MAX_ISSUES;
  const sink: ChunkSink = {
    issue(issue: EvtxIssue): void {
      if (stats.issues.length < maxIssues) stats.issues.push(issue);
      else stats.issuesDropped++;
      if (issue.recordsLost !== null) stats.recordsSkipped += issue.recordsLost;
    },
  };
  stats.files++;
  let pending: Promise<{ bytesRead: number }> | null = null;
  try {
    const gaps = new RecordGaps(file, await readFileHeader(handle, file, stats, sink, verify));
    // Chunks lost without a readable record count wait for the end of the file: if their records then show up as
    // missing numbers, those count them, and the chunk's own issue must not count them a second time.
    const uncounted: EvtxIssue[] = [];
    const chunkIssue = (issue: EvtxIssue) => (issue.recordsLost === null ? uncounted.push(issue) : sink.issue(issue));
    // Two buffers: the next chunk is read from disk while the records of the current one are decoded.
    const buffers = [new Uint8Array(CHUNK_SIZE), new Uint8Array(CHUNK_SIZE)];
    const decoder = new ChunkDecoder();
    pending = handle.read(buffers[0], 0, CHUNK_SIZE, FILE_HEADER_BLOCK_SIZE);
    for (let index = 0, offset = FILE_HEADER_BLOCK_SIZE; pending !== null; index++, offset += CHUNK_SIZE) {
      const { bytesRead }: { bytesRead: number } = await pending;
      const chunk = buffers[index & 1];
      pending =
        bytesRead === CHUNK_SIZE ? handle.read(buffers[(index + 1) & 1], 0, CHUNK_SIZE, offset + CHUNK_SIZE) : null;
      stats.bytesRead += bytesRead;
      if (bytesRead === 0) break;
      if (bytesRead < CHUNK_SIZE) {
        gaps.slot();
        stats.chunksSkipped++;
        const range = chunkRecordRange(chunk, bytesRead);
        if (range !== null) gaps.cover(range[0], range[1]);
        const recordsLost = range === null ? null : range[1] - range[0] + 1;
        chunkIssue({
          file,
          chunk: index,
          offset,
          reason: 'chunk-truncated',
          detail: `file ends ${bytesRead} bytes into a ${CHUNK_SIZE}-byte chunk`,
          recordsLost,
        });
        break;
      }
      const check = checkChunk(chunk, file, index, offset, verify);
      if (!check.ok) {
        const zeroed = check.issue.reason === 'chunk-bad-magic' && isUnusedChunk(chunk);
        gaps.slot(zeroed && gaps.isDeclared(index));
        if (zeroed && !gaps.isDeclared(index)) {
          stats.chunksEmpty++;
        } else if (zeroed) {
          stats.chunksSkipped++; // its records are found missing by number once the file is read
        } else {
          stats.chunksSkipped++;
          chunkIssue(check.issue);
          const range = check.issue.recordsLost === null ? null : chunkRecordRange(chunk, CHUNK_SIZE);
          if (range !== null) gaps.cover(range[0], range[1]);
        }
        continue;
      }
      gaps.slot();
      stats.chunksRead++;
      const range = chunkRecordRange(chunk, CHUNK_SIZE);
      let first = Infinity;
      let last = -Infinity;
      for (const record of chunkRecords(decoder, chunk, check.freeSpace, file, index, offset, sink)) {
        stats.recordsRead++;
        first = Math.min(first, record.recordId);
        last = Math.max(last, record.recordId);
        yield record;
      }
      if (range !== null) gaps.cover(range[0], range[1]);
      else if (first <= last) gaps.cover(first, last); // header not verified: what was read is all that is known
    }
    stats.chunksSkipped += gaps.chunksMissing;
    const missing = gaps.issues();
    const countedByNumber = missing.some((issue) => issue.reason === 'records-missing');
    for (const issue of uncounted) {
      sink.issue(
        countedByNumber
          ? { ...issue, detail: `${issue.detail} (its records are among the missing record numbers)`, recordsLost: 0 }
          : issue,
      );
    }
    for (const issue of missing) sink.issue(issue);
  } finally {
    // A consumer that stops early leaves the prefetch in flight; let it land before the caller closes the handle.
    await pending?.catch(() => undefined);
  }
}
