/**
 * The worker thread of the parallel CSV readers (`csvWorkerPool.ts` starts it): reads one part of a file (whole
 * records, as the main thread cut it) and posts back what the reader on the main thread needs, with where its last
 * whole record ended. Lines are counted from 1 at the part's start; the main thread shifts them.
 * - `userDays`: the part's `USER_DAY_SCHEMA` batches as their typed arrays (moved, not copied), with the counts and
 *   the first rejected rows.
 * - `decimals`: the part's bytes and field ranges in blocks, with every column of each block read as plain decimals
 *   (`readDecimalColumn`), so that the main thread only checks and assembles.
 */
import { isUtf8 } from 'node:buffer';
import { closeSync, openSync, readSync } from 'node:fs';
import { parentPort } from 'node:worker_threads';
import { IngestError } from '../errors.js';
import { csvBlocks, type CsvBlock } from './csvBlocks.js';
import {
  problemOf,
  type DecimalBlockData,
  type DecimalPartJob,
  type DecimalPartResult,
  type PartJob,
  type UserDayPartResult,
} from './csvPartJobs.js';
import { readDecimalColumn } from './fieldValues.js';
import { CsvFields } from './tokenizer.js';

/** A block's field ranges copied out (the tokenizer reuses its arrays) and its columns read as decimals. */
function decimalBlock({ bytes, fields }: CsvBlock, width: number): DecimalBlockData {
  const records = fields.recordCount;
  let ragged = false;
  for (let r = 0; r < records && !ragged; r++) ragged = fields.width(r) !== width;
  const decimals = ragged
    ? null
    : Array.from({ length: width }, (_, c) => {
        const values = new Float64Array(records);
        readDecimalColumn(bytes, fields, 0, c, values);
        return values;
      });
  return {
    bytes,
    starts: fields.starts.slice(0, fields.fieldCount),
    ends: fields.ends.slice(0, fields.fieldCount),
    escaped: fields.escaped.slice(0, fields.fieldCount),
    recordFirst: fields.recordFirst.slice(0, records + 1),
    recordLine: fields.recordLine.slice(0, records),
    decimals,
  };
}

/** The field ranges of every decimal part this worker reads: grown once, then reused. */
const partFields = new CsvFields();

async function readDecimalPart(job: DecimalPartJob): Promise<DecimalPartResult> {
  // The part is read whole (it is a few batches): the tokenizer then scans it where it is, and its blocks share it.
  // Read synchronously: this thread has nothing else to do meanwhile, and a read through the thread pool shared by
  // every thread of the process waited there for longer than the copy takes.
  const bytes = new Uint8Array(job.buffer, 0, job.end - job.start);
  const fd = openSync(job.file, 'r');
  try {
    let at = 0;
    while (at < bytes.length) {
      const read = readSync(fd, bytes, at, bytes.length - at, job.start + at);
      if (read === 0) throw new Error(`${job.file} shrank while it was read`);
      at += read;
    }
  } finally {
    closeSync(fd);
  }
  const blocks: DecimalBlockData[] = [];
  const reader = csvBlocks([bytes], job.label, {
    ...job.limits,
    isUtf8,
    maxRecords: job.maxRecords,
    fileStart: false,
    fileEnd: job.last,
    fields: partFields,
  });
  let step = await reader.next();
  while (!step.done) {
    blocks.push(decimalBlock(step.value, job.width));
    step = await reader.next();
  }
  return { blocks, tail: job.start + step.value.position, lines: step.value.line - 1 };
}

/** The buffers a reply hands over rather than copies. */
function transfers(reply: UserDayPartResult | DecimalPartResult): ArrayBuffer[] {
  const buffers = new Set<ArrayBuffer>();
  if ('batches' in reply) {
    for (const { columns } of reply.batches)
      for (const column of columns)
        for (const view of 'values' in column ? [column.values] : [column.offsets, column.bytes])
          buffers.add(view.buffer as ArrayBuffer);
    return [...buffers];
  }
  for (const block of reply.blocks) {
    for (const array of [block.bytes, block.starts, block.ends, block.escaped, block.recordFirst, block.recordLine])
      // The part's bytes are shared already; only the last record of a file, carried in a buffer of its own, moves.
      if (array.buffer instanceof ArrayBuffer) buffers.add(array.buffer);
    for (const values of block.decimals ?? []) buffers.add(values.buffer);
  }
  return [...buffers];
}

/** A user-day part's reader, loaded (with Arrow) by the first user-day job. */
const userDayPart = () => import('./userDayPart.js');

parentPort!.on('message', (job: PartJob) => {
  const read =
    job.kind === 'userDays' ? userDayPart().then(({ readUserDayPart }) => readUserDayPart(job)) : readDecimalPart(job);
  read.then(
    (result) => parentPort!.postMessage(result, transfers(result)),
    (error: unknown) => {
      const failure =
        error instanceof IngestError ? problemOf(error) : { row: null, column: null, problem: String(error) };
      parentPort!.postMessage({ error: failure, bug: !(error instanceof IngestError) });
    },
  );
});
