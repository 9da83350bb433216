import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { IngestError, listEventFiles } from '../src/index.js';

describe('listEventFiles', () => {
  it("keeps files as given and lists a folder's event files by name, whatever their letter case", async () => {
    const dir = mkdtempSync(join(tmpdir(), 'isoforest-events-'));
    for (const name of ['b.ndjson', 'A.EVTX', 'notes.txt', 'c.csv']) writeFileSync(join(dir, name), '');
    mkdirSync(join(dir, 'nested.json'));
    const single = join(dir, 'notes.txt');
    expect(await listEventFiles([single, dir])).toEqual([
      single,
      join(dir, 'A.EVTX'),
      join(dir, 'b.ndjson'),
      join(dir, 'c.csv'),
    ]);
  });

  it('names a missing path and a folder with no event files', async () => {
    const empty = mkdtempSync(join(tmpdir(), 'isoforest-events-'));
    const missing = join(empty, 'nope');
    await expect(listEventFiles([missing])).rejects.toThrow(
      new IngestError(missing, null, null, 'no such file or folder'),
    );
    await expect(listEventFiles([empty])).rejects.toThrow(
      `${empty}: has no event files (.csv, .json, .jsonl, .ndjson, .xml, .evtx, .parquet, .gz, .zip)`,
    );
  });
});
