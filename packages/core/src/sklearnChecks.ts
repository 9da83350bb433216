import { ModelFormatError } from './errors.js';
import { maxTreeDepth } from './pathLength.js';
import {
  SKLEARN_FORMAT,
  SKLEARN_FORMAT_VERSION,
  SKLEARN_TREE_LEAF,
  type SklearnIsolationForestJson,
  type SklearnTreeJson,
} from './sklearnJson.js';
import {
  checkTreeStructure,
  isInteger,
  MAX_INT32,
  show,
  validateContamination,
  validateFeatureNames,
  validateMaxSamples,
  validateOffset,
} from './validate.js';

/**
 * The checks of a scikit-learn model in the exchange format, before sklearn.ts lays it out: after them every tree is
 * a proper binary tree of in-range nodes and features, so the flat forest made from it needs no further check.
 */

/** Most input features a scikit-learn model may declare. */
const MAX_SKLEARN_FEATURES = 100_000;

/** Checks an already parsed JSON value against the `sklearn-isolation-forest` v1 format; returns it typed. */
export function validateSklearnModel(json: unknown): SklearnIsolationForestJson {
  if (!isRecord(json)) throw new ModelFormatError('expected a JSON object');
  if (json.format !== SKLEARN_FORMAT) {
    throw new ModelFormatError(`format is ${show(json.format)}, expected "${SKLEARN_FORMAT}"`, { field: 'format' });
  }
  if (json.version !== SKLEARN_FORMAT_VERSION) {
    throw new ModelFormatError(
      `unsupported version ${show(json.version)}; this reads version ${SKLEARN_FORMAT_VERSION}`,
      {
        field: 'version',
      },
    );
  }
  const nFeatures = json.n_features_in;
  if (!isInteger(nFeatures) || nFeatures < 1) {
    throw new ModelFormatError(`must be a positive integer, got ${show(nFeatures)}`, { field: 'n_features_in' });
  }
  if (nFeatures > MAX_SKLEARN_FEATURES) {
    // Without feature_names a name is made per feature: the count alone must not be able to exhaust memory.
    throw new ModelFormatError(`${nFeatures} is more than the ${MAX_SKLEARN_FEATURES} features this reads`, {
      field: 'n_features_in',
    });
  }
  if (json.feature_names !== null && json.feature_names !== undefined) {
    validateFeatureNames(json.feature_names, nFeatures, 'feature_names');
  }
  validateMaxSamples(json.max_samples, 'max_samples');
  validateOffset(json.offset, 'offset');
  validateContamination(json.contamination, 'contamination');
  const estimators = json.estimators;
  if (!Array.isArray(estimators) || estimators.length === 0) {
    throw new ModelFormatError('must be a non-empty array', { field: 'estimators' });
  }
  const maxDepth = maxTreeDepth(json.max_samples as number);
  estimators.forEach((tree, t) => validateSklearnTree(tree, t, nFeatures, maxDepth));
  return json as unknown as SklearnIsolationForestJson;
}

const SKLEARN_NODE_ARRAYS = ['children_left', 'children_right', 'feature', 'threshold', 'n_node_samples'] as const;

function validateSklearnTree(tree: unknown, t: number, nFeatures: number, maxDepth: number): void {
  if (!isRecord(tree)) throw new ModelFormatError('expected an object', { tree: t });
  const features = tree.features;
  if (!Array.isArray(features) || features.length === 0) {
    throw new ModelFormatError('must be a non-empty array', { tree: t, field: 'features' });
  }
  features.forEach((f, j) => {
    if (!isInteger(f) || f < 0 || f >= nFeatures) {
      throw new ModelFormatError(
        `features[${j}] = ${show(f)} is not a column index below n_features_in = ${nFeatures}`,
        {
          tree: t,
          field: 'features',
        },
      );
    }
  });
  for (const field of SKLEARN_NODE_ARRAYS) {
    if (!Array.isArray(tree[field])) throw new ModelFormatError('must be an array', { tree: t, field });
  }
  const typed = tree as unknown as SklearnTreeJson;
  const nodes = typed.children_left.length;
  if (nodes === 0 || nodes > MAX_INT32) {
    throw new ModelFormatError(`has ${nodes} nodes`, { tree: t, field: 'children_left' });
  }
  for (const field of SKLEARN_NODE_ARRAYS) {
    if (typed[field].length !== nodes) {
      throw new ModelFormatError(`has ${typed[field].length} entries but children_left has ${nodes}`, {
        tree: t,
        field,
      });
    }
  }
  for (let node = 0; node < nodes; node++) {
    const left = typed.children_left[node];
    const right = typed.children_right[node];
    for (const [field, child] of [
      ['children_left', left],
      ['children_right', right],
    ] as const) {
      if (!isInteger(child) || (child !== SKLEARN_TREE_LEAF && (child < 0 || child >= nodes))) {
        throw new ModelFormatError(`child ${show(child)} is not -1 or a node index below ${nodes}`, {
          tree: t,
          node,
          field,
        });
      }
    }
    const samples = typed.n_node_samples[node];
    if (!isInteger(samples) || samples < 1 || samples > MAX_INT32) {
      throw new ModelFormatError(`${show(samples)} is not a positive integer`, {
        tree: t,
        node,
        field: 'n_node_samples',
      });
    }
    const feature = typed.feature[node];
    if (!isInteger(feature))
      throw new ModelFormatError(`${show(feature)} is not an integer`, { tree: t, node, field: 'feature' });
    const threshold = typed.threshold[node];
    if (typeof threshold !== 'number') {
      throw new ModelFormatError(`${show(threshold)} is not a number`, { tree: t, node, field: 'threshold' });
    }
    if ((left === SKLEARN_TREE_LEAF) !== (right === SKLEARN_TREE_LEAF)) {
      throw new ModelFormatError('a node must have both children or neither (-1, -1)', {
        tree: t,
        node,
        field: 'children_right',
      });
    }
    if (left === SKLEARN_TREE_LEAF) continue;
    if (feature < 0 || feature >= features.length) {
      throw new ModelFormatError(`split feature ${feature} is not a tree-local index below ${features.length}`, {
        tree: t,
        node,
        field: 'feature',
      });
    }
    if (!Number.isFinite(threshold)) {
      throw new ModelFormatError(`split threshold ${threshold} is not finite`, { tree: t, node, field: 'threshold' });
    }
  }
  checkTreeStructure(
    t,
    nodes,
    (i) => typed.children_left[i],
    (i) => typed.children_right[i],
    (i) => typed.n_node_samples[i],
    maxDepth,
  );
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
