import { Dictionary, Int32, Table, Utf8, makeVector, type Vector } from 'apache-arrow';
import { describe, expect, it } from 'vitest';
import { DERIVED_COLUMNS, MODEL_FEATURES, buildFeatureTable, modelFeatureColumns } from '../src/index.js';
import { demoUserDays, dictionaryEncode, goldenFeatureTable, readCsv } from './demoData.js';

const TOLERANCE = 1e-12;

/** Column values as numbers, whatever their Arrow encoding (plain, dictionary, chunked). */
function numbers(table: Table, name: string): number[] {
  const column = table.getChild(name);
  if (column === null) throw new Error(`no column ${name}`);
  return Array.from({ length: column.length }, (_, row) => Number(column.get(row)));
}

describe('buildFeatureTable on the notebook demo data', () => {
  const input = demoUserDays();
  const output = buildFeatureTable(input);
  const golden = goldenFeatureTable();

  it('keeps every row and appends the derived columns, named and ordered as the notebook does', () => {
    expect(output.numRows).toBe(135);
    // feature_table.csv = row_index, the input columns, the derived columns, then the model's anomaly and score.
    const goldenNames = [...golden.keys()];
    expect(goldenNames.slice(1, -2)).toEqual(output.schema.fields.map((field) => field.name));
    expect(output.schema.fields.slice(input.numCols).map((field) => field.name)).toEqual(DERIVED_COLUMNS);
  });

  it('passes the input columns through unchanged', () => {
    for (const field of input.schema.fields) {
      expect(output.getChild(field.name)?.toArray()).toEqual(input.getChild(field.name)?.toArray());
    }
  });

  it.each(DERIVED_COLUMNS)('matches the notebook to 1e-12 on every row of %s', (name) => {
    const expected = golden.get(name)!.map((cell) => (cell === '' ? NaN : Number(cell)));
    const actual = numbers(output, name);
    expect(actual).toHaveLength(expected.length);
    for (let row = 0; row < expected.length; row++) {
      if (Number.isNaN(expected[row])) expect(actual[row], `row ${row}`).toBeNaN();
      else
        expect(
          Math.abs(actual[row] - expected[row]),
          `row ${row}: ${actual[row]} vs ${expected[row]}`,
        ).toBeLessThanOrEqual(TOLERANCE);
    }
  });

  it('gives the model the notebook training matrix X.csv', () => {
    const { header, rows } = readCsv('golden/notebook-demo/X.csv');
    expect(header).toEqual([...MODEL_FEATURES]);
    const columns = modelFeatureColumns(output);
    header.forEach((name, c) => {
      for (let row = 0; row < rows.length; row++) {
        expect(Math.abs(columns[c][row] - Number(rows[row][c])), `${name} row ${row}`).toBeLessThanOrEqual(TOLERANCE);
      }
    });
  });

  it('gives the same result for dictionary-encoded keys in record batches with different dictionaries', () => {
    const bounds = [0, 40, 97, 135];
    const columns: Record<string, Vector> = {};
    for (const field of input.schema.fields) {
      const column = input.getChild(field.name)!;
      const isKey = field.name === 'DstDomain' || field.name === 'DstUser';
      const type = new Dictionary(new Utf8(), new Int32());
      const chunks = bounds.slice(1).map((end, i) => {
        const slice = column.slice(bounds[i], end);
        return isKey ? dictionaryEncode(slice.toArray() as string[], type) : slice.data[0];
      });
      columns[field.name] = makeVector(chunks);
    }
    const chunked = new Table(columns);
    expect(chunked.batches.length).toBe(3);
    expect(chunked.getChild('DstUser')!.data[1].dictionary!.get(0)).not.toBe(
      chunked.getChild('DstUser')!.data[0].dictionary!.get(0),
    );
    const fromChunks = buildFeatureTable(chunked);
    for (const name of DERIVED_COLUMNS) expect(numbers(fromChunks, name)).toEqual(numbers(output, name));
  });
});
