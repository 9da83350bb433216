import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { CsvError, parse } from 'csv-parse';
import { IngestError } from '../errors.js';
import { readUtf8Chunks } from '../textStream.js';
import { CSV_PARSE_OPTIONS, malformedCsvError } from './csvParsing.js';

/** One parsed CSV record and the 1-based line it ends on (the header is line 1). */
export interface CsvRecord {
  readonly fields: string[];
  readonly line: number;
}

/**
 * Streams the records of a UTF-8 CSV file (BOM or not, CRLF or LF) through `csv-parse`; the header is the first
 * record. Field counts are not checked here (callers name the ragged row). Malformed quoting and bad bytes throw
 * an `IngestError` with the line.
 */
export async function* readCsvRecords(file: string, label = file): AsyncGenerator<CsvRecord> {
  const parser = parse({ ...CSV_PARSE_OPTIONS, info: true });
  const feeding = pipeline(Readable.from(readUtf8Chunks(file, label)), parser).catch(() => {
    // The same error surfaces from the parser's iterator below.
  });
  try {
    for await (const item of parser as AsyncIterable<{ record: string[]; info: { lines: number } }>) {
      yield { fields: item.record, line: item.info.lines };
    }
  } catch (error) {
    if (error instanceof IngestError) throw error;
    if (error instanceof CsvError) throw malformedCsvError(label, error);
    throw error;
  } finally {
    parser.destroy();
    await feeding;
  }
}
