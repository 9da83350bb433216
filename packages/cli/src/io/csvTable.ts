import { createReadStream } from 'node:fs';
import { pipeline, Transform, type TransformCallback } from 'node:stream';
import { parse } from 'csv-parse';
import { makeVector, RecordBatch, Table, Utf8, vectorFromArray, type Vector } from 'apache-arrow';
import { InputFileError } from './inputError.js';
import { parseNumberCell } from './numbers.js';

export interface CsvTableOptions {
  /**
   * Columns that must hold finite numbers; they become Float64. Without it, a column is numeric when every cell of
   * the first batch parses as a number. Every other column is kept as text (Utf8), exactly as written.
   */
  readonly numericColumns?: readonly string[];
  /** Rows per record batch: memory is bounded by this, not by the file. */
  readonly batchRows?: number;
}

const DEFAULT_BATCH_ROWS = 65_536;

/**
 * Streams a CSV file with a header row as Arrow record batches of one schema. The file may start with a UTF-8 BOM
 * and use CRLF. A ragged row, bytes that are not UTF-8, a missing numeric column or a cell that is not a finite
 * number stops the read with an {@link InputFileError} naming the file, line and column.
 */
export async function* readCsvBatches(path: string, options: CsvTableOptions = {}): AsyncGenerator<RecordBatch> {
  const batchRows = options.batchRows ?? DEFAULT_BATCH_ROWS;
  // pipeline() forwards an error from any stage (a missing file, bad bytes) to the parser we iterate.
  const parser = pipeline(
    createReadStream(path),
    new Utf8Decoder(path),
    parse({ bom: true, info: true, skip_empty_lines: true, relax_column_count: true }),
    () => {},
  );
  let header: string[] | undefined;
  let numeric: boolean[] | undefined;
  let cells: string[][] = [];
  let lines: number[] = [];
  try {
    for await (const { record, info } of parser as AsyncIterable<{ record: string[]; info: { lines: number } }>) {
      if (!header) {
        header = record.map((name) => name.trim());
        checkHeader(path, header, options.numericColumns);
        continue;
      }
      if (record.length !== header.length) {
        throw new InputFileError(path, `expected ${header.length} fields, found ${record.length}`, info.lines);
      }
      cells.push(record);
      lines.push(info.lines);
      if (cells.length === batchRows) {
        numeric ??= numericColumns(header, cells, options.numericColumns);
        yield toBatch(path, header, numeric, cells, lines);
        cells = [];
        lines = [];
      }
    }
  } catch (error) {
    throw asInputError(path, error);
  }
  if (!header) throw new InputFileError(path, 'the file is empty (no header row)');
  if (cells.length > 0 || numeric === undefined) {
    numeric ??= numericColumns(header, cells, options.numericColumns);
    yield toBatch(path, header, numeric, cells, lines);
  }
}

/** Reads a whole CSV file into one table (for fitting, which needs every row at once). */
export async function readCsvTable(path: string, options: CsvTableOptions = {}): Promise<Table> {
  const batches: RecordBatch[] = [];
  for await (const batch of readCsvBatches(path, options)) batches.push(batch);
  return new Table(batches);
}

function checkHeader(path: string, header: string[], required: readonly string[] | undefined): void {
  const seen = new Set<string>();
  header.forEach((name, index) => {
    if (name === '') throw new InputFileError(path, `column ${index + 1} has an empty name`, 1);
    if (seen.has(name)) throw new InputFileError(path, `column '${name}' appears twice in the header`, 1);
    seen.add(name);
  });
  const missing = (required ?? []).filter((name) => !seen.has(name));
  if (missing.length > 0) {
    throw new InputFileError(path, `missing column${missing.length > 1 ? 's' : ''} ${missing.map((m) => `'${m}'`).join(', ')}`, 1);
  }
}

function numericColumns(header: string[], cells: string[][], required: readonly string[] | undefined): boolean[] {
  if (required) return header.map((name) => required.includes(name));
  return header.map((_, c) => cells.length > 0 && cells.every((row) => typeof parseNumberCell(row[c]) === 'number'));
}

function toBatch(path: string, header: string[], numeric: boolean[], cells: string[][], lines: number[]): RecordBatch {
  const columns: Record<string, Vector> = {};
  header.forEach((name, c) => {
    if (numeric[c]) {
      const values = new Float64Array(cells.length);
      for (let r = 0; r < cells.length; r++) {
        const parsed = parseNumberCell(cells[r][c]);
        if (typeof parsed === 'string') throw new InputFileError(path, parsed, lines[r], name);
        values[r] = parsed;
      }
      columns[name] = makeVector(values);
    } else {
      columns[name] = vectorFromArray(cells.map((row) => row[c]), new Utf8());
    }
  });
  return new Table(columns).batches[0] ?? emptyBatch(header, numeric);
}

function emptyBatch(header: string[], numeric: boolean[]): RecordBatch {
  const columns: Record<string, Vector> = {};
  header.forEach((name, c) => {
    columns[name] = numeric[c] ? makeVector(new Float64Array(0)) : vectorFromArray([] as string[], new Utf8());
  });
  return new Table(columns).batches[0] as RecordBatch;
}

function asInputError(path: string, error: unknown): unknown {
  if (error instanceof InputFileError) return error;
  const code = (error as { code?: string }).code;
  if (code === 'ENOENT') return new InputFileError(path, 'no such file');
  if (code === 'EISDIR') return new InputFileError(path, 'is a folder, not a file');
  if (code === 'EACCES') return new InputFileError(path, 'permission denied');
  if (typeof code === 'string' && code.startsWith('CSV_')) {
    const line = (error as { lines?: number }).lines;
    return new InputFileError(path, `malformed CSV (${(error as Error).message.replace(/^Invalid [^:]*: /, '')})`, line);
  }
  return error;
}

/** Decodes a byte stream as strict UTF-8, so that a Latin-1 or binary file is refused instead of misread. */
class Utf8Decoder extends Transform {
  private readonly decoder = new TextDecoder('utf-8', { fatal: true, ignoreBOM: true });
  private offset = 0;

  constructor(private readonly path: string) {
    super({ readableObjectMode: false, decodeStrings: true });
  }

  override _transform(chunk: Buffer, _encoding: BufferEncoding, done: TransformCallback): void {
    try {
      this.push(this.decoder.decode(chunk, { stream: true }));
      this.offset += chunk.length;
      done();
    } catch {
      done(new InputFileError(this.path, `is not UTF-8 text (invalid bytes within bytes ${this.offset}-${this.offset + chunk.length})`));
    }
  }

  override _flush(done: TransformCallback): void {
    try {
      this.push(this.decoder.decode());
      done();
    } catch {
      done(new InputFileError(this.path, 'is not UTF-8 text (it ends inside a character)'));
    }
  }
}
