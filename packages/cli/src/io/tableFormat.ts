import { extname } from 'node:path';
import { UsageError } from '../command.js';

/** The table file formats the commands read and write, chosen by file extension. */
export type TableFormat = 'csv' | 'arrow' | 'parquet';

const EXTENSIONS: Record<string, TableFormat> = {
  '.csv': 'csv',
  '.arrow': 'arrow',
  '.arrows': 'arrow',
  '.ipc': 'arrow',
  '.feather': 'arrow',
  '.parquet': 'parquet',
  '.pq': 'parquet',
};

/** The format of a table file from its name; anything else is a usage error that lists what is accepted. */
export function tableFormatOf(path: string): TableFormat {
  const format = EXTENSIONS[extname(path).toLowerCase()];
  if (!format) {
    throw new UsageError(`cannot tell the format of '${path}': use a ${Object.keys(EXTENSIONS).join(', ')} file`);
  }
  return format;
}
