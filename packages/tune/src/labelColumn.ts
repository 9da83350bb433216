import { DataType, type Table } from 'apache-arrow';
import { TuneError } from './errors.js';
import { countLabels, type LabelCounts } from './metrics/labels.js';

/** A 0/1 ground-truth column read out of a table. */
export interface Labels extends LabelCounts {
  /** 1 = anomaly, 0 = normal, one per table row. */
  readonly values: Uint8Array;
}

/**
 * Reads the ground-truth column `name` of `table`: an Int, Uint, Float or Bool column holding only 0 and 1 (false
 * and true). Throws TuneError naming the column (and the 0-based row) if it is missing, of another type, null or
 * holds another value.
 */
export function readLabelColumn(table: Table, name: string): Labels {
  const vector = table.getChild(name);
  if (vector === null) {
    const columns = table.schema.fields.map((field) => field.name).join(', ');
    throw new TuneError(`no label column ${name} (the table has columns ${columns})`, {
      column: name,
      option: 'label',
    });
  }
  const { type } = vector;
  if (!DataType.isInt(type) && !DataType.isFloat(type) && !DataType.isBool(type)) {
    throw new TuneError(`label column ${name} has type ${String(type)}; expected 0/1 numbers or booleans`, {
      column: name,
    });
  }
  const values = new Uint8Array(table.numRows);
  for (let row = 0; row < values.length; row++) {
    const value: unknown = vector.get(row);
    if (value === null || value === undefined) {
      throw new TuneError(`column ${name}, row ${row}: label is null`, { column: name, row });
    }
    // Number() reads booleans as 0/1 and bigints exactly.
    const number = Number(value as number | bigint | boolean);
    if (number !== 0 && number !== 1) {
      throw new TuneError(`column ${name}, row ${row}: label ${String(value)} is not 0 or 1`, { column: name, row });
    }
    values[row] = number;
  }
  return { values, ...countLabels(values, name) };
}
