// Runs a command as a child process and reports its wall time and peak resident memory: from GNU time's report
// when /usr/bin/time exists, otherwise by polling the child's VmHWM (the kernel's high-water mark of its RSS).
import { spawn } from 'node:child_process';
import { existsSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const GNU_TIME = '/usr/bin/time';

/** What a measured child did: its exit code and output, wall time and peak resident memory. */
export interface MeasuredRun {
  readonly code: number | null;
  readonly wallSeconds: number;
  /** The child's maximum resident set size in MiB (null if it could not be read). */
  readonly peakRssMiB: number | null;
  /** How the peak was read. */
  readonly rssSource: string;
  readonly stdout: string;
  readonly stderr: string;
}

/** Runs `command args` (stdout and stderr captured) and resolves with what it did (see {@link MeasuredRun}). */
export async function runMeasured(
  command: string,
  args: readonly string[],
  { env = process.env, cwd }: { env?: NodeJS.ProcessEnv; cwd?: string } = {},
): Promise<MeasuredRun> {
  const useTime = existsSync(GNU_TIME);
  const report = join(tmpdir(), `isoforest-time-${process.pid}-${Date.now()}.txt`);
  const [file, argv] = useTime ? [GNU_TIME, ['-v', '-o', report, command, ...args]] : [command, [...args]];
  const started = performance.now();
  const child = spawn(file, argv, { env, cwd, stdio: ['ignore', 'pipe', 'pipe'] });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (chunk: Buffer) => (stdout += chunk));
  child.stderr.on('data', (chunk: Buffer) => (stderr += chunk));
  let polledKiB = 0;
  const poll = useTime ? undefined : setInterval(() => (polledKiB = Math.max(polledKiB, vmHwmKiB(child.pid!))), 20);
  const code = await new Promise<number | null>((resolve, reject) => {
    child.on('error', reject);
    child.on('close', (exitCode) => resolve(exitCode));
  });
  const wallSeconds = (performance.now() - started) / 1000;
  if (poll !== undefined) clearInterval(poll);
  let peakKiB: number | null = polledKiB || null;
  if (useTime && existsSync(report)) {
    const text = readFileSync(report, 'utf8');
    const match = /Maximum resident set size \(kbytes\): (\d+)/.exec(text);
    peakKiB = match === null ? null : Number(match[1]);
    rmSync(report, { force: true });
  }
  return {
    code,
    wallSeconds,
    peakRssMiB: peakKiB === null ? null : peakKiB / 1024,
    rssSource: useTime ? 'GNU time -v (maximum resident set size)' : '/proc/<pid>/status VmHWM, polled every 20 ms',
    stdout,
    stderr,
  };
}

/** The VmHWM of process `pid` in KiB, or 0 once it is gone. */
function vmHwmKiB(pid: number): number {
  try {
    const match = /VmHWM:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
    return match === null ? 0 : Number(match[1]);
  } catch {
    return 0;
  }
}
