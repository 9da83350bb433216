/**
 * The streamed hunt (huntUserDayPasses) against the in-memory one (huntUserDays): same model, scores, ranking,
 * SHAP values, counts and report, to the bit, on the demo data and on a generated tenant, whatever the batch size.
 */
import { fileURLToPath } from 'node:url';
import { Table, tableFromIPC, tableToIPC, vectorFromArray, type RecordBatch } from 'apache-arrow';
import { beforeAll, describe, expect, it } from 'vitest';
import { loadIsoforest, type Isoforest } from '@isoforest/core';
import { readAll, readUserDayCsv, REUSED_BUFFERS } from '@isoforest/ingest';
import { generateUserDays } from '@isoforest/synth';
import {
  huntUserDayPasses,
  huntUserDays,
  toHuntReport,
  type HuntOptions,
  type HuntPassesOptions,
  type HuntResult,
} from '../src/index.js';

const DEMO = fileURLToPath(new URL('../../../fixtures/demo/iforest-demo-data.csv', import.meta.url));
const SCORE_COLUMNS = ['score_samples', 'decision_function', 'predict', 'score'] as const;

let isoforest: Isoforest;
let demo: Table;
let tenant: Table;

beforeAll(async () => {
  isoforest = await loadIsoforest();
  demo = await readAll(readUserDayCsv(DEMO));
  tenant = new Table([...generateUserDays({ users: 300, days: 30, seed: 7, attackRate: 0.01, batchRows: 997 })]);
});

/** The table's rows again and again, as tables of `size` rows: a source read once per pass. */
function passesOver(table: Table, size: number) {
  let reads = 0;
  const read = async function* () {
    reads++;
    for (let start = 0; start < table.numRows; start += size)
      yield table.slice(start, Math.min(table.numRows, start + size));
  };
  return { read, reads: () => reads };
}

/** The table in buffers of its own. */
const copyOf = (table: Table) => tableFromIPC(tableToIPC(table));

/** The batch's values, as `get` gives them, in vectors of their own. */
function valuesCopyOf(batch: RecordBatch): RecordBatch {
  const table = new Table(batch);
  const columns = table.schema.fields.map((field) => [field.name, vectorFromArray(columnValues(table, field.name))]);
  return new Table(Object.fromEntries(columns)).batches[0];
}

/** Overwrites every byte of the table's value buffers with 0xff. */
function wreck(table: Table): void {
  for (const batch of table.batches)
    for (const column of batch.data.children) {
      const values = column.values as ArrayBufferView;
      new Uint8Array(values.buffer, values.byteOffset, values.byteLength).fill(0xff);
    }
}

/** Every value of a column, as `get` gives it (numbers, strings, dates). */
const columnValues = (table: Table, name: string) =>
  Array.from({ length: table.numRows }, (_, row) => table.getChild(name)!.get(row));

/** `a` and `b` hold the same values, Object.is per element (0 is not -0, NaN is NaN). */
function expectSameValues(a: ArrayLike<unknown>, b: ArrayLike<unknown>, what: string): void {
  expect(a.length, what).toBe(b.length);
  for (let i = 0; i < a.length; i++)
    if (!Object.is(a[i], b[i])) expect({ what, i, value: a[i] }).toEqual({ what, i, value: b[i] });
}

async function huntBothWays(
  userDays: Table,
  batchRows: number,
  options: HuntOptions & Pick<HuntPassesOptions, 'keep'>,
) {
  const inMemory = await huntUserDays(isoforest, userDays, options);
  const { read, reads } = passesOver(userDays, batchRows);
  const scored: RecordBatch[] = [];
  const streamed = await huntUserDayPasses(isoforest, read, {
    ...options,
    scoredBatches: async (batches) => {
      for await (const batch of batches) scored.push(batch);
    },
  });
  return { inMemory, streamed, scored, reads: reads() };
}

function expectSameHunt(inMemory: HuntResult, streamed: HuntResult, scored: RecordBatch[]): void {
  expect(streamed.counts).toEqual(inMemory.counts);
  expect(streamed.fitted).toBe(inMemory.fitted);
  expect(streamed.model.offset).toBe(inMemory.model.offset);
  expect(streamed.model.params).toEqual(inMemory.model.params);
  for (const field of ['treeOffsets', 'feature', 'threshold', 'left', 'nodeSamples', 'value'] as const) {
    expectSameValues(streamed.model.forest[field], inMemory.model.forest[field], `forest.${field}`);
  }
  // Every scored row, streamed in input order, is the in-memory feature table's row with its scores.
  const all = inMemory.featureTable;
  // (Batches differ in their dictionaries, so they are compared column by column rather than as one table.)
  const scoredColumn = (name: string) => scored.flatMap((batch) => columnValues(new Table(batch), name));
  expect(scored.reduce((sum, batch) => sum + batch.numRows, 0)).toBe(all.numRows);
  for (const field of all.schema.fields)
    expectSameValues(scoredColumn(field.name), columnValues(all, field.name), field.name);
  const inMemoryScores = {
    score_samples: inMemory.scores.scoreSamples,
    decision_function: inMemory.scores.decisionFunction,
    predict: inMemory.scores.predict,
    score: inMemory.scores.score,
  };
  for (const name of SCORE_COLUMNS) expectSameValues(scoredColumn(name), inMemoryScores[name], name);
  // The kept rows are the top of the in-memory ranking, with the same values, scores and SHAP values.
  const kept = streamed.ranking.length;
  expect(kept).toBeGreaterThanOrEqual(Math.min(inMemory.ranking.length, inMemory.counts.outliers));
  const rows = inMemory.ranking.subarray(0, kept);
  for (const field of all.schema.fields)
    expect(String(streamed.featureTable.schema.fields.find((f) => f.name === field.name)?.type), field.name).toBe(
      String(field.type),
    );
  for (const field of all.schema.fields) {
    expectSameValues(
      columnValues(streamed.featureTable, field.name),
      Array.from(rows, (row) => all.getChild(field.name)!.get(row)),
      `kept ${field.name}`,
    );
  }
  for (const key of ['meanPathLength', 'scoreSamples', 'decisionFunction', 'predict', 'score'] as const) {
    expectSameValues(
      streamed.scores[key],
      Array.from(rows, (row) => inMemory.scores[key][row]),
      `kept ${key}`,
    );
  }
  inMemory.shap.forEach((column, c) =>
    expectSameValues(
      streamed.shap[c],
      Array.from(rows, (row) => column[row]),
      `shap ${c}`,
    ),
  );
}

describe('huntUserDayPasses gives the in-memory hunt, to the bit', () => {
  it.each([1_000, 7])(
    'on the demo data with the notebook parameters, in batches of %i rows',
    async (batchRows) => {
      const { inMemory, streamed, scored, reads } = await huntBothWays(demo, batchRows, {});
      expect(reads).toBe(4);
      expectSameHunt(inMemory, streamed, scored);
      const meta = { source: 'demo', generatedAt: '2024-01-01T00:00:00.000Z' };
      expect(toHuntReport(streamed, meta)).toEqual(toHuntReport(inMemory, meta));
    },
    60_000,
  );

  it('with a given model, in three passes', async () => {
    const given = (await huntUserDays(isoforest, demo, { trees: 30, seed: 3 })).model;
    const { inMemory, streamed, scored, reads } = await huntBothWays(tenant, 512, {
      model: given,
      explain: 'flagged',
      keep: 40,
    });
    expect(reads).toBe(3);
    expectSameHunt(inMemory, streamed, scored);
    expect(streamed.ranking.length).toBe(Math.max(40, inMemory.counts.outliers));
  }, 60_000);

  it.each<[string, HuntOptions & { keep?: number }]>([
    ['flagged and top rows explained, 60 rows kept', { explain: 'flagged', top: 25, keep: 60 }],
    [
      'every row explained, contamination auto, a third of the rows per tree',
      { explain: 'all', contamination: 'auto', maxSamples: 0.33, trees: 12, seed: 9 },
    ],
    [
      'half the features per tree, contamination 0.05',
      { maxFeatures: 0.5, contamination: 0.05, trees: 40, threads: 2, keep: 0 },
    ],
  ])(
    'on a generated tenant: %s',
    async (_name, options) => {
      const { inMemory, streamed, scored } = await huntBothWays(tenant, 1_000, options);
      expectSameHunt(inMemory, streamed, scored);
      const meta = { source: 'synth', generatedAt: '2024-01-01T00:00:00.000Z', maxRows: options.keep ?? 5_000 };
      expect(toHuntReport(streamed, meta)).toEqual(toHuntReport(inMemory, meta));
    },
    60_000,
  );

  it('is done with a batch before it asks for the second after it: a reader may reuse the memory', async () => {
    // Each pass hands out copies of the batches and wrecks a copy's buffers (every byte 0xff: NaN counts, names of
    // invalid bytes) as it is asked for the second batch after it; readUserDayArrow's reader with `reuseBuffers`
    // overwrites a batch only at the REUSED_BUFFERS-th after it. The consumer copies each scored batch as it
    // comes, as the CSV writer does.
    expect(REUSED_BUFFERS).toBeGreaterThan(2);
    const read = async function* () {
      const handed: Table[] = [];
      for (let start = 0; start < tenant.numRows; start += 500) {
        handed.push(copyOf(tenant.slice(start, start + 500)));
        if (handed.length > 2) wreck(handed[handed.length - 3]);
        yield handed[handed.length - 1];
      }
    };
    const options = { explain: 'flagged', top: 25, keep: 60 } as const;
    const inMemory = await huntUserDays(isoforest, tenant, options);
    const scored: RecordBatch[] = [];
    const streamed = await huntUserDayPasses(isoforest, read, {
      ...options,
      scoredBatches: async (batches) => {
        for await (const batch of batches) scored.push(valuesCopyOf(batch));
      },
    });
    expect(tenant.numRows).toBeGreaterThan(500 * 10);
    expectSameHunt(inMemory, streamed, scored);
  }, 60_000);

  it('refuses an input that changes between passes', async () => {
    let reads = 0;
    const read = async function* () {
      reads++;
      yield reads === 1 ? demo : demo.slice(0, 100);
    };
    await expect(huntUserDayPasses(isoforest, read)).rejects.toThrow(/the input changed while it was read/);
  });
});
