/**
 * One part of an aggregated user-day CSV read on a worker thread: its `USER_DAY_SCHEMA` batches' typed arrays, with
 * the counts and the first rejected rows. A module of its own so that a worker reading numbers never loads Arrow.
 */
import { isUtf8 } from 'node:buffer';
import { createStats, MAX_FIRST_ERRORS } from '../stats.js';
import { csvBlocks, type CsvTail } from './csvBlocks.js';
import { problemOf, type UserDayPartJob, type UserDayPartResult } from './csvPartJobs.js';
import type { RowProblem } from './csvParts.js';
import { fileChunks } from './csvRecords.js';
import { batchArrays, type UserDayBatchArrays } from './userDayBatchArrays.js';
import { UserDayCsvRows } from './userDayRows.js';

/** Converts the part's records into batches, counting them and keeping the first rejected rows' problems. */
export async function readUserDayPart(job: UserDayPartJob): Promise<UserDayPartResult> {
  const stats = createStats();
  const rejects: RowProblem[] = [];
  const rows = new UserDayCsvRows(job.label, stats, job.options);
  rows.setHeader(job.header);
  rows.onReject = (error) => {
    stats.rowsRejected += 1;
    if (rejects.length < MAX_FIRST_ERRORS) rejects.push(problemOf(error));
  };
  const batches: UserDayBatchArrays[] = [];
  const blocks = csvBlocks(fileChunks(job.file, job.start, job.end), job.label, {
    ...job.options,
    isUtf8,
    maxRecords: job.options.batchRows,
    fileStart: false,
    fileEnd: job.last,
  });
  let step = await blocks.next();
  while (!step.done) {
    for (const batch of rows.add(step.value)) batches.push(batchArrays(batch));
    step = await blocks.next();
  }
  const tail: CsvTail = step.value;
  const last = rows.end();
  if (last !== null) batches.push(batchArrays(last));
  return { batches, stats, rejects, tail: job.start + tail.position, lines: tail.line - 1 };
}
