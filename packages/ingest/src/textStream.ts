import { createReadStream } from 'node:fs';
import { IngestError } from './errors.js';

/**
 * Reads a file as UTF-8 text in chunks, never whole. A leading BOM is dropped. Invalid UTF-8 throws an
 * `IngestError` naming the line of the first bad byte (a fatal `TextDecoder` in streaming mode finds it; a
 * replacing decoder run alongside locates it).
 */
export async function* readUtf8Chunks(file: string, label = file): AsyncGenerator<string> {
  const strict = new TextDecoder('utf-8', { fatal: true });
  const locator = new TextDecoder('utf-8');
  let line = 1;
  const countLines = (s: string): void => {
    for (let i = s.indexOf('\n'); i >= 0; i = s.indexOf('\n', i + 1)) line++;
  };
  for await (const chunk of createReadStream(file, { highWaterMark: 1 << 20 })) {
    const bytes = chunk as Buffer;
    let text: string;
    try {
      text = strict.decode(bytes, { stream: true });
    } catch {
      const replaced = locator.decode(bytes, { stream: true });
      const bad = replaced.indexOf('\uFFFD');
      countLines(bad >= 0 ? replaced.slice(0, bad) : replaced);
      throw new IngestError(label, line, null, 'invalid UTF-8 byte sequence (save the file as UTF-8)');
    }
    locator.decode(bytes, { stream: true });
    countLines(text);
    if (text.length > 0) yield text;
  }
  let tail: string;
  try {
    tail = strict.decode();
  } catch {
    throw new IngestError(label, line, null, 'file ends inside a UTF-8 byte sequence');
  }
  if (tail.length > 0) yield tail;
}

/** Longest line `readLines` takes: an event is a few kilobytes; a line of 16 Mi characters is not an event. */
export const MAX_LINE_CHARS = 16 << 20;

/**
 * Splits decoded chunks into lines (without `\n` or `\r\n`), with their 1-based line numbers. Each character is
 * looked at once however long its line (a line spread over many chunks is kept as pieces and joined once); a
 * line longer than `maxLineChars` throws an `IngestError` naming `label` and the line.
 */
export async function* readLines(
  chunks: AsyncIterable<string>,
  label = '',
  maxLineChars = MAX_LINE_CHARS,
): AsyncGenerator<{ text: string; line: number }> {
  let pieces: string[] = [];
  let pendingChars = 0;
  let line = 0;
  const take = (last: string): string => {
    const text = pieces.length === 0 ? last : pieces.join('') + last;
    pieces = [];
    pendingChars = 0;
    return text;
  };
  const tooLong = () => new IngestError(label, line + 1, null, `line longer than ${maxLineChars} characters: not one event per line`);
  for await (const chunk of chunks) {
    let start = 0;
    for (let nl = chunk.indexOf('\n'); nl >= 0; nl = chunk.indexOf('\n', start)) {
      if (pendingChars + nl - start > maxLineChars) throw tooLong();
      const whole = take(chunk.slice(start, nl));
      line++;
      yield { text: whole.endsWith('\r') ? whole.slice(0, -1) : whole, line };
      start = nl + 1;
    }
    if (start < chunk.length) {
      pendingChars += chunk.length - start;
      if (pendingChars > maxLineChars) throw tooLong();
      pieces.push(chunk.slice(start));
    }
  }
  if (pendingChars > 0) {
    const rest = take('');
    yield { text: rest.endsWith('\r') ? rest.slice(0, -1) : rest, line: line + 1 };
  }
}
