import { Field, makeVector, type RecordBatch, Schema, Float64, Utf8, type Data } from 'apache-arrow';
import { emptyData, structBatch } from '@isoforest/common/arrow';
import {
  bytesView,
  fieldText,
  IngestError,
  parseDecimalBytes,
  readCsvDecimalBlocks,
  Utf8ColumnBuilder,
  type CsvBlock,
  type CsvDecimalBlock,
} from '@isoforest/ingest';
import { checkNumber, FLOAT32_MAX, parseNumberCell } from './numbers.js';

export interface CsvTableOptions {
  /**
   * Columns that must hold finite numbers; they become Float64. Without it, a column is numeric when every cell of
   * the first batch parses as a number. Every other column is kept as text (Utf8), exactly as written.
   */
  readonly numericColumns?: readonly string[];
  /** Rows per record batch at most: memory is bounded by this, not by the file. */
  readonly batchRows?: number;
  /** Threads that tokenise and parse; default 1 (see `readCsvDecimalBlocks`). */
  readonly threads?: number;
  /** Bytes per part a thread reads when `threads` > 1; default 16 MiB. */
  readonly partBytes?: number;
}

const DEFAULT_BATCH_ROWS = 65_536;

/**
 * Streams a CSV file with a header row as Arrow record batches of one schema, through ingest's columnar reader:
 * each block of records becomes one batch, numbers parsed from the bytes into Float64 arrays (on several threads
 * when asked, `readCsvDecimalBlocks`) and text copied as UTF-8 bytes into Utf8 columns. A ragged row, a missing
 * numeric column or a cell that is not a finite number stops the read with an `IngestError` naming the file, line
 * and column.
 */
export async function* readCsvBatches(path: string, options: CsvTableOptions = {}): AsyncGenerator<RecordBatch> {
  const maxRecords = options.batchRows ?? DEFAULT_BATCH_ROWS;
  let header: string[] | undefined;
  let numeric: boolean[] | undefined;
  let emitted = false;
  const blocks = readCsvDecimalBlocks(path, path, {
    maxRecords,
    threads: options.threads,
    partBytes: options.partBytes,
  });
  for await (const block of blocks) {
    const { bytes, fields } = block;
    let first = 0;
    if (!header) {
      header = [];
      for (let f = fields.recordFirst[0]!; f < fields.recordFirst[1]!; f++) {
        header.push(fieldText(bytes, fields.starts[f]!, fields.ends[f]!, fields.escaped[f]!).trim());
      }
      checkHeader(path, header, options.numericColumns);
      first = 1;
      if (fields.recordCount === 1) continue;
    }
    for (let r = first; r < fields.recordCount; r++) {
      if (fields.width(r) !== header.length) {
        throw new IngestError(
          path,
          fields.recordLine[r]!,
          null,
          `expected ${header.length} fields, found ${fields.width(r)}`,
        );
      }
    }
    numeric ??= numericColumns(header, block, first, options.numericColumns);
    yield toBatch(path, header, numeric, block, first);
    emitted = true;
  }
  if (!header) throw new IngestError(path, null, null, 'the file is empty (no header row)');
  if (!emitted) {
    numeric ??= header.map((name) => options.numericColumns?.includes(name) ?? false);
    yield emptyBatch(header, numeric);
  }
}

function checkHeader(path: string, header: string[], required: readonly string[] | undefined): void {
  const seen = new Set<string>();
  header.forEach((name, index) => {
    if (name === '') throw new IngestError(path, 1, null, `column ${index + 1} has an empty name`);
    if (seen.has(name)) throw new IngestError(path, 1, name, 'the column appears twice in the header');
    seen.add(name);
  });
  const missing = (required ?? []).filter((name) => !seen.has(name));
  if (missing.length > 0) throw new IngestError(path, 1, null, missingColumns(missing));
}

/** `missing column 'a'` or `missing columns 'a', 'b'`. */
export function missingColumns(names: readonly string[]): string {
  return `missing column${names.length > 1 ? 's' : ''} ${names.map((name) => `'${name}'`).join(', ')}`;
}

/** The value of field `f`, or why it is not a number the model can take; `view` is the block's bytes as a DataView. */
function numberAt({ bytes, fields }: CsvBlock, view: DataView, f: number): number | string {
  const start = fields.starts[f]!;
  const end = fields.ends[f]!;
  const fast = parseDecimalBytes(bytes, start, end, view);
  return fast === null
    ? parseNumberCell(fieldText(bytes, start, end, fields.escaped[f]!))
    : checkNumber(fast, () => fieldText(bytes, start, end, 0));
}

function numericColumns(
  header: string[],
  block: CsvDecimalBlock,
  first: number,
  required: readonly string[] | undefined,
): boolean[] {
  if (required) return header.map((name) => required.includes(name));
  const { fields } = block;
  const decimals = block.decimals!;
  const view = bytesView(block.bytes);
  return header.map((_, c) =>
    decimals[c]!.subarray(first).every(
      (v, r) =>
        Math.abs(v) <= FLOAT32_MAX || typeof numberAt(block, view, fields.recordFirst[first + r]! + c) === 'number',
    ),
  );
}

function toBatch(
  path: string,
  header: string[],
  numeric: boolean[],
  block: CsvDecimalBlock,
  first: number,
): RecordBatch {
  const { bytes, fields, decimals } = block;
  const rows = fields.recordCount - first;
  const view = bytesView(bytes);
  const children: Data[] = header.map((name, c) => {
    if (numeric[c]) {
      const values = decimals![c]!.subarray(first);
      for (let r = 0; r < rows; r++) {
        // What the column reader left (NaN) or the model cannot take is read again as text, which names the problem.
        if (Math.abs(values[r]!) <= FLOAT32_MAX) continue;
        const parsed = numberAt(block, view, fields.recordFirst[first + r]! + c);
        if (typeof parsed === 'string') throw new IngestError(path, fields.recordLine[first + r]!, name, parsed);
        values[r] = parsed;
      }
      return makeVector(values).data[0]!;
    }
    const text = new Utf8ColumnBuilder(rows);
    for (let r = 0; r < rows; r++) {
      const f = fields.recordFirst[first + r]! + c;
      text.append(bytes, fields.starts[f]!, fields.ends[f]!, fields.escaped[f]!);
    }
    return text.finish();
  });
  const schema = new Schema(header.map((name, c) => new Field(name, numeric[c] ? new Float64() : new Utf8(), false)));
  return structBatch(schema, children, rows);
}

function emptyBatch(header: string[], numeric: boolean[]): RecordBatch {
  const schema = new Schema(header.map((name, c) => new Field(name, numeric[c] ? new Float64() : new Utf8(), false)));
  return structBatch(
    schema,
    schema.fields.map((field) => emptyData(field.type)),
    0,
  );
}
