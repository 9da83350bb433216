/**
 * The blocks of a CSV file with every column already read as plain decimals: the input of the numeric table reader
 * (the CLI's `score`, `fit`, `explain`, ...). With `threads` > 1 the file is tokenised and its numbers parsed on
 * pooled worker threads, part by part (`csvParts.ts`), and the blocks come back in file order.
 * On any number of threads the blocks hold the same records, fields, lines and values, and the same errors are
 * thrown; only where one block ends and the next starts may differ.
 */
import { stat } from 'node:fs/promises';
import { csvBlocks, type CsvBlock, type CsvBlockOptions } from './csvBlocks.js';
import { cutParts, PART_BYTES, readCsvHeader, readerThreads, repliesInOrder } from './csvParts.js';
import { partResult, type DecimalBlockData, type DecimalPartJob, type DecimalPartResult } from './csvPartJobs.js';
import { runPart } from './csvWorkerPool.js';
import { fileChunks, nodeBlockOptions } from './csvRecords.js';
import { readDecimalColumn } from './fieldValues.js';
import { CsvFields, type CsvLimits } from './tokenizer.js';

/** Options of `readCsvDecimalBlocks`. */
export interface CsvDecimalBlockOptions extends CsvLimits {
  /** Records per block at most; default 65,536. */
  readonly maxRecords?: number;
  /**
   * Threads; default 1. Not one per core for large files, as the user-day reader does: measured on a loaded 2-core
   * machine (the io-read benchmark), two threads read the 118 MB numeric file slower than one, and the workers spent
   * about twice the CPU time per byte of the one-thread reader on their first parts.
   */
  readonly threads?: number;
  /** Bytes per part a thread reads when `threads` > 1; default 16 MiB. */
  readonly partBytes?: number;
}

/**
 * A block of whole records (the header is record 0 of the first block, alone in it when read in parallel) and, per
 * column, each record's field as `readDecimalColumn` reads it: NaN where the field is not a plain decimal (and for
 * the header), for the caller's text parser to judge. `decimals` is `null` when a record's field count is not the
 * header's (the caller names the ragged row) and for a block of the header alone. The caller may keep `decimals`;
 * `bytes` and `fields` are valid until the next block is requested.
 */
export interface CsvDecimalBlock extends CsvBlock {
  readonly decimals: Float64Array[] | null;
}

const DEFAULT_MAX_RECORDS = 65_536;

/**
 * The shared buffers the workers read parts into, kept between reads: a fresh 16 MiB buffer per part cost a worker
 * more in page faults (profiled: its file reads) than tokenising the part. A read takes `threads + 1` and gives them
 * back only once every part's reply was taken, as a job still running writes into its buffer.
 */
const spareBuffers: SharedArrayBuffer[] = [];

/**
 * The blocks of the CSV file at `path` with their decimal columns. Throws an `IngestError` naming `label` and the
 * line for malformed quoting, invalid UTF-8 or a record over the limits, as `csvBlocks` does.
 */
export async function* readCsvDecimalBlocks(
  path: string,
  label: string,
  options: CsvDecimalBlockOptions = {},
): AsyncGenerator<CsvDecimalBlock> {
  const size = (await stat(path)).size;
  const threads = readerThreads(size, options.threads ?? 1);
  const head = threads > 1 ? await readCsvHeader(path, label, size, options) : null;
  if (head === null) {
    yield* decimalBlocksHere(fileChunks(path), label, nodeBlockOptions(withRecords(options)), null);
    return;
  }
  const width = head.fields.width(0);
  yield { bytes: head.bytes, fields: head.fields, decimals: null };
  const parts = await cutParts(path, head.end, size, options.partBytes ?? PART_BYTES);
  const limits = { maxRecordBytes: options.maxRecordBytes, maxColumns: options.maxColumns };
  // Part k's bytes go to buffer k % (threads + 1): part k + threads starts when part k's reply is taken, by which
  // time every block of part k - 1, the buffer's previous part, has been requested past.
  const buffers = spareBuffers.splice(0, threads + 1);
  const job = (k: number): DecimalPartJob => {
    const { start, end } = parts[k]!;
    const slot = k % (threads + 1);
    if ((buffers[slot]?.byteLength ?? -1) < end - start) buffers[slot] = new SharedArrayBuffer(end - start);
    return {
      kind: 'decimals',
      file: path,
      label,
      ...parts[k]!,
      width,
      maxRecords: options.maxRecords ?? DEFAULT_MAX_RECORDS,
      limits,
      buffer: buffers[slot]!,
    };
  };
  let lines = head.lines;
  let k = 0;
  for await (const reply of repliesInOrder(parts.length, threads, (k) => runPart(job(k), threads))) {
    const part = partResult<DecimalPartResult>(reply, label, lines);
    for (const data of part.blocks) yield blockOf(data, lines);
    const firstLine = lines + part.lines + 1;
    lines += part.lines;
    if (part.tail !== parts[k]!.end) {
      // The cut after this part was inside a quoted field: read the rest here, from the last whole record.
      yield* decimalBlocksHere(
        fileChunks(path, part.tail),
        label,
        nodeBlockOptions({ ...withRecords(options), firstLine, fileStart: false }),
        width,
      );
      return;
    }
    k++;
  }
  spareBuffers.push(...buffers);
}

function withRecords(options: CsvDecimalBlockOptions): CsvBlockOptions {
  return {
    maxRecords: options.maxRecords ?? DEFAULT_MAX_RECORDS,
    maxRecordBytes: options.maxRecordBytes,
    maxColumns: options.maxColumns,
  };
}

/** A worker's block as a `CsvDecimalBlock`, its lines shifted by the line feeds before its part. */
function blockOf(data: DecimalBlockData, lines: number): CsvDecimalBlock {
  const fields = new CsvFields();
  fields.starts = data.starts;
  fields.ends = data.ends;
  fields.escaped = data.escaped;
  fields.recordFirst = data.recordFirst;
  fields.recordLine = data.recordLine;
  fields.fieldCount = data.starts.length;
  fields.recordCount = data.recordLine.length;
  for (let r = 0; r < fields.recordCount; r++) fields.recordLine[r]! += lines;
  return { bytes: data.bytes, fields, decimals: data.decimals };
}

/**
 * The blocks of `chunks` read on this thread, with their decimal columns; `width` is the header's field count, or
 * `null` when the header is the first record here.
 */
async function* decimalBlocksHere(
  chunks: AsyncIterable<Uint8Array>,
  label: string,
  options: CsvBlockOptions,
  width: number | null,
): AsyncGenerator<CsvDecimalBlock> {
  for await (const block of csvBlocks(chunks, label, options)) {
    const { bytes, fields } = block;
    let first = 0;
    if (width === null) {
      width = fields.width(0);
      first = 1;
    }
    let ragged = false;
    for (let r = first; r < fields.recordCount && !ragged; r++) ragged = fields.width(r) !== width;
    if (ragged) {
      yield { bytes, fields, decimals: null };
      continue;
    }
    const decimals = Array.from({ length: width }, () => new Float64Array(fields.recordCount));
    for (let c = 0; c < width; c++) {
      decimals[c]![0] = NaN;
      readDecimalColumn(bytes, fields, first, c, decimals[c]!.subarray(first));
    }
    yield { bytes, fields, decimals };
  }
}
