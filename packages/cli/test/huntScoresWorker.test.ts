/**
 * A big hunt's scores.csv is encoded on worker threads (one per core but the main one): its bytes must be those
 * one thread writes, and a worker that dies must end the run as every dead worker does (exit 70, one line, no
 * output left behind; see workerCrash.test.ts). Only the CSV writer's worker is killed here.
 */
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { EXIT } from '../src/exitCodes.js';
import { tempDir } from './support/runCli.js';
import { spawnCli } from './support/spawnCli.js';
import { writeTenant } from './support/tenantFile.js';

const KILL_CSV_WORKER = new URL('./support/killWorkerThread.mjs?script=csvEncodeWorker', import.meta.url);

describe("hunt's scores.csv on worker threads", () => {
  const dir = tempDir();
  const input = join(dir, 'tenant.arrow');
  const hunt = (outputDir: string, threads: number) => [
    'hunt',
    ...['--source', `arrow:${input}`, '--output-dir', outputDir, '--threads', String(threads), '--quiet'],
  ];

  beforeAll(async () => {
    // About 85,000 user-days: more than one thread encodes before the workers start.
    await writeTenant(input, 4_000, 30);
  });

  it('writes the bytes one thread writes', async () => {
    const one = await spawnCli(hunt(join(dir, 'one'), 1));
    expect(one.code, one.stderr).toBe(EXIT.ok);
    const two = await spawnCli(hunt(join(dir, 'two'), 2));
    expect(two.code, two.stderr).toBe(EXIT.ok);
    const scores = readFileSync(join(dir, 'two', 'scores.csv'));
    expect(scores.toString('utf8').split('\n').length).toBeGreaterThan(80_000);
    expect(scores.equals(readFileSync(join(dir, 'one', 'scores.csv')))).toBe(true);
  });

  it.each([
    { how: 'exit', reason: 'stopped: the worker thread exited with code 9' },
    { how: 'throw', reason: 'stopped: killed by the test before it answered' },
  ])('whose worker dies ($how): exit 70, one line, no output', async ({ how, reason }) => {
    const outputDir = join(dir, `crashed-${how}`);
    const url = new URL(KILL_CSV_WORKER);
    url.searchParams.set('how', how);
    const crashed = await spawnCli(hunt(outputDir, 2), '', ['--import', url.href]);
    expect(crashed.code).toBe(EXIT.internal);
    expect(crashed.stderr).toBe(`isoforest hunt: internal error, please report it: CSV writer worker 0 ${reason}\n`);
    expect(existsSync(join(outputDir, 'scores.csv'))).toBe(false);
  });
});
