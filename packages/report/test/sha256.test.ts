import { createHash } from 'node:crypto';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { cspScriptHash, sha256 } from '../src/sha256.js';

describe('sha256 (the report hashes its scripts in browsers too)', () => {
  it("gives Node's digest for the standard vectors and any text, across block boundaries", () => {
    expect(Buffer.from(sha256(new TextEncoder().encode('abc'))).toString('hex')).toBe(
      'ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad',
    );
    expect(Buffer.from(sha256(new Uint8Array(0))).toString('hex')).toBe(
      'e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855',
    );
    fc.assert(
      fc.property(fc.string({ unit: 'binary', maxLength: 300 }), (text) => {
        const node = createHash('sha256').update(text).digest('base64');
        expect(cspScriptHash(text)).toBe(`'sha256-${node}'`);
      }),
    );
  });
});
