import { makeSource, type UserDaySource } from '../source.js';
import { createStats } from '../stats.js';
import { readCsvRecords } from './csvRecords.js';
import { UserDayCsvRows, type UserDayCsvOptions } from './userDayRows.js';

export type { UserDayCsvOptions } from './userDayRows.js';

/**
 * Reads an aggregated user-day CSV (the notebook's export, like `iforest-demo-data.csv`) as a stream of
 * `USER_DAY_SCHEMA` batches, never holding the whole file.
 *
 * Columns are found by header name in any order (the time columns may carry a ` [UTC]` suffix); extra columns
 * are ignored. Strict by default: a missing column, a ragged row, an unparsable date or time, a negative or
 * fractional count, MIN_TimeGenerated after MAX_TimeGenerated, invalid UTF-8 or an empty file throws an
 * `IngestError` whose message is `file:row:column: what is wrong` (row = line in the file, header = 1).
 * With `lenient`, bad rows are skipped and counted in `stats.rowsRejected`.
 */
export function readUserDayCsv(file: string, options: UserDayCsvOptions = {}): UserDaySource {
  const label = options.label ?? file;
  const stats = createStats();
  return makeSource(stats, async function* () {
    const rows = new UserDayCsvRows(label, stats, options);
    for await (const { fields, line } of readCsvRecords(file, label)) {
      const batch = rows.add(fields, line);
      if (batch !== null) yield batch;
    }
    const last = rows.end();
    if (last !== null) yield last;
  });
}
