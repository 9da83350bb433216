import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';

/** The installed command's entry point (it runs dist/: the package must be built). */
export const BIN = fileURLToPath(new URL('../../bin/isoforest.js', import.meta.url));

export interface SpawnedRun {
  readonly code: number | null;
  readonly stdout: Buffer;
  readonly stderr: string;
}

/** Runs `node [nodeOptions] isoforest <args>` as a separate process, `stdin` piped in, stdout kept as bytes. */
export function spawnCli(
  args: readonly string[],
  stdin: Uint8Array | string = '',
  nodeOptions: readonly string[] = [],
): Promise<SpawnedRun> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [...nodeOptions, BIN, ...args], {
      env: { ...process.env, NO_COLOR: '1' },
      stdio: ['pipe', 'pipe', 'pipe'],
    });
    const out: Buffer[] = [];
    let stderr = '';
    child.stdout.on('data', (chunk: Buffer) => out.push(chunk));
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, stdout: Buffer.concat(out), stderr }));
    // A command that fails before reading stdin closes it: that is its answer, not an error of the test.
    child.stdin.on('error', () => undefined);
    child.stdin.end(stdin);
  });
}
