import { DataType, type RecordBatch } from 'apache-arrow';
import { createRng } from '@isoforest/reference';
import { IngestError } from '@isoforest/ingest';

/** A uniform sample of a table's rows, as one Float64Array per column. */
export interface ColumnSample {
  readonly columns: Record<string, Float64Array>;
  /** Rows in the sample: `min(size, rowsRead)`. */
  readonly rows: number;
  /** Rows read from the input. */
  readonly rowsRead: number;
}

/**
 * A uniform sample without replacement of `size` rows of the numeric `columns` (default: every Int or Float column
 * of the first batch), streamed over the batches with reservoir sampling (Vitter's Algorithm R): memory holds the
 * sample, whatever the input's size. Each row is kept with the same probability; the sample depends only on the
 * rows and `seed` (the forest's xoshiro128** generator, docs/forest.md). Throws an `IngestError` naming the row and
 * column of a null or non-numeric value.
 */
export async function reservoirSample(
  batches: AsyncIterable<RecordBatch>,
  size: number,
  seed: number,
  label: string,
  columns?: readonly string[],
): Promise<ColumnSample> {
  const rng = createRng(seed, 0);
  let names = columns;
  let sample: Float64Array[] = [];
  let rowsRead = 0;
  for await (const batch of batches) {
    names ??= batch.schema.fields.filter((f) => DataType.isInt(f.type) || DataType.isFloat(f.type)).map((f) => f.name);
    if (sample.length === 0) sample = names.map(() => new Float64Array(size));
    const vectors = names.map((name) => {
      const vector = batch.getChild(name);
      if (vector === null) throw new IngestError(label, null, name, 'missing column');
      return vector;
    });
    for (let row = 0; row < batch.numRows; row++, rowsRead++) {
      const slot = rowsRead < size ? rowsRead : rng.nextBelow(rowsRead + 1);
      if (slot >= size) continue;
      vectors.forEach((vector, c) => {
        const value = vector.get(row);
        if (typeof value !== 'number' && typeof value !== 'bigint')
          throw new IngestError(label, rowsRead + 1, names![c], `${String(value)} is not a number`);
        sample[c][slot] = Number(value);
      });
    }
  }
  const rows = Math.min(size, rowsRead);
  return {
    columns: Object.fromEntries((names ?? []).map((name, c) => [name, sample[c].subarray(0, rows)])),
    rows,
    rowsRead,
  };
}
