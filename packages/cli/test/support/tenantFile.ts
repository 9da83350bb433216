import { structBatch } from '@isoforest/common/arrow';
import { USER_DAY_SCHEMA, writeArrowIpc } from '@isoforest/ingest';
import { generateUserDays } from '@isoforest/synth';

/**
 * A synthetic tenant's user-days as an Arrow file of the user-day schema, written batch by batch (of the
 * generator's default size, or `batchRows`).
 */
export async function writeTenant(path: string, users: number, days: number, batchRows?: number): Promise<void> {
  const names = USER_DAY_SCHEMA.fields.map((field) => field.name);
  const batches = (function* () {
    for (const batch of generateUserDays({ users, days, seed: 3, batchRows }))
      yield structBatch(USER_DAY_SCHEMA, batch.select(names).data.children);
  })();
  await writeArrowIpc(path, batches, { schema: USER_DAY_SCHEMA });
}
