/**
 * Streaming EVTX reader: one 64 KiB chunk decoded at a time (plus the next one being read), records decoded as
 * they are consumed. Corrupt or truncated chunks are skipped and reported in `stats`; only a file that is not
 * EVTX at all stops the read.
 */
import { open } from 'node:fs/promises';
import { expandPaths, type FolderFilter } from '../inputPaths.js';
import { FILE_MAGIC } from './layout.js';
import { evtxLogRecords, newEvtxStats, type EvtxReader, type EvtxReadOptions, type EvtxStats } from './logRecords.js';
import type { EvtxRecord } from './record.js';

export type { EvtxReader, EvtxReadOptions, EvtxStats } from './logRecords.js';

/**
 * Streams the event records of one `.evtx` file, in file order (chunk by chunk). Iterating throws
 * `EvtxFormatError` when the file is not an EVTX log; every other problem is counted in `stats` and skipped.
 */
export function readEvtx(path: string, options: EvtxReadOptions = {}): EvtxReader {
  return readEvtxFiles([path], options);
}

/**
 * Streams the records of several EVTX files one after another. Each path may be a file or a folder; a folder
 * contributes its `*.evtx` files (not recursing), in name order. Statistics are summed over all files.
 */
export function readEvtxFiles(paths: string | readonly string[], options: EvtxReadOptions = {}): EvtxReader {
  const stats = newEvtxStats();
  const list = typeof paths === 'string' ? [paths] : paths;
  return {
    stats,
    async *[Symbol.asyncIterator]() {
      for (const file of await expandPaths(list, EVTX_FILES)) yield* readOneFile(file, options, stats);
    },
  };
}

/** A folder contributes its `.evtx` files. */
const EVTX_FILES: FolderFilter = { accepts: (name) => name.toLowerCase().endsWith('.evtx'), what: '.evtx files' };

export async function isEvtxFile(path: string): Promise<boolean> {
  const handle = await open(path, 'r');
  try {
    const head = new Uint8Array(FILE_MAGIC.length);
    const { bytesRead } = await handle.read(head, 0, head.length, 0);
    return bytesRead === head.length && FILE_MAGIC.every((b, i) => head[i] === b);
  } finally {
    await handle.close();
  }
}

async function* readOneFile(file: string, options: EvtxReadOptions, stats: EvtxStats): AsyncGenerator<EvtxRecord> {
  const handle = await open(file, 'r');
  try {
    yield* evtxLogRecords(handle, file, options, stats);
  } finally {
    await handle.close();
  }
}
