import { describe, expect, it } from 'vitest';
import { ModelFormatError, OptionsError } from '../src/errors.js';
import type { FlatForest } from '../src/forest.js';
import { validateFlatForest } from '../src/formatChecks.js';
import { createIsoforest } from '../src/isoforest.js';
import type { ModelParams } from '../src/modelParts.js';
import { computeNodeValues } from '../src/nodeValues.js';
import { referenceEngine } from './support/referenceEngine.js';

type Structure = { -readonly [K in keyof Omit<FlatForest, 'value'>]: FlatForest[K] };

/**
 * Two trees over features [0, 1]. Tree 0 (nodes 0-4): 0 splits on f1 into 1, 2; 1 splits on f0 into 3, 4.
 * Tree 1 (nodes 5-7): 5 splits on f0 into 6, 7. maxSamples 4.
 */
function twoTrees(): Structure {
  return {
    treeOffsets: Int32Array.of(0, 5, 8),
    feature: Int32Array.of(1, 0, -1, -1, -1, 0, -1, -1),
    threshold: Float64Array.of(0.5, 2, 0, 0, 0, 1, 0, 0),
    left: Int32Array.of(1, 3, -1, -1, -1, 6, -1, -1),
    nodeSamples: Int32Array.of(4, 3, 1, 1, 2, 4, 2, 2),
  };
}

function flatError(edit: (forest: Structure) => void, featureCount = 2, maxSamples = 4): ModelFormatError {
  const forest = twoTrees();
  edit(forest);
  try {
    validateFlatForest(forest, featureCount, maxSamples);
  } catch (error) {
    expect(error).toBeInstanceOf(ModelFormatError);
    return error as ModelFormatError;
  }
  throw new Error('the forest was accepted');
}

describe('validateFlatForest', () => {
  it('accepts a well-formed forest', () => {
    expect(() => validateFlatForest(twoTrees(), 2, 4)).not.toThrow();
  });

  it('rejects tree offsets that do not start at 0, end at the node count or increase', () => {
    expect(flatError((f) => (f.treeOffsets = Int32Array.of(1, 5, 8))).field).toBe('treeOffsets');
    expect(flatError((f) => (f.treeOffsets = Int32Array.of(0, 5, 9))).field).toBe('treeOffsets');
    expect(flatError((f) => (f.treeOffsets = Int32Array.of(0))).field).toBe('treeOffsets');
    expect(flatError((f) => (f.treeOffsets = Int32Array.of(0, 5, 5, 8)))).toMatchObject({
      tree: 1,
      field: 'treeOffsets',
    });
  });

  it('rejects arrays of different lengths', () => {
    expect(flatError((f) => (f.threshold = f.threshold.subarray(0, 7))).field).toBe('threshold');
    expect(flatError((f) => (f.nodeSamples = new Int32Array(9))).field).toBe('nodeSamples');
  });

  it('rejects a child outside the tree, before its parent, or a leaf with a child', () => {
    expect(flatError((f) => (f.left[1] = 4))).toMatchObject({ tree: 0, node: 1, field: 'left' });
    expect(flatError((f) => (f.left[5] = 4))).toMatchObject({ tree: 1, node: 0, field: 'left' });
    expect(flatError((f) => (f.left[1] = 1))).toMatchObject({ tree: 0, node: 1, field: 'left' });
    expect(flatError((f) => (f.left[2] = 3))).toMatchObject({ tree: 0, node: 2, field: 'left' });
  });

  it('rejects a node reached twice and a node reached never', () => {
    // Node 1's children become 2, 3: node 2 is then the child of both 0 and 1.
    const shared = flatError((f) => (f.left[1] = 2));
    expect(shared).toMatchObject({ tree: 0, node: 1 });
    expect(shared.message).toMatch(/reached twice/);
    // Tree 0's root becomes a leaf: nodes 1-4 are orphans.
    const orphan = flatError((f) => {
      f.feature[0] = -1;
      f.left[0] = -1;
    });
    expect(orphan).toMatchObject({ tree: 0, node: 1 });
    expect(orphan.message).toMatch(/not reachable/);
  });

  it('rejects splits on missing features, non-finite thresholds, bad counts and excess depth', () => {
    expect(flatError((f) => (f.feature[0] = 2))).toMatchObject({ tree: 0, node: 0, field: 'feature' });
    expect(flatError((f) => (f.feature[0] = -5))).toMatchObject({ tree: 0, node: 0, field: 'feature' });
    expect(flatError((f) => (f.threshold[5] = Number.POSITIVE_INFINITY))).toMatchObject({
      tree: 1,
      node: 0,
      field: 'threshold',
    });
    expect(flatError((f) => (f.nodeSamples[6] = 0))).toMatchObject({ tree: 1, node: 1, field: 'nodeSamples' });
    expect(flatError((f) => (f.nodeSamples[5] = 5))).toMatchObject({ tree: 1, node: 0 });
    // maxSamples 2 allows depth 1; tree 0 splits at depth 1.
    expect(flatError(() => undefined, 2, 2)).toMatchObject({ tree: 0, node: 1 });
  });

  it('messages name the tree, node and field on one line', () => {
    const error = flatError((f) => (f.threshold[5] = Number.NaN));
    expect(error.message).toBe('invalid model: tree 1, node 0, threshold: NaN is not finite');
  });
});

describe('computeNodeValues', () => {
  it('sets leaves to depth + c(n) and internal nodes to weighted means of their children', () => {
    // Tree 0: leaves 2 (depth 1, n 1) = 1, 3 (depth 2, n 1) = 2, 4 (depth 2, n 2) = 3; 1 = (2 + 2*3)/3; 0 = (3*8/3 + 1)/4.
    // Tree 1: leaves 6, 7 (depth 1, n 2) = 2; root = 2.
    expect(Array.from(computeNodeValues(twoTrees()))).toEqual([9 / 4, 8 / 3, 1, 2, 3, 2, 2, 2]);
  });
});

describe('Isoforest.fromParts', () => {
  const params: ModelParams = {
    source: 'fit',
    nEstimators: 2,
    maxSamples: 4,
    maxFeatures: 2,
    bootstrap: false,
    contamination: 'auto',
    randomState: 0,
  };
  const isoforest = createIsoforest(referenceEngine);

  function partsError(
    edit: (parts: { forest: Structure; featureNames: string[]; offset: number; params: ModelParams }) => void,
  ) {
    const parts = { forest: twoTrees(), featureNames: ['a', 'b'], offset: -0.5, params: { ...params } };
    edit(parts);
    try {
      isoforest.fromParts(parts);
    } catch (error) {
      expect(error).toBeInstanceOf(ModelFormatError);
      return error as ModelFormatError;
    }
    throw new Error('the parts were accepted');
  }

  it('checks the forest, the names, the offset and the params as a loaded file is checked', () => {
    expect(partsError((p) => (p.forest.left[5] = 99)).message).toMatch(/tree 1, node 0, left/);
    expect(partsError((p) => (p.featureNames = ['a', 'a'])).field).toBe('featureNames');
    expect(partsError((p) => (p.featureNames = [])).field).toBe('featureNames');
    expect(partsError((p) => (p.offset = Number.NaN)).field).toBe('offset');
    expect(partsError((p) => (p.params = { ...params, nEstimators: 3 })).field).toBe('params.nEstimators');
    expect(partsError((p) => (p.params = { ...params, maxSamples: 0 })).field).toBe('params.maxSamples');
    expect(partsError((p) => (p.params = { ...params, contamination: 0.9 })).field).toBe('params.contamination');
    expect(partsError((p) => (p.forest.feature = [1, 0, -1, -1, -1, 0, -1, -1] as unknown as Int32Array)).field).toBe(
      'forest.feature',
    );
  });

  it('recomputes the node values and the expected value (mean of the roots)', () => {
    const model = isoforest.fromParts({ forest: twoTrees(), featureNames: ['a', 'b'], offset: -0.5, params });
    expect(model.forest.value[0]).toBe(9 / 4);
    expect(model.expectedValue).toBe((9 / 4 + 2) / 2);
    expect(model.nEstimators).toBe(2);
  });

  it('withOffset keeps the forest and moves the threshold: decisionFunction shifts by the difference', () => {
    const model = isoforest.fromParts({ forest: twoTrees(), featureNames: ['a', 'b'], offset: -0.5, params });
    const moved = model.withOffset(-0.25);
    expect(moved.offset).toBe(-0.25);
    // The very forest, so its node values and the engine's packed copies are not computed again.
    expect(moved.forest).toBe(model.forest);
    const rows = { a: [0, 3, 1.5], b: [0, 1, 0.25] };
    const before = model.decisionFunction(rows);
    const after = moved.decisionFunction(rows);
    after.forEach((value, r) => expect(value).toBe(before[r] - 0.25));
    expect(() => model.withOffset(Number.POSITIVE_INFINITY)).toThrow(OptionsError);
  });
});
