/** Loads the core in Node: reads the .wasm shipped in this package (or the caller's file, bytes or module). */
import { readFile } from 'node:fs/promises';
import { instantiateCore, type CoreExports, type WasmSource } from './exports.js';

/** The core shipped with this package, `wasm/isoforest.wasm` next to `dist/`. */
export const DEFAULT_WASM_URL = new URL('../../wasm/isoforest.wasm', import.meta.url);

/** Instantiates the core from `source` (default: the shipped file). http(s) URLs are fetched. */
export async function loadCore(source: WasmSource = DEFAULT_WASM_URL): Promise<CoreExports> {
  if (typeof source === 'string' || source instanceof URL) {
    const url = source instanceof URL ? source : new URL(source, `file://${process.cwd()}/`);
    if (url.protocol === 'http:' || url.protocol === 'https:') {
      const response = await fetch(url);
      if (!response.ok) throw new Error(`cannot fetch the isoforest core from ${url.href}: HTTP ${response.status}`);
      return instantiateCore(await response.arrayBuffer());
    }
    return instantiateCore(await readFile(url));
  }
  return instantiateCore(source);
}
