/**
 * The leading bytes by which every reader tells binary formats apart. Formats are told from content, never from a
 * file's name: stdin has none, and a name can lie.
 */
import { ARROW_FILE_MAGIC } from '@isoforest/common/arrow';
import { FILE_MAGIC as EVTX_FILE_MAGIC } from './evtx/layout.js';

/** The binary formats recognised by their first bytes. */
export type BinaryFormat = 'gzip' | 'zip' | 'evtx' | 'parquet' | 'arrow-file' | 'arrow-stream';

const FORMAT_MAGIC: Readonly<Record<BinaryFormat, readonly number[]>> = {
  gzip: [0x1f, 0x8b],
  // "PK": a local file header, or the end record of an empty archive.
  zip: [0x50, 0x4b],
  evtx: EVTX_FILE_MAGIC,
  parquet: [0x50, 0x41, 0x52, 0x31], // "PAR1"
  'arrow-file': ARROW_FILE_MAGIC,
  // A stream's first message starts with the continuation marker.
  'arrow-stream': [0xff, 0xff, 0xff, 0xff],
};

/** The bytes of a UTF-8 byte order mark, which a CSV may start with. */
export const UTF8_BOM: readonly number[] = [0xef, 0xbb, 0xbf];

/** How many leading bytes {@link binaryFormatOf} needs to tell every format apart. */
export const MAGIC_BYTES = Math.max(...Object.values(FORMAT_MAGIC).map((magic) => magic.length));

/** Whether `bytes` starts with `prefix`. */
export function startsWithBytes(bytes: Uint8Array, prefix: readonly number[]): boolean {
  return bytes.length >= prefix.length && prefix.every((b, i) => bytes[i] === b);
}

/** The binary format `head` (a file's first bytes, at least {@link MAGIC_BYTES} when it has them) starts, if any. */
export function binaryFormatOf(head: Uint8Array): BinaryFormat | null {
  for (const format of Object.keys(FORMAT_MAGIC) as BinaryFormat[]) {
    if (startsWithBytes(head, FORMAT_MAGIC[format])) return format;
  }
  return null;
}
