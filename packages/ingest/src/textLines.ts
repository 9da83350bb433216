/** Line splitting of decoded text, shared by the file readers and the in-memory (browser) readers. */
import { IngestError } from './errors.js';

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
  const tooLong = () =>
    new IngestError(label, line + 1, null, `line longer than ${maxLineChars} characters: not one event per line`);
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
