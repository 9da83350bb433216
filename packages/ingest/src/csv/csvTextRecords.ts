import { csvBlocks, type CsvBlockOptions } from './csvBlocks.js';
import { fieldText } from './fieldValues.js';

/** One parsed CSV record and the 1-based line it ends on (the header is line 1). */
export interface CsvRecord {
  readonly fields: string[];
  readonly line: number;
}

/**
 * The records of CSV bytes as strings, in order: for readers that need every field as text (raw event files,
 * whose columns are found by name per record). The header is the first record.
 */
export async function* csvRecordsOf(
  chunks: AsyncIterable<Uint8Array> | Iterable<Uint8Array>,
  label: string,
  options: CsvBlockOptions = {},
): AsyncGenerator<CsvRecord> {
  for await (const { bytes, fields } of csvBlocks(chunks, label, options)) {
    for (let r = 0; r < fields.recordCount; r++) {
      const values: string[] = [];
      for (let f = fields.recordFirst[r]!; f < fields.recordFirst[r + 1]!; f++) {
        values.push(fieldText(bytes, fields.starts[f]!, fields.ends[f]!, fields.escaped[f]!));
      }
      yield { fields: values, line: fields.recordLine[r]! };
    }
  }
}
