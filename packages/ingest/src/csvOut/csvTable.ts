import type { Table } from 'apache-arrow';
import { CsvEncoder, type CsvEncoderOptions } from './csvBytes.js';

/**
 * A table in memory as CSV text, byte for byte what `writeCsv` writes to a file (the same encoder: shortest
 * round-trip numbers, dates, formula-neutralised text). For a browser page's downloads; no Node built-ins.
 */
export function tableCsv(table: Table, options: CsvEncoderOptions = {}): string {
  const encoder = new CsvEncoder(options);
  encoder.header(table.schema);
  for (const batch of table.batches) encoder.rows(batch, 0, batch.numRows);
  const decoder = new TextDecoder();
  return (
    encoder.out
      .take()
      .map((chunk) => decoder.decode(chunk, { stream: true }))
      .join('') + decoder.decode()
  );
}
