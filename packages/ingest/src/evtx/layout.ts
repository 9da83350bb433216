/**
 * Fixed sizes and field offsets of the EVTX container (libyal "Windows XML Event Log (EVTX) format").
 * All multi-byte integers in the file are little-endian.
 */

/** `ElfFile\0`: the first 8 bytes of every EVTX file. */
export const FILE_MAGIC = [0x45, 0x6c, 0x66, 0x46, 0x69, 0x6c, 0x65, 0x00] as const;
/** `ElfChnk\0`: the first 8 bytes of every chunk in use. */
export const CHUNK_MAGIC = [0x45, 0x6c, 0x66, 0x43, 0x68, 0x6e, 0x6b, 0x00] as const;

/** Bytes of the file header that carry fields; the header block itself is padded to `FILE_HEADER_BLOCK_SIZE`. */
export const FILE_HEADER_SIZE = 128;
/** The file header occupies one 4 KiB block; the first chunk starts right after it. */
export const FILE_HEADER_BLOCK_SIZE = 4096;
/** The file header CRC32 covers bytes [0, 120). */
export const FILE_HEADER_CRC_SPAN = 120;
/** The number the next record written gets (u64): one past the last record of the log. */
export const FILE_HEADER_OFFSET_NEXT_RECORD = 24;
export const FILE_HEADER_OFFSET_CHUNK_COUNT = 42;
export const FILE_HEADER_OFFSET_CRC = 124;

/** Every chunk is exactly 64 KiB. */
export const CHUNK_SIZE = 65536;
/** The chunk header (with its string and template tables) is 512 bytes; records start right after it. */
export const CHUNK_HEADER_SIZE = 512;
export const CHUNK_OFFSET_FIRST_RECORD_NUMBER = 8;
export const CHUNK_OFFSET_LAST_RECORD_NUMBER = 16;
export const CHUNK_OFFSET_FREE_SPACE = 48;
export const CHUNK_OFFSET_RECORDS_CRC = 52;
export const CHUNK_OFFSET_HEADER_CRC = 124;
/** The chunk header CRC32 covers bytes [0, 120) and [128, 512): it skips the flags and the CRC itself. */
export const CHUNK_HEADER_CRC_SPAN_1 = 120;
export const CHUNK_HEADER_CRC_START_2 = 128;

/** `**\0\0` as a little-endian u32: the first 4 bytes of every event record. */
export const RECORD_MAGIC = 0x00002a2a;
/** magic (4) + size (4) + record id (8) + written FILETIME (8). */
export const RECORD_HEADER_SIZE = 24;
/** Header plus the trailing copy of the size (4). */
export const RECORD_MIN_SIZE = 28;

/** A template definition: next offset (4), GUID (16), data size (4), then the Binary XML fragment. */
export const TEMPLATE_HEADER_SIZE = 24;
/** A name string: next offset (4), hash (2), character count (2), UTF-16LE characters, then a NUL (2). */
export const NAME_HEADER_SIZE = 8;

/**
 * Deepest element / template / nested-BinXml nesting we follow. Real events nest about 5 deep; the cap keeps
 * hostile input from exhausting the stack.
 */
export const MAX_NESTING_DEPTH = 64;
