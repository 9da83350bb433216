import { describe, expect, it } from 'vitest';
import { IngestError } from '../src/errors.js';
import { MAX_LINE_CHARS, readLines } from '../src/textStream.js';

async function* chunksOf(...chunks: string[]): AsyncGenerator<string> {
  yield* chunks;
}

async function linesOf(chunks: AsyncIterable<string>, label = 'f.ndjson', max?: number) {
  const out: { text: string; line: number }[] = [];
  for await (const line of readLines(chunks, label, max)) out.push(line);
  return out;
}

describe('readLines', () => {
  it('splits lines across any chunk boundaries, CR LF included, as splitting the whole text does', async () => {
    const text = 'a,b\r\n\r\nlong line here\nx\r\ny';
    const oracle = text.split('\n').map((t, i) => ({ text: t.replace(/\r$/, ''), line: i + 1 }));
    for (let cut = 0; cut <= text.length; cut++) {
      for (let cut2 = cut; cut2 <= text.length; cut2 += 3) {
        expect(await linesOf(chunksOf(text.slice(0, cut), text.slice(cut, cut2), text.slice(cut2)))).toEqual(oracle);
      }
    }
  });

  it('keeps a line spread over many chunks whole', async () => {
    const piece = 'x'.repeat(1 << 20);
    async function* longLine() {
      yield 'first\n';
      for (let i = 0; i < 12; i++) yield piece;
      yield '\nlast';
    }
    const lines = await linesOf(longLine());
    expect(lines.map((l) => [l.line, l.text.length])).toEqual([
      [1, 5],
      [2, 12 << 20],
      [3, 4],
    ]);
  });

  it('refuses a line longer than the cap, naming the file and the line', async () => {
    const piece = 'y'.repeat(1 << 20);
    async function* endless() {
      yield 'ok\n';
      for (let i = 0; i < 40; i++) yield piece;
    }
    const failure = linesOf(endless(), 'events.ndjson');
    await expect(failure).rejects.toThrow(IngestError);
    await expect(failure).rejects.toThrow(`events.ndjson:2: line longer than ${MAX_LINE_CHARS} characters`);
    await expect(linesOf(chunksOf('abcdef\n'), 'small.ndjson', 5)).rejects.toThrow(
      'small.ndjson:1: line longer than 5 characters',
    );
  });
});
