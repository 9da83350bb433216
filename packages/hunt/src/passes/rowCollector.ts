import {
  DataType,
  makeData,
  makeVector,
  Table,
  vectorFromArray,
  type Dictionary,
  type Field,
  type Schema,
  type Vector,
} from 'apache-arrow';
import { valuesData } from '@isoforest/common/arrow';

/**
 * Copies chosen rows out of streamed record batches into one table, each at its given slot: the few best-ranked
 * rows of a hunt, gathered while millions stream past. Holds only those rows' values.
 */
export class RowCollector {
  private schema: Schema | undefined;
  private columns: SlotColumn[] = [];

  constructor(private readonly slots: number) {}

  /** Takes the columns of the table the rows come from (the first call decides them). */
  see(table: Table): void {
    if (this.schema !== undefined) return;
    this.schema = table.schema;
    this.columns = table.schema.fields.map((field) => slotColumn(field, this.slots));
  }

  /**
   * Copies each `[row, slot]` row of `table` (of the columns {@link see} was given) into its slot. Each column is
   * looked up once per call: `Table.getChildAt` builds a new Vector every time.
   */
  take(table: Table, rows: readonly (readonly [row: number, slot: number])[]): void {
    this.see(table);
    this.columns.forEach((column, c) => {
      const vector = table.getChildAt(c)!;
      const numbers = numbersOf(vector);
      if (numbers !== null && column.setNumber !== undefined)
        for (const [row, slot] of rows) column.setNumber(slot, numbers(row));
      else for (const [row, slot] of rows) column.set(slot, vector.get(row));
    });
  }

  /** The collected rows in slot order, with their columns' types (every slot must have been filled). */
  table(): Table {
    const schema = this.schema;
    if (schema === undefined) return new Table();
    const columns: Record<string, Vector> = {};
    schema.fields.forEach((field, c) => (columns[field.name] = this.columns[c].vector()));
    return new Table(columns);
  }
}

/** The values of one column by slot, and the column they make. */
interface SlotColumn {
  set(slot: number, value: unknown): void;
  /** Sets a number, for columns that keep numbers in a typed array. */
  setNumber?(slot: number, value: number): void;
  vector(): Vector;
}

/**
 * A reader of the numbers of a column in one chunk without nulls, from its typed arrays (`Vector.get` of each cell
 * took about a second for the 100,000 rows a hunt of 10 million keeps): floats and integers of up to 32 bits, and
 * dictionaries of floats (the per-user statistics). Null for any other column.
 */
function numbersOf(vector: Vector): ((row: number) => number) | null {
  if (vector.data.length !== 1 || vector.nullCount !== 0) return null;
  const data = vector.data[0]!;
  const type = data.type as DataType;
  if (typedValues(type, 0) !== null) {
    const values = data.values as NumberArray;
    return (row) => values[row]!;
  }
  const entries = data.dictionary?.data.length === 1 ? data.dictionary.data[0]! : undefined;
  if (
    DataType.isDictionary(type) &&
    DataType.isFloat(type.dictionary) &&
    isInt32(type.indices) &&
    entries?.nullCount === 0
  ) {
    const indices = data.values as Int32Array;
    const values = entries.values as NumberArray;
    return (row) => values[indices[row]!]!;
  }
  return null;
}

/**
 * Numbers (floats, integers of up to 32 bits, and dictionaries of floats: the per-user statistics) are kept in a
 * typed array and made into a column without Arrow's builders, which took most of the end of a hunt of millions
 * of rows (a hundred thousand kept rows, 35 columns); other values (strings, dates, a null) go through the builders.
 */
function slotColumn(field: Field, slots: number): SlotColumn {
  const { type } = field;
  const dictionary = DataType.isDictionary(type);
  const values = typedValues(dictionary ? type.dictionary : type, slots);
  if (values === null || (dictionary && !(DataType.isFloat(type.dictionary) && isInt32(type.indices))))
    return builtColumn(field, slots);
  let fallback: SlotColumn | undefined;
  return {
    setNumber(slot, value) {
      if (fallback === undefined) values[slot] = value;
      else fallback.set(slot, value);
    },
    set(slot, value) {
      if (fallback === undefined && typeof value === 'number') values[slot] = value;
      else {
        // A null (or another value): the rest of this column goes through the builders.
        fallback ??= builtColumn(field, slots, values);
        fallback.set(slot, value);
      }
    },
    vector() {
      if (fallback !== undefined) return fallback.vector();
      if (!dictionary) return makeVector(valuesData(type, values));
      // Each row its own entry: the same values and type as the hunt's per-user columns.
      const indices = Int32Array.from({ length: slots }, (_, i) => i);
      const entries = makeVector(valuesData(type.dictionary, values));
      return makeVector(
        makeData({ type: type as Dictionary, length: slots, nullCount: 0, data: indices, dictionary: entries }),
      );
    },
  };
}

type NumberArray =
  Float64Array | Float32Array | Int32Array | Int16Array | Int8Array | Uint32Array | Uint16Array | Uint8Array;

/** A typed array of `length` values of a float or 8- to 32-bit integer type, else null. */
function typedValues(type: DataType, length: number): NumberArray | null {
  if (DataType.isFloat(type) && type.precision !== 0)
    return new (type.ArrayType as new (n: number) => NumberArray)(length);
  if (DataType.isInt(type) && type.bitWidth <= 32)
    return new (type.ArrayType as new (n: number) => NumberArray)(length);
  return null;
}

function isInt32(type: DataType): boolean {
  return DataType.isInt(type) && type.bitWidth === 32 && type.isSigned;
}

/** Values kept as they come and built into a column of the field's type; `typed` holds the values set so far. */
function builtColumn(field: Field, slots: number, typed?: NumberArray): SlotColumn {
  const values = typed === undefined ? new Array<unknown>(slots) : Array.from(typed);
  return {
    set: (slot, value) => (values[slot] = value),
    vector: () => vectorFromArray(values, field.type),
  };
}
