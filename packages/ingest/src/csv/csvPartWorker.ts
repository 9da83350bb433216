/**
 * The worker thread of the parallel CSV readers (`csvWorkerPool.ts` starts it): reads one part of a file (whole
 * records, as the main thread cut it) and posts back what the reader on the main thread needs, with where its last
 * whole record ended. Lines are counted from 1 at the part's start; the main thread shifts them.
 * - `userDays`: the part's `USER_DAY_SCHEMA` batches as Arrow IPC bytes, with the counts and the first rejected rows.
 * - `decimals`: the part's bytes and field ranges in blocks, with every column of each block read as plain decimals
 *   (`readDecimalColumn`), so that the main thread only checks and assembles.
 */
import { isUtf8 } from 'node:buffer';
import { createReadStream } from 'node:fs';
import { open } from 'node:fs/promises';
import { parentPort } from 'node:worker_threads';
import { Table, tableToIPC, type RecordBatch } from 'apache-arrow';
import { IngestError } from '../errors.js';
import { createStats, MAX_FIRST_ERRORS, type IngestStats } from '../stats.js';
import { csvBlocks, type CsvBlock, type CsvTail } from './csvBlocks.js';
import type { PartRange, PartTail, RowProblem } from './csvParts.js';
import { readDecimalColumn } from './fieldValues.js';
import { CsvFields, type CsvLimits } from './tokenizer.js';
import { UserDayCsvRows } from './userDayRows.js';

/** A part of a user-day CSV to convert into user-day batches. */
export interface UserDayPartJob extends PartRange {
  kind: 'userDays';
  file: string;
  label: string;
  header: string[];
  options: { lenient: boolean; batchRows: number } & CsvLimits;
}

/** What a worker read of a user-day part: the batches as Arrow IPC, the counts and the first rejected rows. */
export interface UserDayPartResult extends PartTail {
  ipc: Uint8Array | null;
  stats: IngestStats;
  rejects: RowProblem[];
}

/** A part of a CSV file to tokenise, every column read as plain decimals when its records have `width` fields. */
export interface DecimalPartJob extends PartRange {
  kind: 'decimals';
  file: string;
  label: string;
  width: number;
  maxRecords: number;
  limits: CsvLimits;
}

/** One block of a decimal part: a `CsvBlock`'s bytes and field ranges, and each column's values. */
export interface DecimalBlockData {
  bytes: Uint8Array;
  starts: Int32Array<ArrayBuffer>;
  ends: Int32Array<ArrayBuffer>;
  escaped: Uint8Array<ArrayBuffer>;
  recordFirst: Int32Array<ArrayBuffer>;
  recordLine: Int32Array<ArrayBuffer>;
  /**
   * Per column, the value of each record's field, NaN where it is not a plain decimal (`readDecimalColumn`); `null`
   * when a record of the block is ragged (the reader names it).
   */
  decimals: Float64Array[] | null;
}

/** What a worker read of a decimal part. */
export interface DecimalPartResult extends PartTail {
  blocks: DecimalBlockData[];
}

export type PartJob = UserDayPartJob | DecimalPartJob;
export type PartReply = UserDayPartResult | DecimalPartResult | { error: RowProblem; bug: boolean };

function problemOf(error: IngestError): RowProblem {
  return { row: error.row, column: error.column, problem: error.problem };
}

async function readUserDayPart(job: UserDayPartJob): Promise<UserDayPartResult> {
  const stats = createStats();
  const rejects: RowProblem[] = [];
  const rows = new UserDayCsvRows(job.label, stats, job.options);
  rows.setHeader(job.header);
  rows.onReject = (error) => {
    stats.rowsRejected += 1;
    if (rejects.length < MAX_FIRST_ERRORS) rejects.push(problemOf(error));
  };
  const batches: RecordBatch[] = [];
  const chunks = createReadStream(job.file, { start: job.start, end: job.end - 1, highWaterMark: 1 << 20 });
  const blocks = csvBlocks(chunks as AsyncIterable<Uint8Array>, job.label, {
    ...job.options,
    isUtf8,
    maxRecords: job.options.batchRows,
    fileStart: false,
    fileEnd: job.last,
  });
  let step = await blocks.next();
  while (!step.done) {
    batches.push(...rows.add(step.value));
    step = await blocks.next();
  }
  const tail: CsvTail = step.value;
  const last = rows.end();
  if (last !== null) batches.push(last);
  const ipc = batches.length > 0 ? tableToIPC(new Table(batches), 'stream') : null;
  return { ipc, stats, rejects, tail: job.start + tail.position, lines: tail.line - 1 };
}

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
  const bytes = new Uint8Array(job.end - job.start);
  const handle = await open(job.file);
  try {
    let at = 0;
    while (at < bytes.length) {
      const { bytesRead } = await handle.read(bytes, at, bytes.length - at, job.start + at);
      if (bytesRead === 0) throw new Error(`${job.file} shrank while it was read`);
      at += bytesRead;
    }
  } finally {
    await handle.close();
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
  if ('ipc' in reply) return reply.ipc ? [reply.ipc.buffer as ArrayBuffer] : [];
  const buffers = new Set<ArrayBuffer>();
  for (const block of reply.blocks) {
    for (const array of [block.bytes, block.starts, block.ends, block.escaped, block.recordFirst, block.recordLine])
      buffers.add(array.buffer as ArrayBuffer);
    for (const values of block.decimals ?? []) buffers.add(values.buffer as ArrayBuffer);
  }
  return [...buffers];
}

parentPort!.on('message', (job: PartJob) => {
  (job.kind === 'userDays' ? readUserDayPart(job) : readDecimalPart(job)).then(
    (result) => parentPort!.postMessage(result, transfers(result)),
    (error: unknown) => {
      const failure =
        error instanceof IngestError ? problemOf(error) : { row: null, column: null, problem: String(error) };
      parentPort!.postMessage({ error: failure, bug: !(error instanceof IngestError) });
    },
  );
});
