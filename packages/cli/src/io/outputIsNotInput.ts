import { realpath } from 'node:fs/promises';
import { basename, dirname, join, resolve } from 'node:path';
import { UsageError } from '../command.js';

/**
 * Refuses to run when an output would overwrite one of the inputs (the same file by another name, through a
 * link or `..`, included): the input would be destroyed while it is read. Paths that do not exist cannot clash.
 */
export async function refuseOutputOverInput(outputs: readonly string[], inputs: readonly string[]): Promise<void> {
  const inputFiles = new Map<string, string>();
  for (const input of inputs) {
    const real = await realPathOf(input);
    if (real !== null) inputFiles.set(real, input);
  }
  for (const output of outputs) {
    const real = await realPathOf(output);
    const input = real === null ? undefined : inputFiles.get(real);
    if (input !== undefined) throw new UsageError(`the output ${output} is the input ${input}: write to another file`);
  }
}

/** The canonical path of `path`, or of its folder joined with its name when the file does not exist yet. */
async function realPathOf(path: string): Promise<string | null> {
  try {
    return await realpath(path);
  } catch {
    try {
      return join(await realpath(dirname(resolve(path))), basename(path));
    } catch {
      return null;
    }
  }
}
