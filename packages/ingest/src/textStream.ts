import { IngestError } from './errors.js';

/**
 * UTF-8 text of bytes arriving in chunks (a file, a member of an archive), never whole; `label` names them in
 * errors. A leading BOM is dropped. Invalid UTF-8 throws an `IngestError` naming the line of the first bad byte (a
 * fatal `TextDecoder` in streaming mode finds it; a replacing decoder run alongside locates it).
 */
export async function* decodeUtf8Chunks(bytesIn: AsyncIterable<Uint8Array>, label: string): AsyncGenerator<string> {
  const strict = new TextDecoder('utf-8', { fatal: true });
  const locator = new TextDecoder('utf-8');
  let line = 1;
  const countLines = (s: string): void => {
    for (let i = s.indexOf('\n'); i >= 0; i = s.indexOf('\n', i + 1)) line++;
  };
  for await (const bytes of bytesIn) {
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

export { MAX_LINE_CHARS, readLines } from './textLines.js';
