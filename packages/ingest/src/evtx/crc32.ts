/**
 * CRC-32 (IEEE 802.3), the checksum EVTX uses for headers and record data, computed by zlib (Node >= 20.15). The
 * EVTX reader reads files and so only runs in Node; the browser entry of this package does not include it.
 */
import { crc32 as zlibCrc32 } from 'node:zlib';

/**
 * Continues a CRC-32 over `bytes[start, end)`. Pass the previous result as `crc` to checksum disjoint ranges as
 * one stream (start with 0). Returns the unsigned 32-bit checksum.
 */
export function crc32(bytes: Uint8Array, start: number, end: number, crc = 0): number {
  return zlibCrc32(bytes.subarray(start, end), crc);
}
