/**
 * Raw-event files on disk, their format decided from their content (`./eventContent.ts`). Node reads a whole file
 * by path: CSV through the native UTF-8 check, EVTX and Parquet by position in the file; an EVTX archive member is
 * spooled to a temporary file first, and a Parquet member is refused (its footer, at the end, must be read first).
 */
import { createReadStream } from 'node:fs';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { fileChunks, nodeBlockOptions } from '../csv/csvRecords.js';
import { IngestError } from '../errors.js';
import { parquetFileEventRecords } from '../parquet/parquetFiles.js';
import type { EventStreamItem } from './aggregate.js';
import { inputItems, type EventInputOptions, type InputHost } from './eventContent.js';
import { evtxEventRecords } from './evtxEventRecords.js';

/** An `.evtx` that is not a file on disk (an archive member) is spooled to a temporary file, read, and removed. */
async function* spooledEvtxRecords(label: string, bytes: AsyncIterable<Uint8Array>): AsyncGenerator<EventStreamItem> {
  const dir = await mkdtemp(join(tmpdir(), 'isoforest-evtx-'));
  const file = join(dir, 'member.evtx');
  try {
    await writeFile(file, Readable.from(bytes));
    for await (const item of evtxEventRecords(file)) {
      if ('lost' in item) yield { lost: item.lost, message: item.message.split(file).join(label) };
      else yield { record: item.record, where: { file: label, row: item.where.row } };
    }
  } catch (error) {
    if (error instanceof IngestError && error.file === file)
      throw new IngestError(label, error.row, error.column, error.problem);
    throw error;
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

/** Inputs as files on disk. */
const NODE_HOST: InputHost<string> = {
  csvOptions: nodeBlockOptions(),
  wholeBytes: fileChunks,
  evtx: (label, file, bytes) => (file === null ? spooledEvtxRecords(label, bytes) : evtxEventRecords(file)),
  parquet(label, file) {
    if (file === null)
      throw new IngestError(label, null, null, 'a Parquet file inside an archive is not read (unpack it first)');
    return parquetFileEventRecords(file);
  },
};

/** The flat records of one event file of any supported format, and of every event member of an archive. */
export function eventFileRecords(file: string, options: EventInputOptions = {}): AsyncGenerator<EventStreamItem> {
  return inputItems(file, fileBytes(file), file, NODE_HOST, options);
}

/** A file's bytes; a file that cannot be opened or read is an `IngestError` naming it. */
async function* fileBytes(file: string): AsyncGenerator<Uint8Array> {
  try {
    yield* createReadStream(file, { highWaterMark: 64 * 1024 }) as AsyncIterable<Uint8Array>;
  } catch (error) {
    const e = error as NodeJS.ErrnoException;
    if (typeof e.code !== 'string') throw error;
    throw new IngestError(file, null, null, e.code === 'ENOENT' ? 'no such file' : `cannot be read (${e.code})`);
  }
}
