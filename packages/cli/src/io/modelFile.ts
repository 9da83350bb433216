import { readFile, writeFile } from 'node:fs/promises';
import type { Isoforest, IsolationForestModel } from '@isoforest/core';
import { IngestError } from '@isoforest/ingest';
import { writeAtomically, type AtomicOutputs } from './atomicOutput.js';

/**
 * Reads a model file: a native isoforest model, or a scikit-learn forest in the `sklearn-isolation-forest` JSON
 * exchange format (told apart by content, not by name). A model that does not load is an error naming the file;
 * a file that cannot be read is reported by the CLI's mapping of file-system errors.
 */
export async function readModelFile(isoforest: Isoforest, path: string): Promise<IsolationForestModel> {
  const bytes = await readFile(path);
  try {
    return looksLikeJson(bytes) ? isoforest.importSklearn(new TextDecoder().decode(bytes)) : isoforest.load(bytes);
  } catch (error) {
    throw new IngestError(path, null, null, (error as Error).message);
  }
}

/**
 * Writes a model in the native format through a temporary file: one of `outputs` when given (it appears when they
 * are committed), else its own, which replaces `path` once complete.
 */
export function writeModelFile(model: IsolationForestModel, path: string, outputs?: AtomicOutputs): Promise<void> {
  if (outputs !== undefined) return writeFile(outputs.temp(path), model.save());
  return writeAtomically(path, (temp) => writeFile(temp, model.save()));
}

/** True when the first byte after white space and a UTF-8 BOM is `{`. */
function looksLikeJson(bytes: Uint8Array): boolean {
  for (const byte of bytes) {
    if (
      byte === 0x20 ||
      byte === 0x09 ||
      byte === 0x0a ||
      byte === 0x0d ||
      byte === 0xef ||
      byte === 0xbb ||
      byte === 0xbf
    )
      continue;
    return byte === 0x7b;
  }
  return false;
}
