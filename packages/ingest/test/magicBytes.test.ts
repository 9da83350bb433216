/**
 * Telling binary formats apart by their first bytes, on files the formats' own writers made (apache-arrow, the
 * Parquet writer, zlib, fflate) and a real EVTX log: never by their names.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { tableFromArrays, tableToIPC } from 'apache-arrow';
import { zipSync } from 'fflate';
import { describe, expect, it } from 'vitest';
import { binaryFormatOf, MAGIC_BYTES, startsWithBytes, UTF8_BOM } from '../src/magicBytes.js';
import { writeParquet } from '../src/parquet/parquetWrite.js';
import { sharedRoot, tempFile } from './support.js';

const table = tableFromArrays({ x: new Float64Array([1, 2, 3]) });
const head = (bytes: Uint8Array) => bytes.subarray(0, MAGIC_BYTES);

describe('binaryFormatOf', () => {
  it('tells every binary format from what its writer made', async () => {
    const parquetFile = tempFile('magic.parquet', '');
    await writeParquet(parquetFile, table);
    const evtx = readFileSync(join(sharedRoot, 'data', 'raw', 'omerbenamram-evtx__Security_with_size_t.evtx'));
    const made = {
      'arrow-file': tableToIPC(table, 'file'),
      'arrow-stream': tableToIPC(table, 'stream'),
      parquet: readFileSync(parquetFile),
      gzip: gzipSync('a,b\n1,2\n'),
      zip: zipSync({ 'events.json': new TextEncoder().encode('[]') }),
      evtx,
    };
    for (const [format, bytes] of Object.entries(made)) expect(binaryFormatOf(head(bytes))).toBe(format);
  });

  it('finds none in text, however it starts, nor in fewer bytes than a whole magic', () => {
    for (const text of ['DstUser,Date\n', '\ufeffDstUser\n', '[{"EventID":4624}]', '<Events>', 'PA', '']) {
      expect(binaryFormatOf(new TextEncoder().encode(text))).toBeNull();
    }
    expect(binaryFormatOf(new Uint8Array([0xff, 0xff, 0xff]))).toBeNull();
  });
});

describe('startsWithBytes', () => {
  it('sees the UTF-8 byte order mark that TextEncoder writes for U+FEFF', () => {
    expect(startsWithBytes(new TextEncoder().encode('\ufeffa'), UTF8_BOM)).toBe(true);
    expect(startsWithBytes(new TextEncoder().encode('\ufeff').subarray(0, 2), UTF8_BOM)).toBe(false);
  });
});
