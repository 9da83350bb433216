/**
 * Fuzzing the `.evtx` reader with mutated copies of a real log: bytes flipped, ranges zeroed or copied over, the
 * file cut. Checksums are not verified, so the damage reaches the Binary XML decoder. A fixed number of mutations
 * from a fixed seed: the same cases on every run. None may throw (other than "not an EVTX file"), hang or lose a
 * record without counting it.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { mulberry32 } from '@isoforest/common';
import { EvtxFormatError, readEvtx } from '../src/evtx/index.js';
import { sharedRoot, tempFile } from './support.js';

const SAMPLE = join(sharedRoot, 'data', 'raw', 'omerbenamram-evtx__Security_with_size_t.evtx');
const SAMPLE_RECORDS = 636;
const MUTATIONS = 150;

/** One mutation of `original`, chosen by `random`: mostly inside the records, where the decoder works. */
function mutate(original: Uint8Array, random: () => number): Uint8Array {
  const at = (span = original.length) => Math.floor(random() * span);
  const bytes = original.slice();
  switch (at(4)) {
    case 0:
      for (let k = 1 + at(16); k > 0; k--) bytes[at()] ^= 1 << at(8);
      return bytes;
    case 1: {
      const start = at();
      bytes.fill(random() < 0.5 ? 0 : 0xff, start, start + 1 + at(64));
      return bytes;
    }
    case 2: {
      const from = at();
      bytes.copyWithin(at(), from, from + 1 + at(4096));
      return bytes;
    }
    default:
      return bytes.subarray(0, at());
  }
}

describe('fuzzing the .evtx reader', () => {
  it(
    `${MUTATIONS} mutated copies of a real log: no exception, no hang, every record read or counted`,
    { timeout: 600_000 },
    async () => {
      const original = new Uint8Array(readFileSync(SAMPLE));
      const random = mulberry32(11);
      const file = tempFile('fuzz.evtx', '');
      const outcomes = { read: 0, notEvtx: 0 };
      for (let i = 0; i < MUTATIONS; i++) {
        writeFileSync(file, mutate(original, random));
        const reader = readEvtx(file, { verifyChecksums: false });
        try {
          let records = 0;
          for await (const record of reader) {
            expect(typeof record.eventId).toBe('number');
            records++;
          }
          expect(reader.stats.recordsRead).toBe(records);
          outcomes.read++;
        } catch (error) {
          if (!(error instanceof EvtxFormatError)) throw new Error(`mutation ${i}: ${String(error)}`, { cause: error });
          outcomes.notEvtx++;
        }
      }
      expect(outcomes.read).toBeGreaterThan(MUTATIONS / 2);
    },
  );

  it('the unmutated log reads whole, as a check of the harness', async () => {
    const reader = readEvtx(SAMPLE, { verifyChecksums: false });
    let records = 0;
    for await (const _ of reader) records++;
    expect(records).toBe(SAMPLE_RECORDS);
    expect(reader.stats.recordsSkipped).toBe(0);
  });
});
