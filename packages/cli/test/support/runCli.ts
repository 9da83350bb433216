import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Readable, Writable } from 'node:stream';
import { fileURLToPath } from 'node:url';
import { main } from '../../src/main.js';

/** The repository root, for fixtures. */
export const REPO = fileURLToPath(new URL('../../../../', import.meta.url));
export const fixture = (...parts: string[]) => join(REPO, 'fixtures', ...parts);

export interface CliRun {
  readonly code: number;
  readonly stdout: string;
  readonly stderr: string;
}

/** A writable stream that keeps what it is given, as `text`. */
export class Capture extends Writable {
  text = '';
  override _write(chunk: Buffer, _encoding: BufferEncoding, done: () => void): void {
    this.text += chunk.toString();
    done();
  }
}

/**
 * Runs `isoforest <args>` in-process, as a pipe would (no terminal), with `stdin` as its input, and captures what it
 * prints.
 */
export async function runCli(
  args: string[],
  cwd = REPO,
  env: NodeJS.ProcessEnv = {},
  stdin: string | Uint8Array = '',
): Promise<CliRun> {
  const stdout = new Capture();
  const stderr = new Capture();
  const code = await main(args, { stdin: Readable.from([stdin]), stdout, stderr, env, cwd });
  return { code, stdout: stdout.text, stderr: stderr.text };
}

/** A fresh temporary folder. */
export function tempDir(): string {
  return mkdtempSync(join(tmpdir(), 'isoforest-cli-'));
}
