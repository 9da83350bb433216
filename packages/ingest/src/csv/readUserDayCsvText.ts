/**
 * The aggregated user-day CSV reader for a file already in memory (a file a browser page was given), as bytes or
 * as text: the same conversion, errors and counts as `readUserDayCsv`, with no Node built-ins.
 */
import { makeSource, type UserDaySource } from '../source.js';
import { createStats } from '../stats.js';
import { DEFAULT_BATCH_ROWS } from '../userDayBatch.js';
import { csvBlocks } from './csvBlocks.js';
import { UserDayCsvRows, type UserDayCsvOptions } from './userDayRows.js';

/** Options of the in-memory readers: the file name is required, as there is no path to name. */
export interface UserDayCsvTextOptions extends UserDayCsvOptions {
  /** The name errors use for the input, e.g. the picked file's name. */
  label: string;
}

/**
 * Reads the bytes of an aggregated user-day CSV (BOM or not, CRLF or LF) as `USER_DAY_SCHEMA` batches, exactly as
 * `readUserDayCsv` reads the same bytes from a file: the same columns, errors (`file:row:column: what is wrong`,
 * named by `options.label`), lenient mode and `stats`. Batches are converted as the source is iterated.
 */
export function readUserDayCsvBytes(bytes: Uint8Array, options: UserDayCsvTextOptions): UserDaySource {
  const stats = createStats();
  return makeSource(stats, async function* () {
    const rows = new UserDayCsvRows(options.label, stats, options);
    for await (const block of csvBlocks([bytes], options.label, {
      ...options,
      maxRecords: options.batchRows ?? DEFAULT_BATCH_ROWS,
    })) {
      yield* rows.add(block);
    }
    const last = rows.end();
    if (last !== null) yield last;
  });
}

/** `readUserDayCsvBytes` for text already decoded (its UTF-8 bytes are read). */
export function readUserDayCsvText(text: string, options: UserDayCsvTextOptions): UserDaySource {
  return readUserDayCsvBytes(new TextEncoder().encode(text), options);
}
