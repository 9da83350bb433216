/**
 * CRC-32 (IEEE 802.3), the checksum EVTX uses for headers and record data. Browsers (the page reads `.evtx` files
 * it is given) use the plain-TypeScript table version; the Node entry of this package hands in zlib's
 * (`useCrc32`), several times faster, so that no Node built-in is on the browser entry's import path.
 */
import { tableCrc32 } from './crc32Table.js';

/** Continues a CRC-32 over `bytes` from `crc` (0 to start). */
type Crc32 = (bytes: Uint8Array, crc: number) => number;

let implementation: Crc32 | null = null;

/** Makes `crc32` use `native` (zlib's `crc32` in Node). */
export function useCrc32(native: Crc32): void {
  implementation = native;
}

/**
 * Continues a CRC-32 over `bytes[start, end)`. Pass the previous result as `crc` to checksum disjoint ranges as
 * one stream (start with 0). Returns the unsigned 32-bit checksum.
 */
export function crc32(bytes: Uint8Array, start: number, end: number, crc = 0): number {
  return implementation === null ? tableCrc32(bytes, start, end, crc) : implementation(bytes.subarray(start, end), crc);
}
