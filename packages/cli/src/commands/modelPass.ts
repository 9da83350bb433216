import { Table, type RecordBatch, type Vector } from 'apache-arrow';
import { availableParallelism } from 'node:os';
import {
  createParallelModel,
  InputError,
  loadIsoforest,
  threadsWorthStarting,
  type ParallelModel,
} from '@isoforest/core';
import { groupThousands, mapInOrder } from '@isoforest/common';
import { IngestError } from '@isoforest/ingest';
import type { OptionSpecs, OptionValues, RunServices } from '../command.js';
import { readModelFile } from '../io/modelFile.js';
import { refuseOutputOverInput } from '../io/outputIsNotInput.js';
import { parseShard, rowsInShard, type Shard } from '../io/shard.js';
import { readTableBatches } from '../io/tableReader.js';
import { takeRows } from '../io/takeRows.js';
import { writeTable } from '../io/tableWriter.js';
import { appendColumns } from './appendColumns.js';
import { optionalString, optionalThreads, requiredString, THREADS_OPTION } from './values.js';

/** The options `score` and `explain` share: the model, the rows in and out, threads and sharding. */
export const MODEL_PASS_OPTIONS: OptionSpecs = {
  model: {
    type: 'string',
    placeholder: 'MODEL',
    stdio: 'in',
    description: 'a native model (from fit or hunt --save-model) or a scikit-learn JSON export',
  },
  input: {
    type: 'string',
    placeholder: 'FILE',
    stdio: 'in-table',
    description: "the rows (CSV, Arrow IPC or Parquet, streamed in batches); needs the model's feature columns",
  },
  ...THREADS_OPTION,
  shard: {
    type: 'string',
    placeholder: 'K/N',
    description:
      'only the rows of users in shard K of N (a stable hash of DstDomain and DstUser), for fanning out over machines',
  },
};

/** What a pass appends to each batch, computed by the worker pool. */
export type BatchColumns = (model: ParallelModel, rows: Table) => Promise<Record<string, Vector>>;

/**
 * Streams `--input` through the model in record batches on `--threads` workers (in input order), appends the
 * columns `compute` gives, and streams the result to `--output`. Returns the rows read and written.
 */
export async function runModelPass(
  values: OptionValues,
  { progress }: RunServices,
  label: 'scoring' | 'explaining',
  compute: BatchColumns,
): Promise<{ rowsIn: number; rowsOut: number }> {
  const shardText = optionalString(values, 'shard');
  const shard = shardText === undefined ? undefined : parseShard(shardText);
  const threads = optionalThreads(values);
  const input = requiredString(values, 'input');
  const output = requiredString(values, 'output');
  const modelPath = requiredString(values, 'model');
  await refuseOutputOverInput([output], [input, modelPath]);
  const model = await readModelFile(await loadIsoforest(), modelPath);
  const step = progress.start(label);
  const counts = { rowsIn: 0, rowsOut: 0 };
  const { batches, rowsAhead, more } = await readAhead(
    selectedBatches(readTableBatches(input, { numericColumns: model.featureNames }), shard, input, counts),
  );
  // Workers are started only now, and only if the input is big enough to gain from them: the first two batches
  // are the whole input of a small job, and a bigger one has more.
  const requested = threads ?? availableParallelism();
  const work = { scoreRows: rowsAhead, explainRows: label === 'explaining' ? rowsAhead : 0, trees: model.nEstimators };
  const parallel = await createParallelModel(model, {
    threads: more ? requested : threadsWorthStarting(requested, work),
  });
  try {
    async function* outputBatches(): AsyncGenerator<RecordBatch> {
      for await (const [{ batch }, columns] of mapInOrder(
        numbered(batches),
        parallel.threads + 1,
        ({ batch, firstRow }) =>
          compute(parallel, new Table(batch)).catch((error: unknown) => {
            throw locatedInputError(error, input, firstRow, shard !== undefined);
          }),
      )) {
        yield appendColumns(batch, columns);
        step.update(counts.rowsIn);
      }
      if (counts.rowsIn === 0) throw new IngestError(input, null, null, 'has no rows');
    }
    counts.rowsOut = await writeTable(output, outputBatches());
  } finally {
    await parallel.close();
  }
  step.finish(`${groupThousands(counts.rowsOut)} rows`);
  return counts;
}

/** Reads the first two batches of `source` ahead: their rows, whether more follow, and every batch in order. */
async function readAhead(
  source: AsyncGenerator<RecordBatch>,
): Promise<{ batches: AsyncGenerator<RecordBatch>; rowsAhead: number; more: boolean }> {
  const ahead: RecordBatch[] = [];
  for (let next = await source.next(); !next.done; next = await source.next()) {
    ahead.push(next.value);
    if (ahead.length === 2) break;
  }
  const more = ahead.length === 2;
  async function* batches(): AsyncGenerator<RecordBatch> {
    yield* ahead;
    if (more) yield* source;
  }
  return { batches: batches(), rowsAhead: ahead.reduce((sum, batch) => sum + batch.numRows, 0), more };
}

/** The non-empty batches of the input, cut down to one shard when asked; counts every row read. */
async function* selectedBatches(
  batches: AsyncIterable<RecordBatch>,
  shard: Shard | undefined,
  file: string,
  counts: { rowsIn: number },
): AsyncGenerator<RecordBatch> {
  for await (const batch of batches) {
    counts.rowsIn += batch.numRows;
    const selected = shard === undefined ? batch : takeRows(batch, rowsInShard(batch, shard, file)).batches[0]!;
    if (selected.numRows > 0) yield selected;
  }
}

/** Each batch with the number of rows before it. */
async function* numbered(
  batches: AsyncIterable<RecordBatch>,
): AsyncGenerator<{ batch: RecordBatch; firstRow: number }> {
  let firstRow = 0;
  for await (const batch of batches) {
    yield { batch, firstRow };
    firstRow += batch.numRows;
  }
}

/**
 * The core's complaint about a row of one batch (its row numbers start at the batch) as one about the file: the
 * file named, the row counted from the file's first data row (1-based), or among the shard's rows when sharded.
 */
function locatedInputError(error: unknown, file: string, firstRow: number, sharded: boolean): unknown {
  if (!(error instanceof InputError) || error.row === undefined) return error;
  const row = firstRow + error.row + 1;
  const where = sharded ? `row ${row} of the shard's rows` : `row ${row}`;
  const column = error.column === undefined ? '' : `, column "${error.column}"`;
  const problem = error.message.slice(error.message.indexOf(': ') + 2);
  return new IngestError(file, null, null, `${where}${column}: ${problem}`);
}
