/**
 * Splits a top-level JSON array of objects into its elements while the text streams in, so a large export is
 * never parsed whole. Tracks only strings, escapes and nesting depth; each complete element is handed to
 * `JSON.parse`. Yields the element's source text and its 1-based index in the array.
 */
export async function* splitJsonArray(
  chunks: AsyncIterable<string>,
): AsyncGenerator<{ text: string; index: number } | { error: string; index: number }> {
  let depth = 0;
  let inString = false;
  let escaped = false;
  let started = false;
  let closed = false;
  let element = '';
  let index = 0;
  const blank = (c: string) => c === ' ' || c === '\n' || c === '\r' || c === '\t';
  for await (const chunk of chunks) {
    let from = 0;
    for (let i = 0; i < chunk.length; i++) {
      const c = chunk[i]!;
      if (closed) {
        // What follows the array is not dropped unseen: an export is one array and nothing after it.
        if (!blank(c)) {
          yield { error: `text after the end of the JSON array (starts with ${JSON.stringify(c)})`, index: index + 1 };
          return;
        }
        continue;
      }
      if (inString) {
        if (escaped) escaped = false;
        else if (c === '\\') escaped = true;
        else if (c === '"') inString = false;
        continue;
      }
      if (depth === 1 && c !== '{' && c !== ']' && c !== ',' && !blank(c)) {
        // A string, number, array or literal where an event object belongs.
        index++;
        yield { error: `array element is not an object (starts with ${JSON.stringify(c)})`, index };
        return;
      }
      if (c === '"') {
        inString = true;
      } else if (c === '[' || c === '{') {
        if (!started) {
          if (c !== '[') {
            yield { error: 'expected a JSON array of event objects', index: 0 };
            return;
          }
          started = true;
          depth = 1;
          from = i + 1;
          continue;
        }
        if (depth === 1) {
          element = '';
          from = i;
        }
        depth++;
      } else if (c === ']' || c === '}') {
        depth--;
        if (depth === 1) {
          index++;
          yield { text: element + chunk.slice(from, i + 1), index };
          element = '';
          from = i + 1;
        } else if (depth === 0) {
          closed = true;
        }
      } else if (!started && !blank(c)) {
        yield { error: 'expected a JSON array of event objects', index: 0 };
        return;
      }
    }
    if (depth > 1) element += chunk.slice(from);
  }
  if (!started) yield { error: 'empty file: expected a JSON array of event objects', index: 0 };
  else if (!closed) yield { error: 'file ends inside the JSON array', index: index + 1 };
}
