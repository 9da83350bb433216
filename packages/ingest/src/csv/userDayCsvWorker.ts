/**
 * The worker thread of the parallel user-day CSV reader: reads one part of a file (whole records, as the main
 * thread split it) into `USER_DAY_SCHEMA` batches and posts them back as Arrow IPC bytes, with the counts, the
 * first rejected rows and where its last whole record ended. Lines are counted from 1 at the part's start; the
 * main thread shifts them.
 */
import { isUtf8 } from 'node:buffer';
import { createReadStream } from 'node:fs';
import { parentPort } from 'node:worker_threads';
import { Table, tableToIPC, type RecordBatch } from 'apache-arrow';
import { IngestError } from '../errors.js';
import { createStats, MAX_FIRST_ERRORS } from '../stats.js';
import { csvBlocks, type CsvTail } from './csvBlocks.js';
import type { PartJob, PartResult, RowProblem } from './parallelUserDayCsv.js';
import { UserDayCsvRows } from './userDayRows.js';

function problemOf(error: IngestError): RowProblem {
  return { row: error.row, column: error.column, problem: error.problem };
}

async function readPart(job: PartJob): Promise<PartResult> {
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

parentPort!.on('message', (job: PartJob) => {
  readPart(job).then(
    (result) => parentPort!.postMessage(result, result.ipc ? [result.ipc.buffer as ArrayBuffer] : []),
    (error: unknown) => {
      const failure =
        error instanceof IngestError ? problemOf(error) : { row: null, column: null, problem: String(error) };
      parentPort!.postMessage({ error: failure, bug: !(error instanceof IngestError) });
    },
  );
});
