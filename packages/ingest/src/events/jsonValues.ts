/**
 * Splits text holding one or more top-level JSON objects (JSON lines, a single object pretty-printed over many
 * lines, or objects simply written one after another) into the source text of each, with the line it starts on,
 * while the text streams in. Tracks only strings, escapes and nesting depth; `JSON.parse` reads each piece.
 * One value may not exceed `maxValueChars` (the whole of a single-object file is one value).
 */

/** Largest single JSON value, in characters (64 Mi). */
export const MAX_JSON_VALUE_CHARS = 64 * 1024 * 1024;

export type JsonValuePiece =
  { readonly text: string; readonly line: number } | { readonly error: string; readonly line: number };

export async function* splitJsonValues(
  chunks: AsyncIterable<string>,
  maxValueChars = MAX_JSON_VALUE_CHARS,
): AsyncGenerator<JsonValuePiece> {
  let depth = 0;
  let inString = false;
  let escaped = false;
  let line = 1;
  let startLine = 0;
  let value = '';
  let found = false;
  for await (const chunk of chunks) {
    let from = 0;
    for (let i = 0; i < chunk.length; i++) {
      const c = chunk.charCodeAt(i);
      if (c === 10) line++;
      if (inString) {
        if (escaped) escaped = false;
        else if (c === 92)
          escaped = true; // backslash
        else if (c === 34) inString = false;
        continue;
      }
      if (depth === 0) {
        if (c === 123) {
          // `{` starts a value
          depth = 1;
          from = i;
          value = '';
          startLine = line;
          found = true;
        } else if (c !== 32 && c !== 10 && c !== 13 && c !== 9) {
          yield { error: `expected a JSON object, found ${JSON.stringify(chunk[i])}`, line };
          return;
        }
        continue;
      }
      if (c === 34) inString = true;
      else if (c === 123 || c === 91) depth++;
      else if (c === 125 || c === 93) {
        depth--;
        if (depth === 0) {
          yield { text: value + chunk.slice(from, i + 1), line: startLine };
          value = '';
        }
      }
    }
    if (depth > 0) {
      value += chunk.slice(from);
      if (value.length > maxValueChars) {
        yield {
          error: `a JSON value longer than ${maxValueChars} characters (write one event per line: JSON lines)`,
          line: startLine,
        };
        return;
      }
    }
  }
  if (depth > 0 || inString) yield { error: 'file ends inside a JSON object', line: startLine };
  else if (!found) yield { error: 'no JSON object found', line };
}
