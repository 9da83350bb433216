// Files for the scale runs, written batch by batch so that memory stays bounded however many rows are asked for.
import { structBatch } from '@isoforest/common/arrow';
import { makeVector, Table, type Float64, type RecordBatch } from 'apache-arrow';
import { MODEL_FEATURES } from '@isoforest/features';
import { USER_DAY_SCHEMA, writeArrowIpc, type UserDayTypeMap } from '@isoforest/ingest';
import { generateUserDays } from '@isoforest/synth';

const BATCH_ROWS = 65_536;

/**
 * `rows` rows of the six model feature columns (named as MODEL_FEATURES) from a seeded Gaussian mixture shaped like
 * them: non-negative, three clusters, one row in 997 far out. Yields record batches of at most 65,536 rows.
 */
export function* featureBatches(rows: number, seed: number): Generator<RecordBatch<Record<string, Float64>>> {
  let s = seed >>> 0;
  const uniform = () => {
    s = (Math.imul(s, 1103515245) + 12345) >>> 0;
    return (s + 0.5) / 2 ** 32;
  };
  for (let start = 0; start < rows; start += BATCH_ROWS) {
    const n = Math.min(BATCH_ROWS, rows - start);
    const columns = MODEL_FEATURES.map(() => new Float64Array(n));
    for (let r = 0; r < n; r++) {
      const row = start + r;
      const centre = (row % 3) * 0.5 + (row % 997 === 0 ? 4 : 0);
      for (const column of columns) {
        column[r] = Math.abs(centre + 0.3 * Math.sqrt(-2 * Math.log(uniform())) * Math.cos(2 * Math.PI * uniform()));
      }
    }
    yield new Table(Object.fromEntries(MODEL_FEATURES.map((name, c) => [name, makeVector(columns[c])]))).batches[0];
  }
}

/** Writes `featureBatches(rows, seed)` to an Arrow IPC file; resolves with the rows written. */
export function writeFeatureFile(path: string, rows: number, seed: number): Promise<number> {
  return writeArrowIpc(path, featureBatches(rows, seed));
}

/**
 * Writes at least `rows` user-days of a synthetic tenant (30 days; the user count sized to the rows) to an Arrow IPC
 * file of exactly the user-day schema `isoforest hunt --source arrow:PATH` reads (the synthetic labels dropped).
 * Resolves with the rows written and the tenant's size.
 */
export async function writeUserDayFile(
  path: string,
  rows: number,
  seed: number,
): Promise<{ rows: number; users: number; days: number }> {
  const days = 30;
  const users = Math.ceil(rows / (days * 0.7));
  const names = USER_DAY_SCHEMA.fields.map((field) => field.name);
  const batches = (function* (): Generator<RecordBatch<UserDayTypeMap>> {
    for (const batch of generateUserDays({ users, days, seed }))
      yield structBatch(USER_DAY_SCHEMA, batch.select(names).data.children, batch.numRows);
  })();
  const written = await writeArrowIpc(path, batches, { schema: USER_DAY_SCHEMA });
  return { rows: written, users, days };
}
