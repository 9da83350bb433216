/** Loads the core in a browser (or any runtime with fetch): streams the .wasm, importing nothing from Node. */
import { checkExports, coreImports, instantiateCore, type CoreExports, type WasmSource } from './exports.js';

/** The core shipped with this package, `wasm/isoforest.wasm` next to `dist/`, resolved by the bundler or server. */
export const DEFAULT_WASM_URL = new URL('../../wasm/isoforest.wasm', import.meta.url);

/** Instantiates the core from `source` (default: the shipped file), compiling while it downloads when it can. */
export async function loadCore(source: WasmSource = DEFAULT_WASM_URL): Promise<CoreExports> {
  if (typeof source !== 'string' && !(source instanceof URL)) return instantiateCore(source);
  const response = await fetch(source);
  if (!response.ok) throw new Error(`cannot fetch the isoforest core from ${String(source)}: HTTP ${response.status}`);
  // Streaming compilation requires the server to send `application/wasm`; otherwise fall back to the bytes.
  const streamable = response.headers.get('content-type')?.split(';')[0]?.trim() === 'application/wasm';
  if (streamable && typeof WebAssembly.instantiateStreaming === 'function') {
    const { instance } = await WebAssembly.instantiateStreaming(response, coreImports());
    return checkExports(instance);
  }
  return instantiateCore(await response.arrayBuffer());
}
