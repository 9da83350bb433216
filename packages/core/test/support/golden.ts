import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

/** The repository root, from this file's place in it. */
export const repoRoot = fileURLToPath(new URL('../../../../', import.meta.url));
const goldenDir = new URL('../../../../fixtures/golden/', import.meta.url);

/** One golden case: scikit-learn's model, its input and its outputs (fixtures/golden/README.md). */
export interface GoldenCase {
  readonly name: string;
  readonly modelJson: string;
  readonly x: CsvColumns;
  readonly expected: {
    readonly score_samples: number[];
    readonly decision_function: number[];
    readonly predict: number[];
    readonly offset: number;
    readonly shap_values: number[][];
    readonly shap_expected_value: number;
  };
  readonly meta: {
    readonly n_train_rows?: number;
    readonly X_is_training_data?: boolean;
    readonly X_starts_with_training_rows?: boolean;
    readonly n_predicted_outliers: number;
    readonly total_nodes: number;
    readonly n_estimators: number;
  };
}

/** The case names, as fixtures/golden/index.json lists them. */
export function goldenCaseNames(): string[] {
  return Object.keys(JSON.parse(readFileSync(new URL('index.json', goldenDir), 'utf8')));
}

export function readGoldenCase(name: string): GoldenCase {
  const read = (file: string): string => readFileSync(new URL(`${name}/${file}`, goldenDir), 'utf8');
  return {
    name,
    modelJson: read('model.json'),
    x: parseNumericCsv(read('X.csv')),
    expected: JSON.parse(read('expected.json')),
    meta: JSON.parse(read('meta.json')),
  };
}

/** A numeric CSV as float64 columns, keyed by header name (in header order). */
export interface CsvColumns {
  readonly names: string[];
  readonly columns: Record<string, Float64Array>;
  readonly rows: number;
}

/** Parses a CSV of plain numbers (no quoting): the header names the columns, every other line is one row. */
export function parseNumericCsv(text: string): CsvColumns {
  const lines = text.split(/\r?\n/).filter((line) => line.length > 0);
  const names = lines[0].split(',');
  const rows = lines.length - 1;
  const columns = Object.fromEntries(names.map((name) => [name, new Float64Array(rows)]));
  for (let r = 0; r < rows; r++) {
    const cells = lines[r + 1].split(',');
    if (cells.length !== names.length) throw new Error(`CSV line ${r + 2} has ${cells.length} cells`);
    cells.forEach((cell, c) => {
      const value = Number(cell);
      if (cell.trim() === '' || Number.isNaN(value)) throw new Error(`CSV line ${r + 2}: ${cell} is not a number`);
      columns[names[c]][r] = value;
    });
  }
  return { names, columns, rows };
}
