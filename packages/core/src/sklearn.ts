import { ModelFormatError } from './errors.js';
import { LEAF, type FlatForest } from './forest.js';
import { computeNodeValues } from './nodeValues.js';
import { SKLEARN_TREE_LEAF, type SklearnIsolationForestJson, type SklearnTreeJson } from './sklearnJson.js';
import { validateSklearnModel } from './sklearnChecks.js';

/** What a scikit-learn model contributes to an {@link IsolationForestModel}. */
export interface ImportedSklearnModel {
  readonly forest: FlatForest;
  /** `feature_names`, or `x0, x1, ...` (scikit-learn's `get_feature_names_out` names) when the file has none. */
  readonly featureNames: readonly string[];
  readonly maxSamples: number;
  /** Features per tree: the size of the first estimator's feature subset (scikit-learn draws one size for all). */
  readonly maxFeatures: number;
  readonly offset: number;
  readonly contamination: 'auto' | number;
}

/**
 * Reads a scikit-learn IsolationForest in the `sklearn-isolation-forest` v1 exchange format (the JSON text or the
 * parsed object), validates it strictly and re-lays its trees into the flat layout: tree-local features become
 * global column indices, both children of a node take adjacent slots after it, values are recomputed.
 * Throws {@link ModelFormatError} naming the tree and node of the first problem.
 */
export function importSklearnModel(source: string | unknown): ImportedSklearnModel {
  const json = validateSklearnModel(typeof source === 'string' ? parseJson(source) : source);
  const featureNames = json.feature_names ?? Array.from({ length: json.n_features_in }, (_, i) => `x${i}`);
  return {
    forest: flattenEstimators(json),
    featureNames,
    maxSamples: json.max_samples,
    maxFeatures: json.estimators[0].features.length,
    offset: json.offset,
    contamination: json.contamination,
  };
}

function parseJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch (error) {
    // Python's json.dump writes NaN and Infinity, which are not JSON: the likeliest cause of a parse failure here.
    const reason = error instanceof Error ? error.message : String(error);
    throw new ModelFormatError(`not valid JSON (${reason}); note that NaN and Infinity are not JSON`);
  }
}

function flattenEstimators(json: SklearnIsolationForestJson): FlatForest {
  const total = json.estimators.reduce((sum, tree) => sum + tree.children_left.length, 0);
  const treeOffsets = new Int32Array(json.estimators.length + 1);
  const feature = new Int32Array(total);
  const threshold = new Float64Array(total);
  const left = new Int32Array(total);
  const nodeSamples = new Int32Array(total);
  let start = 0;
  json.estimators.forEach((tree, t) => {
    treeOffsets[t] = start;
    layOutTree(tree, start, { feature, threshold, left, nodeSamples });
    start += tree.children_left.length;
  });
  treeOffsets[json.estimators.length] = start;
  const structure = { treeOffsets, feature, threshold, left, nodeSamples };
  return { ...structure, value: computeNodeValues(structure) };
}

/**
 * Copies one (validated) scikit-learn tree into slots `[start, start + nodes)`, depth first and left before right,
 * allocating both children of a split together, as training does (docs/forest.md, "Growing tree t", step 4).
 */
function layOutTree(
  tree: SklearnTreeJson,
  start: number,
  out: { feature: Int32Array; threshold: Float64Array; left: Int32Array; nodeSamples: Int32Array },
): void {
  let next = start + 1;
  const stack: Array<[sklearnNode: number, slot: number]> = [[0, start]];
  while (stack.length > 0) {
    const [node, slot] = stack.pop() as [number, number];
    out.nodeSamples[slot] = tree.n_node_samples[node];
    if (tree.children_left[node] === SKLEARN_TREE_LEAF) {
      out.feature[slot] = LEAF;
      out.threshold[slot] = 0;
      out.left[slot] = LEAF;
      continue;
    }
    out.feature[slot] = tree.features[tree.feature[node]];
    out.threshold[slot] = tree.threshold[node];
    out.left[slot] = next;
    stack.push([tree.children_right[node], next + 1], [tree.children_left[node], next]);
    next += 2;
  }
}
