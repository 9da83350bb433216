/**
 * A small RFC 4180 CSV tokenizer for text already in memory (the page reads the picked file whole): quoted fields
 * with commas, doubled quotes and line breaks, CRLF or LF, a leading BOM. The Node reader in @isoforest/ingest
 * streams files through csv-parse; this one exists because that reader depends on Node streams.
 */

/** One record and the 1-based line of the file it starts on (the header is line 1). */
export interface TextRecord {
  readonly fields: string[];
  readonly line: number;
}

/** Thrown for quoting the tokenizer cannot read; `line` is where the bad field starts. */
export class CsvSyntaxError extends Error {
  override readonly name = "CsvSyntaxError";
  constructor(
    readonly line: number,
    readonly problem: string,
  ) {
    super(`line ${line}: ${problem}`);
  }
}

/** The records of `text`, skipping empty lines. */
export function* csvRecords(text: string): Generator<TextRecord> {
  let i = text.charCodeAt(0) === 0xfeff ? 1 : 0;
  let line = 1;
  const n = text.length;
  while (i < n) {
    const start = line;
    const fields: string[] = [];
    let field = "";
    let endOfRecord = false;
    while (!endOfRecord) {
      if (text[i] === '"') {
        const quoteLine = line;
        i++;
        for (;;) {
          if (i >= n) throw new CsvSyntaxError(quoteLine, "a quoted field is never closed");
          const c = text[i];
          if (c === '"') {
            if (text[i + 1] === '"') {
              field += '"';
              i += 2;
              continue;
            }
            i++;
            break;
          }
          if (c === "\n") line++;
          field += c;
          i++;
        }
        if (i < n && text[i] !== "," && text[i] !== "\n" && text[i] !== "\r") {
          throw new CsvSyntaxError(quoteLine, "text after the closing quote of a field");
        }
      }
      while (i < n && text[i] !== "," && text[i] !== "\n" && text[i] !== "\r") field += text[i++];
      fields.push(field);
      field = "";
      if (text[i] === ",") {
        i++;
        continue;
      }
      if (text[i] === "\r") i++;
      if (text[i] === "\n") i++;
      line++;
      endOfRecord = true;
    }
    if (fields.length > 1 || fields[0] !== "") yield { fields, line: start };
  }
}
