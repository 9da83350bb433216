import { stat } from 'node:fs/promises';
import { makeSource, type UserDaySource } from '../source.js';
import { createStats } from '../stats.js';
import { DEFAULT_BATCH_ROWS } from '../userDayBatch.js';
import { csvBlocks } from './csvBlocks.js';
import { fileChunks, nodeBlockOptions } from './csvRecords.js';
import { readerThreads } from './csvParts.js';
import { parallelUserDayBatches } from './parallelUserDayCsv.js';
import { UserDayCsvRows, type UserDayCsvOptions } from './userDayRows.js';

export type { UserDayCsvOptions } from './userDayRows.js';

/**
 * Reads an aggregated user-day CSV (the notebook's export, like `iforest-demo-data.csv`) as a stream of
 * `USER_DAY_SCHEMA` batches, never holding the whole file: the columnar reader tokenises the bytes and writes each
 * column's typed array straight from them.
 *
 * Columns are found by header name in any order (the time columns may carry a ` [UTC]` suffix); extra columns
 * are ignored. Strict by default: a missing column, a ragged row, an unparsable date or time, a negative or
 * fractional count, MIN_TimeGenerated after MAX_TimeGenerated, malformed quoting, invalid UTF-8, a record over
 * the limits or an empty file throws an `IngestError` whose message is `file:row:column: what is wrong` (row =
 * line in the file, header = 1). With `lenient`, bad rows are skipped and counted in `stats.rowsRejected`.
 * A file of 32 MiB or more is read on every core (`options.threads`), with the same rows, order, errors and counts.
 */
export function readUserDayCsv(file: string, options: UserDayCsvOptions = {}): UserDaySource {
  const label = options.label ?? file;
  const stats = createStats();
  return makeSource(stats, async function* () {
    const size = (await stat(file)).size;
    const threads = readerThreads(size, options.threads);
    const parallel = threads > 1 ? await parallelUserDayBatches(file, label, size, threads, stats, options) : null;
    if (parallel !== null) {
      yield* parallel;
      return;
    }
    const rows = new UserDayCsvRows(label, stats, options);
    const blocks = csvBlocks(
      fileChunks(file),
      label,
      nodeBlockOptions({ ...options, maxRecords: options.batchRows ?? DEFAULT_BATCH_ROWS }),
    );
    for await (const block of blocks) yield* rows.add(block);
    const last = rows.end();
    if (last !== null) yield last;
  });
}
