import { makeData, Utf8, type Data, type DataType } from 'apache-arrow';
import { valuesData } from '@isoforest/common/arrow';

/**
 * A Utf8 column of `n` rows from a table of strings: row `i` holds string `ids[i]`, whose UTF-8 bytes are
 * `bytes[offsets[id], offsets[id + 1])`. Byte copies only: no JS string and no object per row.
 */
export function utf8Column(n: number, ids: ArrayLike<number>, bytes: Uint8Array, offsets: Int32Array): Data<Utf8> {
  const valueOffsets = new Int32Array(n + 1);
  for (let i = 0; i < n; i++) valueOffsets[i + 1] = valueOffsets[i] + offsets[ids[i] + 1] - offsets[ids[i]];
  const data = new Uint8Array(valueOffsets[n]);
  for (let i = 0; i < n; i++) {
    for (let from = offsets[ids[i]], end = offsets[ids[i] + 1], to = valueOffsets[i]; from < end; from++, to++)
      data[to] = bytes[from];
  }
  return makeData({ type: new Utf8(), length: n, nullCount: 0, data, valueOffsets });
}

/** The byte table of {@link utf8Column} for a list of strings. */
export function encodeStrings(strings: readonly string[]): { bytes: Uint8Array; offsets: Int32Array } {
  const encoded = strings.map((s) => new TextEncoder().encode(s));
  const offsets = new Int32Array(strings.length + 1);
  encoded.forEach((e, k) => (offsets[k + 1] = offsets[k] + e.length));
  const bytes = new Uint8Array(offsets[strings.length]);
  encoded.forEach((e, k) => bytes.set(e, offsets[k]));
  return { bytes, offsets };
}

/**
 * A 64-bit timestamp column from milliseconds held as doubles. The int64 words are written through a 32-bit
 * little-endian view instead of one BigInt per row (exact for any ms below 2^53).
 */
export function int64Column(type: DataType, ms: Float64Array, n: number): Data {
  const values = new BigInt64Array(n);
  const words = new Uint32Array(values.buffer);
  for (let i = 0; i < n; i++) {
    const value = ms[i];
    const high = Math.floor(value / 4294967296);
    words[2 * i] = value - high * 4294967296;
    words[2 * i + 1] = high;
  }
  return valuesData(type, values);
}
