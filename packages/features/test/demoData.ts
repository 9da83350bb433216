/** Test fixtures: the notebook's demo data as an Arrow table, and the notebook's feature table (its pandas output). */
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { parse } from 'csv-parse/sync';
import { Int32, Table, Utf8, makeData, vectorFromArray, type Data, type Dictionary, type Vector } from 'apache-arrow';

const fixtures = fileURLToPath(new URL('../../../fixtures/', import.meta.url));

/** Header of the demo CSV, whose columns are all strings except these counts. */
const TEXT_COLUMNS = new Set([
  'Date',
  'DstDomain',
  'DstUser',
  'LogonTypeName',
  'MAX_TimeGenerated [UTC]',
  'MIN_TimeGenerated [UTC]',
]);

export interface CsvTable {
  readonly header: string[];
  readonly rows: string[][];
}

/** A CSV file as a header and rows of strings (BOM stripped, CRLF and quoted fields handled by csv-parse). */
export function readCsv(relativePath: string): CsvTable {
  const records: string[][] = parse(readFileSync(fixtures + relativePath), { bom: true });
  return { header: records[0], rows: records.slice(1) };
}

/** The demo user-days as one Arrow record batch: key and text columns Utf8, counts Int32, in the file's order. */
export function demoUserDays(): Table {
  const { header, rows } = readCsv('demo/iforest-demo-data.csv');
  const columns: Record<string, Vector> = {};
  header.forEach((name, c) => {
    const cells = rows.map((row) => row[c]);
    columns[name] = TEXT_COLUMNS.has(name)
      ? vectorFromArray(cells, new Utf8())
      : vectorFromArray(cells.map(Number), new Int32());
  });
  return new Table(columns);
}

/** The notebook's feature table: every column by name, as strings (empty for pandas' NaN). */
export function goldenFeatureTable(): Map<string, string[]> {
  const { header, rows } = readCsv('golden/notebook-demo/feature_table.csv');
  return new Map(header.map((name, c) => [name, rows.map((row) => row[c])]));
}

/** Dictionary-encodes strings with the distinct values in reverse order of appearance, so ids differ per batch. */
export function dictionaryEncode(values: string[], type: Dictionary<Utf8, Int32>): Data<Dictionary<Utf8, Int32>> {
  const distinct = [...new Set(values)].reverse();
  const indices = Int32Array.from(values, (value) => distinct.indexOf(value));
  const dictionary = vectorFromArray(distinct, new Utf8());
  return makeData({ type, data: indices, dictionary, length: values.length, nullCount: 0 });
}
