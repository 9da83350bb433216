/**
 * The aggregated user-day CSV reader for text already in memory (a file a browser page was given): the same
 * conversion and counts as `readUserDayCsv`, tokenised by csv-parse's browser build, so no Node built-ins.
 */
import type { RecordBatch } from 'apache-arrow';
import { CsvError, parse } from 'csv-parse/browser/esm/sync';
import type { UserDayTypeMap } from '../schema.js';
import { makeSource, type UserDaySource } from '../source.js';
import { createStats } from '../stats.js';
import { CSV_PARSE_OPTIONS, malformedCsvError } from './csvParsing.js';
import { UserDayCsvRows, type UserDayCsvOptions } from './userDayRows.js';

/** Options of `readUserDayCsvText`: the file name is required, as there is no path to name. */
export interface UserDayCsvTextOptions extends UserDayCsvOptions {
  /** The name errors use for the text, e.g. the picked file's name. */
  label: string;
}

/**
 * Reads the text of an aggregated user-day CSV (BOM or not, CRLF or LF) as `USER_DAY_SCHEMA` batches, exactly as
 * `readUserDayCsv` reads the same bytes from a file: the same columns, errors (`file:row:column: what is wrong`,
 * named by `options.label`), lenient mode and `stats`. The text is parsed when the source is first iterated;
 * rows are converted as they are tokenised, so only the batches are held besides the text.
 */
export function readUserDayCsvText(text: string, options: UserDayCsvTextOptions): UserDaySource {
  const stats = createStats();
  return makeSource(stats, async function* () {
    const rows = new UserDayCsvRows(options.label, stats, options);
    const batches: RecordBatch<UserDayTypeMap>[] = [];
    try {
      parse(text, {
        ...CSV_PARSE_OPTIONS,
        // Converts each record as it is tokenised and drops it (null), so the parser keeps no array of records.
        on_record: (fields: string[], context: { lines: number }) => {
          const batch = rows.add(fields, context.lines);
          if (batch !== null) batches.push(batch);
          return null;
        },
      });
    } catch (error) {
      if (error instanceof CsvError) throw malformedCsvError(options.label, error);
      throw error;
    }
    const last = rows.end();
    if (last !== null) batches.push(last);
    yield* batches;
  });
}
