/**
 * Binary XML value types and their text form. The text follows python-evtx (the converter behind the derived JSON
 * lines): decimal integers (size_t too), `0x` + zero-padded lowercase hex for the hex types, `{lowercase-guid}`,
 * `S-1-5-...` SIDs, `True`/`False`, base64 binary, timestamps as `YYYY-MM-DD HH:MM:SS[.ffffff]` UTC. Where
 * python-evtx has a bug this follows the format, not the bug: SYSTEMTIME milliseconds are rendered as
 * milliseconds; arrays (which python-evtx cannot read) are their items joined by `,`, as the Rust `evtx` crate
 * writes them.
 */
import { EvtxParseError } from './errors.js';
import { fileTimeToPythonText, pythonDateTimeText } from './filetime.js';
import { decodeAnsi, decodeUtf16, stripTrailingNuls, xmlText } from './text.js';

export const VT_NULL = 0x00;
export const VT_WSTRING = 0x01;
export const VT_ANSI_STRING = 0x02;
export const VT_INT8 = 0x03;
export const VT_UINT8 = 0x04;
export const VT_INT16 = 0x05;
export const VT_UINT16 = 0x06;
export const VT_INT32 = 0x07;
export const VT_UINT32 = 0x08;
export const VT_INT64 = 0x09;
export const VT_UINT64 = 0x0a;
export const VT_REAL32 = 0x0b;
export const VT_REAL64 = 0x0c;
export const VT_BOOL = 0x0d;
export const VT_BINARY = 0x0e;
export const VT_GUID = 0x0f;
export const VT_SIZE_T = 0x10;
export const VT_FILETIME = 0x11;
export const VT_SYSTEMTIME = 0x12;
export const VT_SID = 0x13;
export const VT_HEX_INT32 = 0x14;
export const VT_HEX_INT64 = 0x15;
export const VT_EVT_HANDLE = 0x20;
export const VT_BINXML = 0x21;
export const VT_EVT_XML = 0x23;
/** Set on a value type to mean "array of" that type. */
export const VT_ARRAY_FLAG = 0x80;

/** Byte width of the fixed-size types, 0 for the variable-size ones. */
const FIXED_SIZE: Record<number, number> = {
  [VT_INT8]: 1,
  [VT_UINT8]: 1,
  [VT_INT16]: 2,
  [VT_UINT16]: 2,
  [VT_INT32]: 4,
  [VT_UINT32]: 4,
  [VT_INT64]: 8,
  [VT_UINT64]: 8,
  [VT_REAL32]: 4,
  [VT_REAL64]: 8,
  [VT_BOOL]: 4,
  [VT_GUID]: 16,
  [VT_FILETIME]: 8,
  [VT_SYSTEMTIME]: 16,
  [VT_HEX_INT32]: 4,
  [VT_HEX_INT64]: 8,
};

const TWO_32 = 4294967296;

/** A bounds-checked view of one chunk's bytes, shared by the value readers. */
export interface ChunkBytes {
  readonly buf: Uint8Array;
  readonly dv: DataView;
}

/**
 * Text of a substitution value of `type` occupying `bytes.buf[start, start + size)`. Strings lose trailing NULs
 * and are normalised as XML text. Null, handle and EvtXml values are the empty string. BinXml (0x21) is not a
 * scalar and is rejected here: the caller expands it.
 */
export function renderValue(bytes: ChunkBytes, type: number, start: number, size: number): string {
  if (type & VT_ARRAY_FLAG) return renderArray(bytes, type & ~VT_ARRAY_FLAG, start, size);
  const { buf, dv } = bytes;
  switch (type) {
    case VT_NULL:
    case VT_EVT_HANDLE:
    case VT_EVT_XML:
      return '';
    case VT_WSTRING:
      return xmlText(stripTrailingNuls(decodeUtf16(buf, start, size >>> 1)));
    case VT_ANSI_STRING:
      return xmlText(stripTrailingNuls(decodeAnsi(buf, start, size)));
    case VT_BINARY:
      return base64(buf.subarray(start, start + size));
    case VT_SIZE_T:
      // size_t is 4 or 8 bytes depending on the writer's word size; the substitution size says which.
      if (size === 4) return String(dv.getUint32(start, true));
      if (size === 8) return renderFixed(bytes, VT_UINT64, start, 8);
      throw new EvtxParseError(start, `size_t value has ${size} bytes, needs 4 or 8`);
    case VT_SID:
      return renderSid(bytes, start, size);
    case VT_BINXML:
      throw new EvtxParseError(start, 'nested Binary XML where a scalar value was expected');
  }
  const width = FIXED_SIZE[type];
  if (width === undefined) throw new EvtxParseError(start, `unknown value type 0x${type.toString(16)}`);
  if (size < width)
    throw new EvtxParseError(start, `value of type 0x${type.toString(16)} has ${size} bytes, needs ${width}`);
  return renderFixed(bytes, type, start, width);
}

/** Byte width of a fixed-size value type, or 0 when the type's size is carried by the data. */
export function fixedValueSize(type: number): number {
  return FIXED_SIZE[type] ?? 0;
}

function renderFixed({ buf, dv }: ChunkBytes, type: number, p: number, width: number): string {
  switch (type) {
    case VT_INT8:
      return String(dv.getInt8(p));
    case VT_UINT8:
      return String(buf[p]);
    case VT_INT16:
      return String(dv.getInt16(p, true));
    case VT_UINT16:
      return String(dv.getUint16(p, true));
    case VT_INT32:
      return String(dv.getInt32(p, true));
    case VT_UINT32:
      return String(dv.getUint32(p, true));
    case VT_INT64:
      return dv.getBigInt64(p, true).toString();
    case VT_UINT64: {
      const hi = dv.getUint32(p + 4, true);
      // Exact as a double below 2^53; BigInt only for the rare larger values.
      return hi < 0x200000 ? String(hi * TWO_32 + dv.getUint32(p, true)) : dv.getBigUint64(p, true).toString();
    }
    case VT_REAL32:
      return pythonFloatText(dv.getFloat32(p, true));
    case VT_REAL64:
      return pythonFloatText(dv.getFloat64(p, true));
    case VT_BOOL:
      return dv.getInt32(p, true) !== 0 ? 'True' : 'False';
    case VT_GUID:
      return renderGuid(buf, p);
    case VT_FILETIME:
      return fileTimeToPythonText(dv.getUint32(p + 4, true), dv.getUint32(p, true));
    case VT_SYSTEMTIME:
      return renderSystemTime(dv, p);
    case VT_HEX_INT32:
      return '0x' + dv.getUint32(p, true).toString(16).padStart(8, '0');
    case VT_HEX_INT64:
      return (
        '0x' +
        dv
          .getUint32(p + 4, true)
          .toString(16)
          .padStart(8, '0') +
        dv.getUint32(p, true).toString(16).padStart(8, '0')
      );
  }
  throw new EvtxParseError(p, `unknown fixed-size value type 0x${type.toString(16)} (${width} bytes)`);
}

const HEX = Array.from({ length: 256 }, (_, i) => i.toString(16).padStart(2, '0'));

/** `{xxxxxxxx-xxxx-xxxx-xxxx-xxxxxxxxxxxx}`: the first three groups are little-endian integers. */
function renderGuid(b: Uint8Array, p: number): string {
  return (
    '{' +
    HEX[b[p + 3]] +
    HEX[b[p + 2]] +
    HEX[b[p + 1]] +
    HEX[b[p]] +
    '-' +
    HEX[b[p + 5]] +
    HEX[b[p + 4]] +
    '-' +
    HEX[b[p + 7]] +
    HEX[b[p + 6]] +
    '-' +
    HEX[b[p + 8]] +
    HEX[b[p + 9]] +
    '-' +
    HEX[b[p + 10]] +
    HEX[b[p + 11]] +
    HEX[b[p + 12]] +
    HEX[b[p + 13]] +
    HEX[b[p + 14]] +
    HEX[b[p + 15]] +
    '}'
  );
}

/** `S-<revision>-<48-bit big-endian authority>-<sub-authority>...`, sub-authorities little-endian u32. */
function renderSid({ buf, dv }: ChunkBytes, p: number, size: number): string {
  if (size < 8) throw new EvtxParseError(p, `SID of ${size} bytes is shorter than its 8-byte header`);
  const count = buf[p + 1];
  if (8 + 4 * count > size) throw new EvtxParseError(p, `SID claims ${count} sub-authorities but has ${size} bytes`);
  const authority = dv.getUint16(p + 2, false) * TWO_32 + dv.getUint32(p + 4, false);
  let s = `S-${buf[p]}-${authority}`;
  for (let i = 0; i < count; i++) s += '-' + dv.getUint32(p + 8 + 4 * i, true);
  return s;
}

/** SYSTEMTIME: year, month, day of week, day, hour, minute, second, milliseconds (u16 each), taken as UTC. */
function renderSystemTime(dv: DataView, p: number): string {
  const f = (i: number) => dv.getUint16(p + 2 * i, true);
  const date = new Date(0);
  date.setUTCFullYear(f(0), f(1) - 1, f(3)); // unlike Date.UTC, keeps years 0-99 as written
  const wholeSecondMs = date.setUTCHours(f(4), f(5), f(6));
  if (Number.isNaN(wholeSecondMs)) throw new EvtxParseError(p, 'SYSTEMTIME is not a valid date');
  return pythonDateTimeText(wholeSecondMs, f(7) * 1000);
}

/**
 * Python's `repr(float)`: the shortest round-tripping digits, in positional form for exponents -4..15 (with
 * `.0` on integral values) and `d.ddde±XX` outside it.
 */
export function pythonFloatText(x: number): string {
  if (Number.isNaN(x)) return 'nan';
  if (!Number.isFinite(x)) return x > 0 ? 'inf' : '-inf';
  if (x === 0) return Object.is(x, -0) ? '-0.0' : '0.0';
  const [mantissa, expText] = x.toExponential().split('e');
  const exp = Number(expText);
  if (exp < -4 || exp >= 16) {
    const sign = exp < 0 ? '-' : '+';
    return `${mantissa}e${sign}${String(Math.abs(exp)).padStart(2, '0')}`;
  }
  const s = String(x); // positional for this exponent range in JavaScript too
  return s.includes('.') ? s : s + '.0';
}

/** Items of an array value joined by `,`; string arrays are NUL-separated, the others fixed-width items. */
function renderArray(bytes: ChunkBytes, itemType: number, start: number, size: number): string {
  if (itemType === VT_WSTRING || itemType === VT_ANSI_STRING) {
    const whole =
      itemType === VT_WSTRING ? decodeUtf16(bytes.buf, start, size >>> 1) : decodeAnsi(bytes.buf, start, size);
    const items = stripTrailingNuls(whole).split('\0');
    return xmlText(items.join(','));
  }
  if (itemType === VT_SID) {
    const items: string[] = [];
    for (let p = start, end = start + size; p + 8 <= end;) {
      const itemSize = 8 + 4 * bytes.buf[p + 1];
      items.push(renderSid(bytes, p, Math.min(itemSize, end - p)));
      p += itemSize;
    }
    return items.join(',');
  }
  const width = itemType === VT_SIZE_T ? (size % 8 === 0 ? 8 : 4) : FIXED_SIZE[itemType];
  if (width === undefined)
    throw new EvtxParseError(start, `array of unsupported value type 0x${itemType.toString(16)}`);
  const items: string[] = [];
  for (let p = start, end = start + size; p + width <= end; p += width)
    items.push(renderValue(bytes, itemType, p, width));
  return items.join(',');
}

/** Standard base64 of `bytes` (what Node's `Buffer#toString('base64')` gives), with no Node built-ins. */
function base64(bytes: Uint8Array): string {
  let binary = '';
  for (let i = 0; i < bytes.length; i++) binary += String.fromCharCode(bytes[i]!);
  return btoa(binary);
}
