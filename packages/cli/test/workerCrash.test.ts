/**
 * A worker thread that dies mid-job is a bug in isoforest (or a machine out of memory), not bad input: the spawned
 * CLI must exit 70 with one line saying so, and leave no output behind. The worker is really killed: a preload
 * that Node runs in every worker thread ends the thread at its first task.
 */
import { existsSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { EXIT } from '../src/exitCodes.js';
import { runCli, tempDir } from './support/runCli.js';
import { spawnCli } from './support/spawnCli.js';

const KILL_WORKER = fileURLToPath(new URL('./support/killWorkerThread.mjs', import.meta.url));

describe('a worker thread that dies', () => {
  it('is reported as a bug: exit 70, one line, no stack trace, no output file', async () => {
    const dir = tempDir();
    const data = join(dir, 'rows.csv');
    // Enough rows to explain that --threads 2 starts two workers (see threadsWorthStarting).
    const rows = Array.from({ length: 12_000 }, (_, r) => `${(r * 7919) % 1000},${(r * 104729) % 313},${r % 17}`);
    writeFileSync(data, `a,b,c\n${rows.join('\n')}\n`);
    const model = join(dir, 'model.iforest');
    const fitted = await runCli(['fit', '--input', data, '--model', model, '--quiet']);
    expect(fitted.code, fitted.stderr).toBe(EXIT.ok);

    const output = join(dir, 'shap.csv');
    const args = ['explain', '--model', model, '--input', data, '--output', output, '--threads', '2', '--quiet'];
    const healthy = await spawnCli(args);
    expect(healthy.code, healthy.stderr).toBe(EXIT.ok);
    expect(existsSync(output)).toBe(true);

    const crashedOutput = join(dir, 'crashed.csv');
    const crashed = await spawnCli([...args.slice(0, 6), crashedOutput, ...args.slice(7)], '', [
      '--import',
      KILL_WORKER,
    ]);
    expect(crashed.code).toBe(EXIT.internal);
    expect(crashed.stderr).toMatch(
      /^isoforest explain: internal error, please report it: worker [01] stopped: the worker thread exited with code 9\n$/,
    );
    expect(existsSync(crashedOutput)).toBe(false);
  });
});
