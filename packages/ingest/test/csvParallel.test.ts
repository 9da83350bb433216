// The parallel user-day CSV reader runs worker threads from the built package (workers need JavaScript files), so
// this file imports ingest's dist/: build first (`npx tsc -b packages/ingest`).
import { describe, expect, it } from 'vitest';
import type { Table } from 'apache-arrow';
import {
  IngestError,
  readAll,
  readUserDayCsv,
  USER_DAY_COLUMNS,
  type IngestStats,
  type UserDayCsvOptions,
  type UserDayTypeMap,
} from '../dist/index.js';
import { tempFile } from './support.js';

const HEADER = USER_DAY_COLUMNS.map((c) => c.name);

/**
 * A notebook-format row; from row `quotedFrom` on, some users carry quoted line breaks, so that part cuts land
 * inside quoted fields (and the rest of the file is read on one thread from there).
 */
function row(i: number, bad: boolean, quotedFrom: number): string {
  const user = i % 7 === 0 && i >= quotedFrom ? `"ACC ""${i}""\n${'\n'.repeat(i % 300)}x"` : `ACC-${i}`;
  const failed = bad ? '-1' : String(i % 5);
  return `9/${(i % 28) + 1}/2022,CONTOSO,${user},3 - Network,${i},"9/${(i % 28) + 1}/2022, 11:29:46.297 PM","9/${(i % 28) + 1}/2022, 12:17:46.373 AM",${i},${failed},1,1,2,1,1,2,1,1,1,${i * 1000}`;
}

function file(rows: number, quotedFrom: number, badEvery = 0): string {
  const lines = [HEADER.join(',')];
  for (let i = 0; i < rows; i++) lines.push(row(i, badEvery > 0 && i % badEvery === 3, quotedFrom));
  return tempFile('parallel.csv', '\uFEFF' + lines.join('\r\n') + '\r\n');
}

type Outcome = { table: Table<UserDayTypeMap>; stats: IngestStats } | { error: string };

async function read(path: string, options: UserDayCsvOptions): Promise<Outcome> {
  const source = readUserDayCsv(path, { batchRows: 500, ...options });
  try {
    return { table: await readAll(source), stats: source.stats };
  } catch (error) {
    if (error instanceof IngestError) return { error: error.message };
    throw error;
  }
}

const PARALLEL = { threads: 2, partBytes: 4096 };

describe('readUserDayCsv on two threads', () => {
  it('gives the rows, order and counts of one thread, also when cuts fall inside quoted fields', async () => {
    const path = file(3000, 0);
    const one = await read(path, { threads: 1 });
    const two = await read(path, PARALLEL);
    if ('error' in one || 'error' in two) throw new Error('unexpected error');
    expect(two.stats).toEqual(one.stats);
    expect(two.table.numRows).toBe(3000);
    for (const column of USER_DAY_COLUMNS) {
      expect(two.table.getChild(column.name)!.toArray(), column.name).toEqual(
        one.table.getChild(column.name)!.toArray(),
      );
    }
  }, 120_000);

  it('counts and names the same rejected rows in lenient mode, and stops at the same row when strict', async () => {
    const path = file(3000, 2500, 250);
    const lenientOne = await read(path, { threads: 1, lenient: true });
    const lenientTwo = await read(path, { ...PARALLEL, lenient: true });
    if ('error' in lenientOne || 'error' in lenientTwo) throw new Error('unexpected error');
    expect(lenientOne.stats.rowsRejected).toBe(12);
    expect(lenientTwo.stats).toEqual(lenientOne.stats);
    const strictOne = await read(path, { threads: 1 });
    expect(strictOne).toEqual({ error: expect.stringMatching(/parallel\.csv:\d+:FailedLogons: negative count -1$/) });
    expect(await read(path, PARALLEL)).toEqual(strictOne);
  }, 120_000);
});
