/**
 * A worker thread that dies is a bug in isoforest (or a machine out of memory), not bad input: whenever it dies
 * (before it is ready, mid-job; by a crash, an uncaught error or a clean exit without answering) the spawned CLI
 * must exit 70 with one line saying so, leave no output behind, and end (no worker left running, no hang). The worker
 * is really killed: a preload that Node runs in every worker thread ends the thread at a chosen message.
 */
import { existsSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { EXIT } from '../src/exitCodes.js';
import { runCli, tempDir } from './support/runCli.js';
import { spawnCli } from './support/spawnCli.js';

const KILL_WORKER = new URL('./support/killWorkerThread.mjs', import.meta.url);

/** When and how the preload ends a worker thread (see killWorkerThread.mjs for the defaults). */
interface Kill {
  readonly message?: string;
  readonly how?: 'exit' | 'throw';
  readonly code?: string;
}

/** `node --import` options that preload the killer with these settings. */
function killWorker(kill: Kill): string[] {
  const url = new URL(KILL_WORKER);
  for (const [name, value] of Object.entries(kill)) url.searchParams.set(name, String(value));
  return ['--import', url.href];
}

describe('a worker thread that dies', () => {
  const dir = tempDir();
  const data = join(dir, 'rows.csv');
  const model = join(dir, 'model.iforest');
  /** `explain` of `data` on two threads into `output`. */
  const explain = (output: string) => [
    'explain',
    ...['--model', model, '--input', data, '--output', output, '--threads', '2', '--quiet'],
  ];

  beforeAll(async () => {
    // Enough rows to explain that --threads 2 starts two workers (see threadsWorthStarting).
    const rows = Array.from({ length: 12_000 }, (_, r) => `${(r * 7919) % 1000},${(r * 104729) % 313},${r % 17}`);
    writeFileSync(data, `a,b,c\n${rows.join('\n')}\n`);
    const fitted = await runCli(['fit', '--input', data, '--model', model, '--quiet']);
    expect(fitted.code, fitted.stderr).toBe(EXIT.ok);
    const output = join(dir, 'healthy.csv');
    const healthy = await spawnCli(explain(output));
    expect(healthy.code, healthy.stderr).toBe(EXIT.ok);
    expect(existsSync(output)).toBe(true);
  });

  it.each<{ when: string; settings: Kill; reason: string }>([
    {
      when: 'mid-job, killed (exit code 9)',
      settings: {},
      reason: 'stopped: the worker thread exited with code 9',
    },
    {
      when: 'mid-job, ending cleanly without answering (exit code 0)',
      settings: { code: '0' },
      reason: 'stopped: the worker thread exited with code 0',
    },
    {
      when: 'before it is ready, killed',
      settings: { message: '1' },
      reason: 'stopped while starting: the worker thread exited with code 9',
    },
    {
      when: 'before it is ready, ending cleanly',
      settings: { message: '1', code: '0' },
      reason: 'stopped while starting: the worker thread exited with code 0',
    },
    {
      when: 'before it is ready, by an uncaught error',
      settings: { message: '1', how: 'throw' },
      reason: 'stopped while starting: killed by the test before it answered',
    },
    {
      when: 'mid-job, by an uncaught error',
      settings: { how: 'throw' },
      reason: 'stopped: killed by the test before it answered',
    },
  ])('$when: exit 70, one line, no stack trace, no output file', async ({ settings, reason }) => {
    const output = join(dir, `crashed-${Object.values(settings).join('-')}.csv`);
    // The spawned process exiting at all is the proof that nothing is left running: a live worker keeps Node up.
    const crashed = await spawnCli(explain(output), '', killWorker(settings));
    expect(crashed.code).toBe(EXIT.internal);
    // Either worker may be the first to die: both run the preload. (The reasons hold no regex metacharacters.)
    expect(crashed.stderr).toMatch(
      new RegExp(`^isoforest explain: internal error, please report it: worker [01] ${reason}\n$`),
    );
    expect(existsSync(output)).toBe(false);
  });
});
