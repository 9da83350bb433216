import { describe, expect, it } from 'vitest';
import { ModelFormatError } from '../src/errors.js';
import { createIsoforest } from '../src/isoforest.js';
import { averagePathLength } from '../src/pathLength.js';
import { SKLEARN_FORMAT, SKLEARN_FORMAT_VERSION } from '../src/sklearnJson.js';
import { readGoldenCase } from './support/golden.js';
import { referenceEngine } from './support/referenceEngine.js';

const isoforest = createIsoforest(referenceEngine);

/**
 * A hand-made forest of one tree, numbered as scikit-learn numbers nodes (depth first, a node's children created
 * when it splits, so node 1's subtree comes before node 4):
 *
 *            0: x[features[1]] <= 0.5       (4 rows)
 *           /                       \
 *   1: x[features[0]] <= 2.0 (3)   4: leaf (1)
 *      /            \
 *   2: leaf (1)   3: leaf (2)
 */
function handTree() {
  return {
    format: SKLEARN_FORMAT,
    version: SKLEARN_FORMAT_VERSION,
    n_features_in: 3,
    feature_names: null,
    max_samples: 4,
    offset: -0.6,
    contamination: 0.25,
    estimators: [
      {
        features: [2, 0],
        children_left: [1, 2, -1, -1, -1],
        children_right: [4, 3, -1, -1, -1],
        feature: [1, 0, -2, -2, -2],
        threshold: [0.5, 2.0, -2, -2, -2],
        n_node_samples: [4, 3, 1, 2, 1],
      },
    ],
  };
}

describe('importSklearn on a hand-made tree', () => {
  const model = isoforest.importSklearn(handTree());

  it('re-lays the tree with both children of a split adjacent, after their parent', () => {
    // Flat slots: 0 = sk0, 1 = sk1, 2 = sk4, 3 = sk2, 4 = sk3.
    expect(Array.from(model.forest.treeOffsets)).toEqual([0, 5]);
    expect(Array.from(model.forest.left)).toEqual([1, 3, -1, -1, -1]);
    expect(Array.from(model.forest.nodeSamples)).toEqual([4, 3, 1, 1, 2]);
    expect(Array.from(model.forest.threshold)).toEqual([0.5, 2.0, 0, 0, 0]);
  });

  it('maps tree-local features to global columns', () => {
    // local 1 -> features[1] = 0; local 0 -> features[0] = 2.
    expect(Array.from(model.forest.feature)).toEqual([0, 2, -1, -1, -1]);
  });

  it('computes leaf path lengths depth + c(n) and weighted internal means', () => {
    // leaves: sk4 = 1 + c(1) = 1, sk2 = 2 + c(1) = 2, sk3 = 2 + c(2) = 3; sk1 = (1*2 + 2*3)/3; root = (3*sk1 + 1*1)/4.
    expect(Array.from(model.forest.value)).toEqual([9 / 4, 8 / 3, 1, 2, 3]);
    expect(model.expectedValue).toBe(9 / 4);
  });

  it('names features x0, x1, ... when the file has no names, and keeps the scalars', () => {
    expect(model.featureNames).toEqual(['x0', 'x1', 'x2']);
    expect(model.offset).toBe(-0.6);
    expect(model.maxSamples).toBe(4);
    expect(model.nEstimators).toBe(1);
    expect(model.params).toEqual({
      source: 'sklearn',
      nEstimators: 1,
      maxSamples: 4,
      maxFeatures: 2,
      bootstrap: null,
      contamination: 0.25,
      randomState: null,
    });
  });

  it('scores rows through the re-laid tree', () => {
    // Rows: (x0, x2) = (0, 1) -> root left (0 <= 0.5), then x2 = 1 <= 2 -> sk2 (h = 2);
    //       (0, 3) -> sk3 (h = 3); (1, 0) -> root right, sk4 (h = 1).
    const input = { x0: [0, 0, 1], x1: [9, 9, 9], x2: [1, 3, 0] };
    expect(Array.from(model.meanPathLength(input))).toEqual([2, 3, 1]);
    const c4 = 2 * (Math.log(3) + 0.5772156649015329) - 1.5;
    expect(Array.from(model.scoreSamples(input))).toEqual([2, 3, 1].map((h) => -Math.pow(2, -h / c4)));
    expect(averagePathLength(4)).toBe(c4);
  });

  it('accepts the JSON text as well as the parsed object', () => {
    const fromText = isoforest.importSklearn(JSON.stringify(handTree()));
    expect(fromText.forest).toEqual(model.forest);
  });
});

type Json = ReturnType<typeof handTree>;
type Tree = Json['estimators'][number];

/** Imports a corrupted copy of the hand-made model and returns the error it raises. */
function importError(corrupt: (json: Json, tree: Tree) => void): ModelFormatError {
  const json = handTree();
  corrupt(json, json.estimators[0]);
  try {
    isoforest.importSklearn(json);
  } catch (error) {
    expect(error).toBeInstanceOf(ModelFormatError);
    return error as ModelFormatError;
  }
  throw new Error('the corrupted model was accepted');
}

function expectAt(error: ModelFormatError, tree: number | undefined, node: number | undefined, field?: string): void {
  expect(error.tree).toBe(tree);
  expect(error.node).toBe(node);
  if (tree !== undefined) expect(error.message).toContain(`tree ${tree}`);
  if (node !== undefined) expect(error.message).toContain(`node ${node}`);
  if (field !== undefined) {
    expect(error.field).toBe(field);
    expect(error.message).toContain(field);
  }
  expect(error.message).not.toContain('\n');
}

describe('importSklearn rejects hostile models with the tree and node at fault', () => {
  it('an n_features_in of 3e8 without feature names, which would make 3e8 names', () => {
    const error = importError((json) => {
      json.n_features_in = 3e8;
      delete (json as { feature_names?: unknown }).feature_names;
    });
    expectAt(error, undefined, undefined, 'n_features_in');
    expect(error.message).toContain('300000000 is more than the 100000 features this reads');
  });

  it('a child index out of range', () => {
    expectAt(
      importError((_, t) => (t.children_left[1] = 99)),
      0,
      1,
      'children_left',
    );
    expectAt(
      importError((_, t) => (t.children_right[0] = -7)),
      0,
      0,
      'children_right',
    );
  });

  it('a cycle back to the root', () => {
    const error = importError((_, t) => (t.children_right[1] = 0));
    expectAt(error, 0, 1);
    expect(error.message).toMatch(/reached twice/);
  });

  it('a node shared by two parents', () => {
    expectAt(
      importError((_, t) => (t.children_right[0] = 2)),
      0,
      1,
    );
  });

  it('a node that points at itself', () => {
    expectAt(
      importError((_, t) => (t.children_left[1] = 1)),
      0,
      1,
    );
  });

  it('an unreachable node', () => {
    const error = importError((_, t) => {
      t.children_left.push(-1);
      t.children_right.push(-1);
      t.feature.push(-2);
      t.threshold.push(-2);
      t.n_node_samples.push(1);
    });
    expectAt(error, 0, 5);
    expect(error.message).toMatch(/not reachable/);
  });

  it('a split feature beyond the tree-local feature list, or a global column beyond n_features_in', () => {
    expectAt(
      importError((_, t) => (t.feature[1] = 2)),
      0,
      1,
      'feature',
    );
    expectAt(
      importError((_, t) => (t.features[0] = 3)),
      0,
      undefined,
      'features',
    );
    expectAt(
      importError((_, t) => (t.feature[0] = 1.5)),
      0,
      0,
      'feature',
    );
  });

  it('a threshold that is not a finite number', () => {
    expectAt(
      importError((_, t) => ((t.threshold as unknown[])[0] = 'NaN')),
      0,
      0,
      'threshold',
    );
    expectAt(
      importError((_, t) => ((t.threshold as unknown[])[1] = null)),
      0,
      1,
      'threshold',
    );
    // 1e999 parses to Infinity.
    const text = JSON.stringify(handTree()).replace('"threshold":[0.5,2,', '"threshold":[0.5,1e999,');
    expect(text).toContain('1e999');
    try {
      isoforest.importSklearn(text);
      throw new Error('accepted');
    } catch (error) {
      expect(error).toBeInstanceOf(ModelFormatError);
      expectAt(error as ModelFormatError, 0, 1, 'threshold');
    }
  });

  it("Python's NaN token, which is not JSON", () => {
    const text = JSON.stringify(handTree()).replace('"threshold":[0.5,2,', '"threshold":[0.5,NaN,');
    expect(() => isoforest.importSklearn(text)).toThrow(ModelFormatError);
    expect(() => isoforest.importSklearn(text)).toThrow(/not valid JSON.*NaN/);
  });

  it('node counts that are not positive integers or do not add up', () => {
    expectAt(
      importError((_, t) => (t.n_node_samples[3] = -2)),
      0,
      3,
      'n_node_samples',
    );
    expectAt(
      importError((_, t) => (t.n_node_samples[3] = 0)),
      0,
      3,
      'n_node_samples',
    );
    expectAt(
      importError((_, t) => (t.n_node_samples[2] = 1.5)),
      0,
      2,
      'n_node_samples',
    );
    expectAt(
      importError((_, t) => (t.n_node_samples[2] = 5)),
      0,
      1,
    );
  });

  it('truncated or missing node arrays', () => {
    expectAt(
      importError((_, t) => t.threshold.pop()),
      0,
      undefined,
      'threshold',
    );
    expectAt(
      importError((_, t) => t.n_node_samples.pop()),
      0,
      undefined,
      'n_node_samples',
    );
    expectAt(
      importError((_, t) => delete (t as Partial<Tree>).feature),
      0,
      undefined,
      'feature',
    );
  });

  it('a leaf with one child', () => {
    expectAt(
      importError((_, t) => (t.children_right[2] = 4)),
      0,
      2,
      'children_right',
    );
  });

  it('a tree deeper than max_samples allows', () => {
    // max_samples 2 allows depth 1; node 1 splits at depth 1.
    const error = importError((json) => (json.max_samples = 2));
    expectAt(error, 0, 1);
    expect(error.message).toMatch(/depth/);
  });

  it('the wrong format or version', () => {
    expectAt(
      importError((json) => ((json as { version: number }).version = 2)),
      undefined,
      undefined,
      'version',
    );
    expect(importError((json) => ((json as { version: number }).version = 2)).message).toMatch(/unsupported version 2/);
    expectAt(
      importError((json) => ((json as { format: string }).format = 'onnx')),
      undefined,
      undefined,
      'format',
    );
  });

  it('bad scalars and feature names', () => {
    expectAt(
      importError((json) => ((json as { offset: unknown }).offset = null)),
      undefined,
      undefined,
      'offset',
    );
    expectAt(
      importError((json) => (json.max_samples = 0)),
      undefined,
      undefined,
      'max_samples',
    );
    expectAt(
      importError((json) => (json.max_samples = 2.5)),
      undefined,
      undefined,
      'max_samples',
    );
    expectAt(
      importError((json) => ((json as { contamination: unknown }).contamination = 0.7)),
      undefined,
      undefined,
      'contamination',
    );
    expectAt(
      importError((json) => (json.n_features_in = 0)),
      undefined,
      undefined,
      'n_features_in',
    );
    expectAt(
      importError((json) => ((json as { feature_names: unknown }).feature_names = ['a', 'a', 'b'])),
      undefined,
      undefined,
      'feature_names',
    );
    expectAt(
      importError((json) => ((json as { feature_names: unknown }).feature_names = ['a', 'b'])),
      undefined,
      undefined,
      'feature_names',
    );
    expectAt(
      importError((json) => (json.estimators = [])),
      undefined,
      undefined,
      'estimators',
    );
  });

  it('not an object at all', () => {
    expect(() => isoforest.importSklearn('[1, 2]')).toThrow(ModelFormatError);
    expect(() => isoforest.importSklearn('{"format"')).toThrow(ModelFormatError);
    expect(() => isoforest.importSklearn({ ...handTree(), estimators: [42] })).toThrow(/tree 0: expected an object/);
  });

  it('names the second tree when the fault is there', () => {
    const json = handTree();
    const second = structuredClone(json.estimators[0]);
    second.children_left[1] = 50;
    json.estimators.push(second);
    expect(() => isoforest.importSklearn(json)).toThrow(/tree 1, node 1, children_left/);
  });
});

describe('importSklearn on a real scikit-learn export', () => {
  it('keeps every node and the weighted root values shap reports as its expected value', () => {
    const golden = readGoldenCase('forest-200');
    const model = isoforest.importSklearn(golden.modelJson);
    const json = JSON.parse(golden.modelJson) as { estimators: Tree[] };
    json.estimators.forEach((tree, t) => {
      const start = model.forest.treeOffsets[t];
      expect(model.forest.treeOffsets[t + 1] - start).toBe(tree.children_left.length);
      expect(model.forest.nodeSamples[start]).toBe(tree.n_node_samples[0]);
      // Same multiset of splits, whatever the order.
      const splits = (features: number[], thresholds: number[]) =>
        features
          .map((f, i) => `${f}:${thresholds[i]}`)
          .filter((s) => !s.startsWith('-'))
          .sort();
      const global = tree.feature.map((f) => (f < 0 ? -1 : tree.features[f]));
      expect(
        splits(
          Array.from(model.forest.feature.subarray(start, model.forest.treeOffsets[t + 1])),
          Array.from(model.forest.threshold.subarray(start, model.forest.treeOffsets[t + 1])),
        ),
      ).toEqual(splits(global, tree.threshold));
    });
    expect(Math.abs(model.expectedValue - golden.expected.shap_expected_value)).toBeLessThan(1e-12);
  });
});
