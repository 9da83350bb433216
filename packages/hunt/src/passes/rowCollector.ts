import { Table, vectorFromArray, type Schema, type Vector } from 'apache-arrow';

/**
 * Copies chosen rows out of streamed record batches into one table, each at its given slot: the few best-ranked
 * rows of a hunt, gathered while millions stream past. Holds only those rows' values.
 */
export class RowCollector {
  private schema: Schema | undefined;
  private readonly values = new Map<string, unknown[]>();

  constructor(private readonly slots: number) {}

  /** Takes the columns of the table the rows come from (the first call decides them). */
  see(table: Table): void {
    if (this.schema !== undefined) return;
    this.schema = table.schema;
    for (const field of table.schema.fields) this.values.set(field.name, new Array<unknown>(this.slots));
  }

  /**
   * Copies each `[row, slot]` row of `table` (of the columns {@link see} was given) into its slot. Each column is
   * looked up once per call: `Table.getChildAt` builds a new Vector every time.
   */
  take(table: Table, rows: readonly (readonly [row: number, slot: number])[]): void {
    this.see(table);
    table.schema.fields.forEach((field, c) => {
      const column = table.getChildAt(c)!;
      const values = this.values.get(field.name)!;
      for (const [row, slot] of rows) values[slot] = column.get(row);
    });
  }

  /** The collected rows in slot order, with their columns' types (every slot must have been filled). */
  table(): Table {
    const schema = this.schema;
    if (schema === undefined) return new Table();
    const columns: Record<string, Vector> = {};
    for (const field of schema.fields) {
      const values = this.values.get(field.name) ?? [];
      columns[field.name] = vectorFromArray(values, field.type);
    }
    return new Table(columns);
  }
}
