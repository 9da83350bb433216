import { open } from 'node:fs/promises';
import { once } from 'node:events';
import { Table as ArrowTable, type RecordBatch, type Schema, type TypeMap, type Vector } from 'apache-arrow';
import { cellWriter, csvQuote } from './csvText.js';

export { csvNumber, csvQuote, csvText } from './csvText.js';

/** Options of `writeCsv`. */
export interface WriteCsvOptions {
  /** Line ending; default `\n`. */
  eol?: '\n' | '\r\n';
}

/**
 * Streams Arrow record batches (or a table) to a CSV file: a header of the field names, then one line per row.
 * Numbers round-trip (`csvNumber`), `DateDay` is `YYYY-MM-DD`, timestamps are ISO 8601 UTC
 * (`2022-09-19T23:29:46.297Z`), strings are quoted as needed. Resolves with the number of rows written.
 */
export async function writeCsv<T extends TypeMap>(
  file: string,
  data: ArrowTable<T> | AsyncIterable<RecordBatch<T>> | Iterable<RecordBatch<T>>,
  options: WriteCsvOptions = {},
): Promise<number> {
  const eol = options.eol ?? '\n';
  // Opening first turns a bad path into a rejected promise here, not an 'error' event nobody listens to.
  const out = (await open(file, 'w')).createWriteStream();
  let streamError: Error | undefined;
  out.on('error', (error) => {
    streamError ??= error;
  });
  const write = async (text: string): Promise<void> => {
    if (!out.write(text)) await once(out, 'drain');
  };
  let rows = 0;
  let schema: Schema | null = null;
  try {
    const batches = data instanceof ArrowTable ? data.batches : data;
    for await (const batch of batches) {
      if (schema === null) {
        schema = batch.schema;
        await write(schema.fields.map((f) => csvQuote(f.name)).join(',') + eol);
      }
      const writers = batch.schema.fields.map((f) => cellWriter(f.type));
      const columns = batch.schema.fields.map((_, k) => batch.getChildAt(k) as Vector);
      let chunk = '';
      for (let i = 0; i < batch.numRows; i++) {
        chunk += columns.map((c, k) => writers[k]!(c.get(i))).join(',') + eol;
        if (chunk.length > 1 << 16) {
          await write(chunk);
          chunk = '';
        }
      }
      await write(chunk);
      rows += batch.numRows;
    }
    if (schema === null && data instanceof ArrowTable) {
      await write(data.schema.fields.map((f) => csvQuote(f.name)).join(',') + eol);
    }
  } finally {
    out.end();
    await once(out, 'close');
  }
  if (streamError !== undefined) throw streamError;
  return rows;
}
