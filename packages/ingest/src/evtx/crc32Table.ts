/** CRC-32 (IEEE 802.3, reflected polynomial 0xEDB88320) in plain TypeScript, for browsers; Node uses zlib's. */

const TABLES = buildTables();

/** Slicing-by-4 tables: table k maps a byte to its CRC contribution k bytes further on. */
function buildTables(): Uint32Array {
  const t = new Uint32Array(4 * 256);
  for (let n = 0; n < 256; n++) {
    let c = n;
    for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
    t[n] = c >>> 0;
  }
  for (let n = 0; n < 256; n++) {
    let c = t[n];
    for (let k = 1; k < 4; k++) {
      c = t[c & 0xff] ^ (c >>> 8);
      t[k * 256 + n] = c >>> 0;
    }
  }
  return t;
}

/**
 * Continues a CRC-32 over `bytes[start, end)`. Pass the previous result as `crc` to checksum disjoint ranges as
 * one stream (start with 0). Returns the unsigned 32-bit checksum.
 */
export function tableCrc32(bytes: Uint8Array, start: number, end: number, crc = 0): number {
  const t = TABLES;
  let c = ~crc >>> 0;
  let i = start;
  for (; i + 4 <= end; i += 4) {
    c ^= bytes[i] | (bytes[i + 1] << 8) | (bytes[i + 2] << 16) | (bytes[i + 3] << 24);
    c = t[768 + (c & 0xff)] ^ t[512 + ((c >>> 8) & 0xff)] ^ t[256 + ((c >>> 16) & 0xff)] ^ t[c >>> 24];
  }
  for (; i < end; i++) c = t[(c ^ bytes[i]) & 0xff] ^ (c >>> 8);
  return ~c >>> 0;
}
