/**
 * A hunt reads its source once per pass: a small source from memory, a larger one from an Arrow IPC copy in a
 * private folder that closing removes. Both give every row of the source, the same in every pass.
 */
import { readdirSync, readFileSync } from 'node:fs';
import type { UserDayPasses } from '@isoforest/hunt';
import { describe, expect, it } from 'vitest';
import { parseSentinelOptions } from '../src/commands/sentinel.js';
import { DEMO_DATA_CSV } from '../src/demoData.js';
import { IN_MEMORY_BYTES, openHuntInput } from '../src/hunt/huntPasses.js';
import { parseSourceSpec } from '../src/hunt/sourceSpec.js';
import { tempDir } from './support/runCli.js';

/** The rows of one pass, as plain objects. */
async function pass(read: UserDayPasses): Promise<unknown[]> {
  const rows: unknown[] = [];
  for await (const batch of read()) for (const row of batch.toArray()) rows.push(row.toJSON());
  return rows;
}

describe('the input of a streamed hunt', () => {
  const spec = parseSourceSpec(`csv:${DEMO_DATA_CSV}`);
  const context = { env: {}, info: () => undefined };
  // The demo file's lines, less its header: one user-day each.
  const userDays = readFileSync(DEMO_DATA_CSV, 'utf8').trim().split('\n').length - 1;

  it.each([
    ['kept in memory', IN_MEMORY_BYTES, 0],
    ['spilled to a private folder', 0, 1],
  ])('%s, reads every row the same in every pass, and leaves nothing behind', async (_how, bytes, folders) => {
    const dir = tempDir();
    const input = await openHuntInput(spec, parseSentinelOptions({}), context, false, dir, undefined, bytes);
    expect(readdirSync(dir).filter((name) => name.startsWith('.isoforest-spill-'))).toHaveLength(folders);
    const first = await pass(input.read);
    expect(first).toHaveLength(userDays);
    expect(await pass(input.read)).toEqual(first);
    expect(input.stats().rowsRead).toBe(userDays);
    await input.close();
    expect(readdirSync(dir)).toEqual([]);
  });

  it('holds the same rows in memory as it spills', async () => {
    const held = await openHuntInput(spec, parseSentinelOptions({}), context, false, tempDir());
    const spilled = await openHuntInput(spec, parseSentinelOptions({}), context, false, tempDir(), undefined, 0);
    expect(await pass(held.read)).toEqual(await pass(spilled.read));
    await Promise.all([held.close(), spilled.close()]);
  });
});
