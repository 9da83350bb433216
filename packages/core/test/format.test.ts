import { RecordBatch, Schema, Table, tableFromArrays, tableFromIPC, tableToIPC } from 'apache-arrow';
import { beforeAll, describe, expect, it } from 'vitest';
import type { Engine } from '../src/engine.js';
import { ModelFormatError } from '../src/errors.js';
import { MODEL_FORMAT, MODEL_FORMAT_VERSION, writeModelFile } from '../src/format.js';
import { createIsoforest, type Isoforest } from '../src/isoforest.js';
import type { IsolationForestModel } from '../src/model.js';
import { loadEngine } from '../src/wasm/index.js';
import { readGoldenCase, type GoldenCase } from './support/golden.js';

let engine: Engine;
let isoforest: Isoforest;
let golden: GoldenCase;
let imported: IsolationForestModel;
let fitted: IsolationForestModel;

beforeAll(async () => {
  engine = await loadEngine();
  isoforest = createIsoforest(engine);
  golden = readGoldenCase('notebook-demo');
  imported = isoforest.importSklearn(golden.modelJson);
  fitted = isoforest.fit(golden.x.columns, { nEstimators: 30, contamination: 0.05, randomState: 7, bootstrap: true });
});

function expectSameModel(loaded: IsolationForestModel, original: IsolationForestModel): void {
  expect(loaded.forest).toEqual(original.forest);
  expect(loaded.featureNames).toEqual(original.featureNames);
  expect(loaded.offset).toBe(original.offset);
  expect(loaded.maxSamples).toBe(original.maxSamples);
  expect(loaded.nEstimators).toBe(original.nEstimators);
  expect(loaded.params).toEqual(original.params);
  expect(loaded.expectedValue).toBe(original.expectedValue);
  const before = original.score(golden.x.columns);
  const after = loaded.score(golden.x.columns);
  expect(after).toEqual(before);
}

describe('save and load', () => {
  it('round-trips an imported scikit-learn model: identical arrays and scores', () => {
    expectSameModel(isoforest.load(imported.save()), imported);
  });

  it('round-trips a fitted model, and saving again gives the same bytes', () => {
    const bytes = fitted.save();
    const loaded = isoforest.load(bytes);
    expectSameModel(loaded, fitted);
    expect(loaded.save()).toEqual(bytes);
  });

  it('keeps scikit-learn scores through a round trip', () => {
    const loaded = isoforest.load(imported.save());
    const scores = loaded.scoreSamples(golden.x.columns);
    scores.forEach((s, r) => expect(Math.abs(s - golden.expected.score_samples[r])).toBeLessThanOrEqual(1e-12));
  });

  it('writes an Arrow IPC file with one row per node and the model in the schema metadata', () => {
    const table = tableFromIPC(imported.save());
    expect(table.numRows).toBe(imported.forest.feature.length);
    expect(table.schema.fields.map((f) => f.name)).toEqual(['tree', 'feature', 'threshold', 'left', 'nodeSamples']);
    const metadata = table.schema.metadata;
    expect(metadata.get('format')).toBe(MODEL_FORMAT);
    expect(metadata.get('version')).toBe(String(MODEL_FORMAT_VERSION));
    expect(JSON.parse(metadata.get('featureNames')!)).toEqual(golden.x.names);
    expect(Number(metadata.get('offset'))).toBe(golden.expected.offset);
    expect(JSON.parse(metadata.get('treeOffsets')!)).toEqual(Array.from(imported.forest.treeOffsets));
    expect(Array.from(table.getChild('threshold')!.toArray() as Float64Array)).toEqual(
      Array.from(imported.forest.threshold),
    );
  });

  it('does not alias the bytes it loaded from', () => {
    const bytes = fitted.save();
    const loaded = isoforest.load(bytes);
    const thresholds = Float64Array.from(loaded.forest.threshold);
    bytes.fill(0);
    expect(loaded.forest.threshold).toEqual(thresholds);
  });
});

/** The model file of `fitted` with its schema metadata edited. */
function withMetadata(edit: (metadata: Map<string, string>) => void): Uint8Array {
  const table = tableFromIPC(fitted.save());
  const metadata = new Map(table.schema.metadata);
  edit(metadata);
  const schema = new Schema(table.schema.fields, metadata);
  return tableToIPC(new Table(table.batches.map((batch) => new RecordBatch(schema, batch.data))), 'file');
}

/** The model file of `fitted` with its forest edited (written without the checks a load applies). */
function withForest(
  edit: (forest: {
    feature: Int32Array;
    threshold: Float64Array;
    left: Int32Array;
    nodeSamples: Int32Array;
    treeOffsets: Int32Array;
  }) => void,
): Uint8Array {
  const forest = {
    treeOffsets: Int32Array.from(fitted.forest.treeOffsets),
    feature: Int32Array.from(fitted.forest.feature),
    threshold: Float64Array.from(fitted.forest.threshold),
    left: Int32Array.from(fitted.forest.left),
    nodeSamples: Int32Array.from(fitted.forest.nodeSamples),
  };
  edit(forest);
  return writeModelFile({ forest, featureNames: fitted.featureNames, offset: fitted.offset, params: fitted.params });
}

function loadError(bytes: Uint8Array): ModelFormatError {
  try {
    isoforest.load(bytes);
  } catch (error) {
    expect(error).toBeInstanceOf(ModelFormatError);
    expect((error as Error).message).not.toContain('\n');
    return error as ModelFormatError;
  }
  throw new Error('the corrupted file was accepted');
}

/** The first internal node of tree 1, as a forest-wide index and a node index within the tree. */
function firstSplitOfTree1(): { index: number; node: number } {
  const start = fitted.forest.treeOffsets[1];
  let index = start;
  while (fitted.forest.feature[index] === -1) index++;
  return { index, node: index - start };
}

describe('load rejects what is not a valid version-1 model file', () => {
  it('garbage, empty and truncated bytes', () => {
    expect(loadError(new Uint8Array(0)).message).toMatch(/not an Arrow IPC file/);
    expect(loadError(Uint8Array.from({ length: 4096 }, (_, i) => (i * 7919) % 251)).message).toMatch(
      /not an Arrow IPC file/,
    );
    const bytes = fitted.save();
    expect(loadError(bytes.subarray(0, bytes.length >> 1)).message).toMatch(/not an Arrow IPC file/);
    // Valid magic at both ends, garbage between.
    const framed = new Uint8Array(bytes.length);
    framed.set(bytes.subarray(0, 8));
    framed.set(bytes.subarray(bytes.length - 8), bytes.length - 8);
    loadError(framed);
    expect(() => isoforest.load('not bytes' as unknown as Uint8Array)).toThrow(ModelFormatError);
  });

  it('an Arrow file that is not an isoforest model', () => {
    const other = tableToIPC(tableFromArrays({ a: Float64Array.of(1, 2, 3) }), 'file');
    const error = loadError(other);
    expect(error.field).toBe('metadata.format');
    expect(error.message).toContain(`expected "${MODEL_FORMAT}"`);
  });

  it('another format version', () => {
    const error = loadError(withMetadata((m) => m.set('version', String(MODEL_FORMAT_VERSION + 1))));
    expect(error.field).toBe('metadata.version');
    expect(error.message).toMatch(/unsupported model format version "2"; this isoforest reads version 1/);
  });

  it('bad metadata values', () => {
    expect(loadError(withMetadata((m) => m.set('offset', 'NaN'))).field).toBe('metadata.offset');
    expect(loadError(withMetadata((m) => m.delete('featureNames'))).field).toBe('metadata.featureNames');
    expect(loadError(withMetadata((m) => m.set('featureNames', '["a"]'))).field).toBe('feature');
    expect(loadError(withMetadata((m) => m.set('maxSamples', '0'))).field).toBe('metadata.maxSamples');
    expect(loadError(withMetadata((m) => m.set('contamination', '0.9'))).field).toBe('metadata.contamination');
    expect(loadError(withMetadata((m) => m.set('params', '{"source":"fit"}'))).field).toBe(
      'metadata.params.nEstimators',
    );
    expect(loadError(withMetadata((m) => m.set('treeOffsets', '[0, 1]'))).field).toBe('treeOffsets');
    const shifted = loadError(
      withMetadata((m) => {
        const offsets = JSON.parse(m.get('treeOffsets')!) as number[];
        offsets[1] += 1;
        m.set('treeOffsets', JSON.stringify(offsets));
      }),
    );
    expect([shifted.field, shifted.tree]).toEqual(['column tree', 0]);
  });

  it('a child out of range, a child before its parent, a split on a missing feature', () => {
    const { index, node } = firstSplitOfTree1();
    const outOfRange = loadError(withForest((f) => (f.left[index] = 1 << 30)));
    expect([outOfRange.tree, outOfRange.node, outOfRange.field]).toEqual([1, node, 'left']);
    expect(outOfRange.message).toContain(`tree 1, node ${node}, left`);
    const backwards = loadError(withForest((f) => (f.left[index] = index)));
    expect([backwards.tree, backwards.node]).toEqual([1, node]);
    const badFeature = loadError(withForest((f) => (f.feature[index] = fitted.featureNames.length)));
    expect([badFeature.tree, badFeature.node, badFeature.field]).toEqual([1, node, 'feature']);
  });

  it('non-finite thresholds, bad counts, a child shared by two parents', () => {
    const { index, node } = firstSplitOfTree1();
    const nan = loadError(withForest((f) => (f.threshold[index] = Number.NaN)));
    expect([nan.tree, nan.node, nan.field]).toEqual([1, node, 'threshold']);
    const counts = loadError(withForest((f) => (f.nodeSamples[index] += 1)));
    expect([counts.tree, counts.node]).toEqual([1, node]);
    const negative = loadError(withForest((f) => (f.nodeSamples[index] = -3)));
    expect([negative.tree, negative.node, negative.field]).toEqual([1, node, 'nodeSamples']);
    // Point the root of tree 1 at its own left child's children: node reached twice or counts broken.
    const shared = loadError(
      withForest((f) => {
        const root = f.treeOffsets[1];
        const child = f.left[root];
        if (f.left[child] > 0) f.left[root] = f.left[child];
        else f.left[root] = child + 1;
      }),
    );
    expect(shared.tree).toBe(1);
  });

  it('tree offsets that do not cover the nodes', () => {
    expect(loadError(withForest((f) => (f.treeOffsets[f.treeOffsets.length - 1] -= 1))).field).toBe('treeOffsets');
  });
});
