/**
 * A hunt fanned out as a Kubernetes Indexed Job would run it: N processes, each given JOB_COMPLETION_INDEX, each
 * hunting its shard of the users with the same model, then `isoforest merge`. The merge must equal the unsharded
 * hunt with that model.
 */
import { spawn, spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { structBatch } from '@isoforest/common/arrow';
import { USER_DAY_SCHEMA, writeArrowIpc } from '@isoforest/ingest';
import { generateUserDays } from '@isoforest/synth';
import { describe, expect, it } from 'vitest';
import { EXIT } from '../src/exitCodes.js';
import { tempDir } from './support/runCli.js';

const BIN = fileURLToPath(new URL('../bin/isoforest.js', import.meta.url));
const SHARDS = 3;

function isoforest(args: string[]): { status: number | null; stderr: string } {
  const child = spawnSync(process.execPath, [BIN, ...args], { encoding: 'utf8' });
  return { status: child.status, stderr: child.stderr };
}

/** One worker of the Indexed Job: the shell turns the 0-based completion index into `--shard K/N`. */
function worker(index: number, args: string[]): Promise<{ code: number | null; stderr: string }> {
  const command = `exec "${process.execPath}" "${BIN}" ${args.map((a) => `"${a}"`).join(' ')} --shard $((JOB_COMPLETION_INDEX + 1))/${SHARDS}`;
  const child = spawn('sh', ['-c', command], { env: { ...process.env, JOB_COMPLETION_INDEX: String(index) } });
  let stderr = '';
  child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  return new Promise((resolve) => child.on('close', (code) => resolve({ code, stderr })));
}

const bodyLines = (file: string) =>
  readFileSync(file, 'utf8')
    .split('\n')
    .slice(1)
    .filter((line) => line !== '')
    .sort();

describe('a sharded hunt, merged, is the unsharded hunt with the same model', () => {
  it(`runs ${SHARDS} worker processes by JOB_COMPLETION_INDEX and merges their outputs`, async () => {
    const dir = tempDir();
    const input = join(dir, 'tenant.arrow');
    const names = USER_DAY_SCHEMA.fields.map((field) => field.name);
    const batches = (function* () {
      for (const batch of generateUserDays({ users: 300, days: 30, seed: 11, attackRate: 0.01 })) {
        yield structBatch(USER_DAY_SCHEMA, batch.select(names).data.children);
      }
    })();
    await writeArrowIpc(input, batches, { schema: USER_DAY_SCHEMA });
    const model = join(dir, 'model.iforest');
    const source = ['--source', `arrow:${input}`];
    const fitted = isoforest(['hunt', ...source, '--save-model', model, '--output-dir', join(dir, 'fit'), '--quiet']);
    expect(fitted.status, fitted.stderr).toBe(EXIT.ok);
    const whole = isoforest(['hunt', ...source, '--model', model, '--output-dir', join(dir, 'whole'), '--quiet']);
    expect(whole.status, whole.stderr).toBe(EXIT.ok);

    const workers = await Promise.all(
      Array.from({ length: SHARDS }, (_, index) =>
        worker(index, ['hunt', ...source, '--model', model, '--output-dir', join(dir, `shard-${index}`), '--quiet']),
      ),
    );
    for (const run of workers) expect(run.code, run.stderr).toBe(EXIT.ok);
    const shardDirs = Array.from({ length: SHARDS }, (_, index) => ['--input', join(dir, `shard-${index}`)]).flat();
    const merged = isoforest(['merge', ...shardDirs, '--output-dir', join(dir, 'merged')]);
    expect(merged.status, merged.stderr).toBe(EXIT.ok);

    // Every shard hunted some users, and no user-day is lost or doubled.
    const perShard = Array.from(
      { length: SHARDS },
      (_, index) => bodyLines(join(dir, `shard-${index}`, 'scores.csv')).length,
    );
    for (const rows of perShard) expect(rows).toBeGreaterThan(0);
    const wholeScores = bodyLines(join(dir, 'whole', 'scores.csv'));
    expect(perShard.reduce((a, b) => a + b, 0)).toBe(wholeScores.length);
    expect(bodyLines(join(dir, 'merged', 'scores.csv'))).toEqual(wholeScores);
    // The flagged user-days, ranked, byte for byte.
    const outliers = readFileSync(join(dir, 'whole', 'outliers.csv'), 'utf8');
    expect(outliers.split('\n').length).toBeGreaterThan(10);
    expect(readFileSync(join(dir, 'merged', 'outliers.csv'), 'utf8')).toBe(outliers);
  }, 300_000);
});
