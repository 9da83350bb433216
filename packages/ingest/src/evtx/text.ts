/** UTF-16LE and ANSI text out of a chunk buffer, and the XML view of a text value. */

const UTF16 = new TextDecoder('utf-16le');
/** Below this many characters a plain loop beats the TextDecoder call overhead. */
const SHORT_STRING_CHARS = 24;

/** Decodes `count` UTF-16LE code units starting at byte `start` of `buf` (the caller has bounds-checked). */
export function decodeUtf16(buf: Uint8Array, start: number, count: number): string {
  if (count > SHORT_STRING_CHARS) return UTF16.decode(buf.subarray(start, start + 2 * count));
  let s = '';
  for (let i = 0, p = start; i < count; i++, p += 2) s += String.fromCharCode(buf[p] | (buf[p + 1] << 8));
  return s;
}

/** Decodes `length` single-byte characters as Latin-1 (EVTX "ANSI" strings carry no code page). */
export function decodeAnsi(buf: Uint8Array, start: number, length: number): string {
  let s = '';
  for (let i = 0; i < length; i++) s += String.fromCharCode(buf[start + i]);
  return s;
}

/** Removes trailing NUL characters, as python-evtx does for every string value. */
export function stripTrailingNuls(s: string): string {
  let end = s.length;
  while (end > 0 && s.charCodeAt(end - 1) === 0) end--;
  return end === s.length ? s : s.slice(0, end);
}

const NEEDS_XML_NORMALISING = /[\x00-\x08\x0b-\x1f\x7f-\x84\x86-\x9f]/;
const XML_FORBIDDEN = /[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x84\x86-\x9f]/g;

/**
 * A text value as an XML reader of the event's rendered XML sees it (and so as the python-evtx derived JSON
 * lines hold it): CR LF and a lone CR become LF, and control characters XML cannot carry are dropped.
 */
export function xmlText(s: string): string {
  if (!NEEDS_XML_NORMALISING.test(s)) return s;
  return s.replace(/\r\n?/g, '\n').replace(XML_FORBIDDEN, '');
}
