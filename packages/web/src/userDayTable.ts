import type { Table } from "apache-arrow";
import { IngestError, readAll, readUserDayCsvBytes, type IngestStats, type UserDayTypeMap } from "@isoforest/ingest/browser";

/** The picked file as a user-day table of ingest's schema, and the reader's counts. */
export interface UserDayTable {
  readonly table: Table<UserDayTypeMap>;
  readonly stats: IngestStats;
}

/**
 * Reads the bytes of an aggregated user-day CSV (the notebook's export, like `iforest-demo-data.csv`) with
 * ingest's columnar reader for bytes in memory (the file is never decoded to one string), strictly: a missing
 * column, a ragged row or a bad cell throws an {@link IngestError} `file:row:column: problem` naming `fileName`. A file with a header and no rows is refused
 * here too, as there is nothing to hunt.
 */
export async function readUserDayTable(bytes: Uint8Array, fileName: string): Promise<UserDayTable> {
  const source = readUserDayCsvBytes(bytes, { label: fileName });
  const table = await readAll(source);
  if (table.numRows === 0) throw new IngestError(fileName, null, null, "no data rows after the header");
  return { table, stats: source.stats };
}
