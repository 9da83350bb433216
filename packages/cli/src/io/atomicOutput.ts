/**
 * Every file the CLI writes goes through here: it is written under a temporary name in its own folder, flushed to
 * disk, and renamed over the final name only once everything the command had to do has succeeded. A command that
 * fails half-way (bad row 8,005, a full disk, a later output that cannot be written) leaves no output at all, never
 * a complete-looking partial one, and an existing file of that name is untouched.
 */
import { randomBytes } from 'node:crypto';
import { open, rename, rm, writeFile } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';

interface Pending {
  readonly path: string;
  readonly temp: string;
}

/** Outputs of one command that appear together on `commit`, or not at all. */
export class AtomicOutputs {
  private readonly pending: Pending[] = [];

  /** A temporary path beside `path` to write it under until `commit`. */
  temp(path: string): string {
    // Same folder: the rename is then atomic (no copy across file systems). Hidden, and unique per process and call.
    const temp = join(dirname(path), `.${basename(path)}.${process.pid}-${randomBytes(6).toString('hex')}.tmp`);
    this.pending.push({ path, temp });
    return temp;
  }

  /** Flushes every temporary file to disk, then renames each over its final name. */
  async commit(): Promise<void> {
    for (const { temp } of this.pending) await flush(temp);
    for (const { path, temp } of this.pending) await rename(temp, path);
    this.pending.length = 0;
  }

  /** Makes a file-system error about a temporary file name the final path the user gave instead. */
  blame(error: unknown): void {
    const e = error as { path?: unknown; dest?: unknown; message?: unknown } | null;
    if (e === null || typeof e !== 'object') return;
    for (const { path, temp } of this.pending) {
      if (e.path === temp) e.path = path;
      if (e.dest === temp) e.dest = path;
      if (typeof e.message === 'string') e.message = e.message.split(temp).join(path);
    }
  }

  /** Removes every temporary file that was not committed. */
  async discard(): Promise<void> {
    await Promise.all(this.pending.map(({ temp }) => rm(temp, { force: true })));
    this.pending.length = 0;
  }
}

/**
 * Runs `write` with a fresh `AtomicOutputs` and commits its files when `write` resolves; discards them when it
 * throws (the error goes on unchanged, with its path set to the final name the user gave).
 */
export async function writeOutputs<T>(write: (outputs: AtomicOutputs) => Promise<T>): Promise<T> {
  const outputs = new AtomicOutputs();
  try {
    const result = await write(outputs);
    await outputs.commit();
    return result;
  } catch (error) {
    outputs.blame(error);
    await outputs.discard();
    throw error;
  }
}

/** Writes the one file `path` through a temporary file: `write` gets the temporary path. */
export function writeAtomically<T>(path: string, write: (temp: string) => Promise<T>): Promise<T> {
  return writeOutputs((outputs) => write(outputs.temp(path)));
}

/** Writes `bytes` to `path` whole or not at all. */
export function writeFileAtomically(path: string, bytes: Uint8Array | string): Promise<void> {
  return writeAtomically(path, (temp) => writeFile(temp, bytes));
}

async function flush(temp: string): Promise<void> {
  const handle = await open(temp, 'r+');
  try {
    await handle.sync();
  } finally {
    await handle.close();
  }
}
