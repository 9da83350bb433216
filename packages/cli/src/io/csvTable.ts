import { makeVector, type RecordBatch, Table, Utf8, vectorFromArray, type Vector } from 'apache-arrow';
import { IngestError, readCsvRecords } from '@isoforest/ingest';
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
 * Streams a CSV file with a header row as Arrow record batches of one schema. Tokenising and UTF-8 checking are
 * ingest's (`readCsvRecords`); this adds the columns' types. A ragged row, a missing numeric column or a cell that
 * is not a finite number stops the read with an `IngestError` naming the file, line and column.
 */
export async function* readCsvBatches(path: string, options: CsvTableOptions = {}): AsyncGenerator<RecordBatch> {
  const batchRows = options.batchRows ?? DEFAULT_BATCH_ROWS;
  let header: string[] | undefined;
  let numeric: boolean[] | undefined;
  let cells: string[][] = [];
  let lines: number[] = [];
  for await (const { fields, line } of readCsvRecords(path)) {
    if (!header) {
      header = fields.map((name) => name.trim());
      checkHeader(path, header, options.numericColumns);
      continue;
    }
    if (fields.length !== header.length) {
      throw new IngestError(path, line, null, `expected ${header.length} fields, found ${fields.length}`);
    }
    cells.push(fields);
    lines.push(line);
    if (cells.length === batchRows) {
      numeric ??= numericColumns(header, cells, options.numericColumns);
      yield toBatch(path, header, numeric, cells, lines);
      cells = [];
      lines = [];
    }
  }
  if (!header) throw new IngestError(path, null, null, 'the file is empty (no header row)');
  if (cells.length > 0 || numeric === undefined) {
    numeric ??= numericColumns(header, cells, options.numericColumns);
    yield toBatch(path, header, numeric, cells, lines);
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
        if (typeof parsed === 'string') throw new IngestError(path, lines[r], name, parsed);
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
