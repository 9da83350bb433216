import { readUserDayArrow, readUserDayCsv, readUserDayParquet, type UserDaySource } from '@isoforest/ingest';
import { tableFormatOf } from './tableFormat.js';

/** The user-days of a CSV, Arrow IPC or Parquet file (by extension); `lenient` skips and counts bad CSV rows. */
export function readUserDayFile(path: string, lenient: boolean): UserDaySource {
  switch (tableFormatOf(path)) {
    case 'csv':
      return readUserDayCsv(path, { lenient });
    case 'parquet':
      return readUserDayParquet(path);
    case 'arrow':
      return readUserDayArrow(path);
  }
}
