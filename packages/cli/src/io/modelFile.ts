import { readFile, writeFile } from 'node:fs/promises';
import type { Isoforest, IsolationForestModel } from '@isoforest/core';
import { InputFileError } from './inputError.js';

/**
 * Reads a model file: a native isoforest model, or a scikit-learn forest in the `sklearn-isolation-forest` JSON
 * exchange format (told apart by content, not by name). Errors name the file.
 */
export async function readModelFile(isoforest: Isoforest, path: string): Promise<IsolationForestModel> {
  let bytes: Uint8Array;
  try {
    bytes = await readFile(path);
  } catch (error) {
    const code = (error as { code?: string }).code;
    throw new InputFileError(path, code === 'ENOENT' ? 'no such model file' : `cannot read the model (${code ?? error})`);
  }
  try {
    return looksLikeJson(bytes) ? isoforest.importSklearn(new TextDecoder().decode(bytes)) : isoforest.load(bytes);
  } catch (error) {
    throw new InputFileError(path, (error as Error).message);
  }
}

/** Writes a model in the native format. */
export async function writeModelFile(model: IsolationForestModel, path: string): Promise<void> {
  try {
    await writeFile(path, model.save());
  } catch (error) {
    throw new InputFileError(path, `cannot write the model (${(error as { code?: string }).code ?? error})`);
  }
}

function looksLikeJson(bytes: Uint8Array): boolean {
  for (const byte of bytes) {
    if (byte === 0x20 || byte === 0x09 || byte === 0x0a || byte === 0x0d || byte === 0xef || byte === 0xbb || byte === 0xbf) continue;
    return byte === 0x7b; // '{'
  }
  return false;
}
