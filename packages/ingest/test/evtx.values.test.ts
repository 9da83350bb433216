/** Text forms of EVTX values, against hand-computed expectations. */
import { describe, expect, it } from 'vitest';
import { fileTimeToIso, fileTimeToMs, fileTimeToPythonText } from '../src/evtx/filetime.js';
import { pythonFloatText, renderValue } from '../src/evtx/values.js';

/** FILETIME halves of `ms` since the Unix epoch plus `subMsTicks` (100 ns units). */
function fileTime(ms: number, subMsTicks = 0): [number, number] {
  const ticks = (BigInt(ms) + 11_644_473_600_000n) * 10_000n + BigInt(subMsTicks);
  return [Number(ticks >> 32n), Number(ticks & 0xffffffffn)];
}

function bytes(...values: number[]) {
  const buf = new Uint8Array(values);
  return { buf, dv: new DataView(buf.buffer) };
}

describe('FILETIME', () => {
  it('converts exactly, with all seven fractional digits', () => {
    const [hi, lo] = fileTime(Date.UTC(2015, 7, 24, 6, 51, 38, 406), 2480);
    expect(fileTimeToMs(hi, lo)).toBe(Date.UTC(2015, 7, 24, 6, 51, 38, 406));
    expect(fileTimeToIso(hi, lo)).toBe('2015-08-24T06:51:38.4062480Z');
    expect(fileTimeToPythonText(hi, lo)).toBe('2015-08-24 06:51:38.406248');
  });

  it('drops a zero fraction like Python, and renders FILETIME 0 as datetime.min', () => {
    const [hi, lo] = fileTime(Date.UTC(2000, 1, 29, 23, 59, 59));
    expect(fileTimeToPythonText(hi, lo)).toBe('2000-02-29 23:59:59');
    expect(fileTimeToPythonText(0, 0)).toBe('0001-01-01 00:00:00');
    expect(fileTimeToIso(0, 0)).toBe('1601-01-01T00:00:00.0000000Z');
  });

  it('handles the far ends of the calendar', () => {
    const [hi, lo] = fileTime(Date.UTC(9999, 11, 31, 23, 59, 59, 999), 9999);
    expect(fileTimeToIso(hi, lo)).toBe('9999-12-31T23:59:59.9999999Z');
    expect(fileTimeToIso(0, 1)).toBe('1601-01-01T00:00:00.0000001Z');
  });
});

describe('value text', () => {
  it('writes floats as Python repr does', () => {
    expect(pythonFloatText(1)).toBe('1.0');
    expect(pythonFloatText(0.1)).toBe('0.1');
    expect(pythonFloatText(1e-5)).toBe('1e-05');
    expect(pythonFloatText(1.5e16)).toBe('1.5e+16');
    expect(pythonFloatText(123456789012345.6)).toBe('123456789012345.6');
    expect(pythonFloatText(Math.fround(0.1))).toBe('0.10000000149011612');
  });

  it('writes integers, hex, booleans, SYSTEMTIME and arrays', () => {
    expect(renderValue(bytes(0xff, 0xff, 0xff, 0xff), 0x07, 0, 4)).toBe('-1');
    expect(renderValue(bytes(0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff), 0x0a, 0, 8)).toBe('18446744073709551615');
    expect(renderValue(bytes(0x24, 0x02, 0x00, 0xc0), 0x14, 0, 4)).toBe('0xc0000224');
    expect(renderValue(bytes(0xa0, 0x7b, 0, 0, 0, 0, 0, 0), 0x10, 0, 8)).toBe('31648');
    expect(renderValue(bytes(1, 0, 0, 0), 0x0d, 0, 4)).toBe('True');
    // 2015-09-02 (Wednesday = 3) 13:14:15.016
    expect(renderValue(bytes(0xdf, 0x07, 9, 0, 3, 0, 2, 0, 13, 0, 14, 0, 15, 0, 16, 0), 0x12, 0, 16)).toBe(
      '2015-09-02 13:14:15.016000',
    );
    expect(renderValue(bytes(0x61, 0, 0, 0, 0x62, 0, 0, 0), 0x81, 0, 8)).toBe('a,b');
    expect(renderValue(bytes(1, 0, 2, 0), 0x86, 0, 4)).toBe('1,2');
    expect(renderValue(bytes(0x41, 0, 0x0d, 0, 0x0a, 0, 0x42, 0, 0, 0), 0x01, 0, 10)).toBe('A\nB');
  });
});
