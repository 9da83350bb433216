/**
 * What the parallel CSV readers ask their worker threads (`csvPartWorker.ts`) to read, and what comes back.
 */
import { IngestError } from '../errors.js';
import type { IngestStats } from '../stats.js';
import type { PartRange, PartTail, RowProblem } from './csvParts.js';
import type { CsvLimits } from './tokenizer.js';
import type { UserDayBatchArrays } from './userDayBatchArrays.js';

/** A part of a user-day CSV to convert into user-day batches. */
export interface UserDayPartJob extends PartRange {
  kind: 'userDays';
  file: string;
  label: string;
  header: string[];
  options: { lenient: boolean; batchRows: number } & CsvLimits;
}

/** What a worker read of a user-day part: the batches' arrays, the counts and the first rejected rows. */
export interface UserDayPartResult extends PartTail {
  batches: UserDayBatchArrays[];
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
  /** Where the worker reads the part's bytes to (at least `end - start` long), shared with the main thread. */
  buffer: SharedArrayBuffer;
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
  decimals: Float64Array<ArrayBuffer>[] | null;
}

/** What a worker read of a decimal part. */
export interface DecimalPartResult extends PartTail {
  blocks: DecimalBlockData[];
}

export type PartJob = UserDayPartJob | DecimalPartJob;
export type PartReply = UserDayPartResult | DecimalPartResult | { error: RowProblem; bug: boolean };

/** An error a worker found, as it crosses to the main thread (which shifts its line). */
export function problemOf(error: IngestError): RowProblem {
  return { row: error.row, column: error.column, problem: error.problem };
}

/**
 * The result in `reply`, or the error a worker replied with thrown on the main thread: an IngestError at the file's
 * line (`lines` before the part), or, for a bug in the worker, a plain Error.
 */
export function partResult<R extends UserDayPartResult | DecimalPartResult>(
  reply: PartReply,
  label: string,
  lines: number,
): R {
  if (!('error' in reply)) return reply as R;
  const { row, column, problem } = reply.error;
  if (reply.bug) throw new Error(`CSV reader worker failed: ${problem}`);
  throw new IngestError(label, row === null ? null : row + lines, column, problem);
}
