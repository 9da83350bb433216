/**
 * Arrow record batches -> Parquet, through hyparquet-writer (pure JavaScript, maintained, no WebAssembly to load).
 * Chosen over parquet-wasm 0.8.0 after measuring both on a 1M x 6 Float64 table on the same machine: reading and
 * writing took about the same CPU time (parquet-wasm writes about 1.3x faster, they read about as fast), but
 * parquet-wasm first compiles a 5 MB WebAssembly module (about 0.5 s of every process start, and 5 MB for every web
 * page that loads it) and goes through an extra Arrow IPC copy each way, while hyparquet is about 1 MB of plain
 * ES modules that run in any browser and in Node. `benchmarks/src/io-write.bench.ts` measures both side by side.
 *
 * Each batch is written as one row group (Snappy-compressed, statistics on) and handed to the stream before the next
 * batch is taken, so memory is bounded by a batch.
 */
import { once } from 'node:events';
import { open } from 'node:fs/promises';
import type { Writable } from 'node:stream';
import type { ByteWriter, ParquetWriter } from 'hyparquet-writer';
import type { SchemaElement } from 'hyparquet';
import {
  DataType,
  Table as ArrowTable,
  type Field,
  type RecordBatch,
  type Schema,
  type TypeMap,
  type Vector,
} from 'apache-arrow';

/** The Parquet column of an Arrow field: its schema element and its values as hyparquet-writer takes them. */
interface ColumnPlan {
  readonly element: SchemaElement;
  readonly values: (vector: Vector) => ArrayLike<unknown>;
}

function withNulls(vector: Vector, value: (row: number) => unknown): unknown[] {
  const out = new Array<unknown>(vector.length);
  for (let row = 0; row < vector.length; row++) out[row] = vector.isValid(row) ? value(row) : null;
  return out;
}

/** How an Arrow field is written; types outside the product's tables are refused by name. */
function planColumn(field: Field): ColumnPlan {
  // A dictionary column is written as its values (Parquet dictionary-encodes by itself where it pays).
  const type = (DataType.isDictionary(field.type) ? field.type.dictionary : field.type) as DataType;
  const repetition_type = field.nullable ? 'OPTIONAL' : 'REQUIRED';
  const name = field.name;
  const plain = (vector: Vector, value: (row: number) => unknown) =>
    vector.nullCount === 0 ? Array.from({ length: vector.length }, (_, row) => value(row)) : withNulls(vector, value);
  if (DataType.isFloat(type) || DataType.isInt(type)) {
    return {
      element: { name, type: 'DOUBLE', repetition_type },
      values: (vector) => {
        if (vector.nullCount > 0) return withNulls(vector, (row) => Number(vector.get(row)));
        if (DataType.isDictionary(vector.type))
          return Float64Array.from({ length: vector.length }, (_, row) => Number(vector.get(row)));
        return Float64Array.from(vector.toArray() as ArrayLike<number>, Number);
      },
    };
  }
  if (DataType.isUtf8(type)) {
    return {
      element: { name, type: 'BYTE_ARRAY', converted_type: 'UTF8', repetition_type },
      values: (vector) => plain(vector, (row) => vector.get(row)),
    };
  }
  if (DataType.isDate(type)) {
    return {
      element: { name, type: 'INT32', converted_type: 'DATE', repetition_type },
      values: (vector) => plain(vector, (row) => Math.floor((vector.get(row) as number) / 86_400_000)),
    };
  }
  if (DataType.isTimestamp(type)) {
    return {
      element: { name, type: 'INT64', converted_type: 'TIMESTAMP_MILLIS', repetition_type },
      values: (vector) => plain(vector, (row) => BigInt(Math.trunc(vector.get(row) as number))),
    };
  }
  if (DataType.isBool(type)) {
    return {
      element: { name, type: 'BOOLEAN', repetition_type },
      values: (vector) => plain(vector, (row) => vector.get(row)),
    };
  }
  throw new Error(`cannot write column '${name}' of type ${String(type)} to Parquet`);
}

/** A hyparquet-writer `Writer` whose bytes go to a Node stream after each row group. */
function streamWriter(out: Writable, Writer: new () => ByteWriter): ByteWriter & { flush?: () => Promise<void> } {
  const writer: ByteWriter & { flush?: () => Promise<void> } = new Writer();
  let failure: Error | undefined;
  out.on('error', (error) => {
    failure ??= error;
  });
  const drain = async () => {
    if (writer.index > 0) {
      out.write(new Uint8Array(writer.buffer.slice(0, writer.index)));
      writer.index = 0;
    }
    while (failure === undefined && out.writableLength > 16 << 20) await once(out, 'drain');
    if (failure !== undefined) throw failure;
  };
  writer.flush = drain;
  writer.finish = drain;
  return writer;
}

/**
 * Streams Arrow record batches (or a table) of one schema as a Parquet file into `out` (which the caller opened and
 * ends). Floats and integers are written as DOUBLE (the product's tables hold Float64 counts and features), text as
 * UTF-8 strings, `Date` columns as DATE, timestamps as TIMESTAMP_MILLIS (UTC), booleans as BOOLEAN. Resolves with
 * the number of rows written.
 */
export async function writeParquetStream<T extends TypeMap>(
  out: Writable,
  data: ArrowTable<T> | AsyncIterable<RecordBatch<T>> | Iterable<RecordBatch<T>>,
): Promise<number> {
  // Loaded here, not with the package: every command imports the package, few write Parquet.
  const { ByteWriter: Writer, ParquetWriter: Parquet } = await import('hyparquet-writer');
  const writer = streamWriter(out, Writer);
  let parquet: ParquetWriter | undefined;
  let plans: ColumnPlan[] = [];
  const start = (schema: Schema) => {
    plans = schema.fields.map(planColumn);
    parquet = new Parquet({
      writer,
      schema: [{ name: 'root', num_children: plans.length }, ...plans.map((plan) => plan.element)],
    });
  };
  let rows = 0;
  for await (const batch of data instanceof ArrowTable ? data.batches : data) {
    if (parquet === undefined) start(batch.schema);
    if (batch.numRows === 0) continue;
    const columnData = plans.map((plan, k) => ({
      name: plan.element.name,
      data: plan.values(batch.getChildAt(k) as Vector) as never,
    }));
    await parquet!.write({ columnData, rowGroupSize: batch.numRows });
    rows += batch.numRows;
  }
  if (parquet === undefined) {
    if (!(data instanceof ArrowTable))
      throw new Error('no record batches to write, and so no schema for the Parquet file');
    start(data.schema);
  }
  await parquet!.finish();
  await new Promise<void>((resolve, reject) =>
    out.write(new Uint8Array(0), (error) => (error ? reject(error) : resolve())),
  );
  return rows;
}

/** `writeParquetStream` into a new file at `file` (replaced if it exists); resolves once the file is closed. */
export async function writeParquet<T extends TypeMap>(
  file: string,
  data: ArrowTable<T> | AsyncIterable<RecordBatch<T>> | Iterable<RecordBatch<T>>,
): Promise<number> {
  const out = (await open(file, 'w')).createWriteStream();
  let rows: number;
  try {
    rows = await writeParquetStream(out, data);
  } finally {
    out.end();
    await once(out, 'close');
  }
  return rows;
}
