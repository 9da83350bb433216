import { ModelFormatError } from './errors.js';
import { LEAF, type FlatForest } from './forest.js';
import type { ModelParams } from './modelParts.js';
import { maxTreeDepth } from './pathLength.js';
import {
  SKLEARN_FORMAT,
  SKLEARN_FORMAT_VERSION,
  SKLEARN_TREE_LEAF,
  type SklearnIsolationForestJson,
  type SklearnTreeJson,
} from './sklearnJson.js';

/**
 * Strict checks of models read from outside (scikit-learn JSON, native files) before anything reaches the engine.
 * After them a forest is a set of proper binary trees (every node reached from its root exactly once, children in
 * range, depth within scikit-learn's limit), every split reads an existing feature with a finite threshold, and the
 * node counts add up, so scoring cannot trap, loop or read out of bounds.
 */

/** The largest node count an Int32Array index can address. */
const MAX_INT32 = 2 ** 31 - 1;
/** The child index checkTreeStructure is given for a leaf (scikit-learn's TREE_LEAF; the flat layout's leaves map to it). */
const NO_CHILD = SKLEARN_TREE_LEAF;

/** Most input features a scikit-learn model may declare. */
export const MAX_SKLEARN_FEATURES = 100_000;

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

/**
 * Checks the invariants of docs/forest.md ("Flat layout") on a forest read from a native file: tree offsets,
 * array lengths, split features below `featureCount`, finite thresholds, children after their parent and adjacent
 * (`right = left + 1`) inside the parent's tree, every node reached once, depth within `maxTreeDepth(maxSamples)`,
 * positive node counts that add up. `value` is not checked: loaders recompute it.
 */
export function validateFlatForest(forest: Omit<FlatForest, 'value'>, featureCount: number, maxSamples: number): void {
  const { treeOffsets, feature, threshold, left, nodeSamples } = forest;
  const nodes = feature.length;
  for (const [field, array] of [
    ['threshold', threshold],
    ['left', left],
    ['nodeSamples', nodeSamples],
  ] as const) {
    if (array.length !== nodes) {
      throw new ModelFormatError(`has ${array.length} entries but feature has ${nodes}`, { field });
    }
  }
  if (treeOffsets.length < 2 || treeOffsets[0] !== 0 || treeOffsets[treeOffsets.length - 1] !== nodes) {
    throw new ModelFormatError(`must start at 0, end at the node count ${nodes} and hold at least one tree`, {
      field: 'treeOffsets',
    });
  }
  const maxDepth = maxTreeDepth(maxSamples);
  for (let t = 0; t + 1 < treeOffsets.length; t++) {
    const start = treeOffsets[t];
    const end = treeOffsets[t + 1];
    if (!(end > start)) {
      throw new ModelFormatError(`tree offsets ${start}, ${end} do not increase`, { tree: t, field: 'treeOffsets' });
    }
    for (let i = start; i < end; i++) {
      const node = i - start;
      if (!(nodeSamples[i] >= 1)) {
        throw new ModelFormatError(`${nodeSamples[i]} is not a positive count`, {
          tree: t,
          node,
          field: 'nodeSamples',
        });
      }
      if (!Number.isFinite(threshold[i])) {
        throw new ModelFormatError(`${threshold[i]} is not finite`, { tree: t, node, field: 'threshold' });
      }
      const f = feature[i];
      if (f === LEAF) {
        if (left[i] !== LEAF)
          throw new ModelFormatError(`a leaf has left child ${left[i]}`, { tree: t, node, field: 'left' });
        continue;
      }
      if (!(f >= 0 && f < featureCount)) {
        throw new ModelFormatError(`split feature ${f} is not -1 or below the feature count ${featureCount}`, {
          tree: t,
          node,
          field: 'feature',
        });
      }
      // Children after the parent and both inside this tree: the layout the engine's single passes rely on.
      if (!(left[i] > i && left[i] + 1 < end)) {
        throw new ModelFormatError(`left child ${left[i]} is not after the node and inside nodes [${start}, ${end})`, {
          tree: t,
          node,
          field: 'left',
        });
      }
    }
    checkTreeStructure(
      t,
      end - start,
      (node) => (feature[start + node] === LEAF ? NO_CHILD : left[start + node] - start),
      (node) => (feature[start + node] === LEAF ? NO_CHILD : left[start + node] + 1 - start),
      (node) => nodeSamples[start + node],
      maxDepth,
    );
  }
}

/**
 * Walks one tree from its root (node 0) with an explicit stack: each node must be reached exactly once (no cycle,
 * no node shared by two parents, none unreachable), no deeper than `maxDepth`, and an internal node's count must be
 * the sum of its children's. Children indices must already be in `[0, nodes)`, or NO_CHILD for leaves.
 */
function checkTreeStructure(
  tree: number,
  nodes: number,
  leftOf: (node: number) => number,
  rightOf: (node: number) => number,
  samplesOf: (node: number) => number,
  maxDepth: number,
): void {
  const depth = new Int32Array(nodes).fill(-1);
  const stack = [0];
  depth[0] = 0;
  let reached = 1;
  while (stack.length > 0) {
    const node = stack.pop() as number;
    const left = leftOf(node);
    if (left === NO_CHILD) continue;
    const right = rightOf(node);
    if (depth[node] >= maxDepth) {
      throw new ModelFormatError(`splits at depth ${depth[node]}, beyond the depth limit ${maxDepth} of max_samples`, {
        tree,
        node,
      });
    }
    for (const child of [left, right]) {
      if (depth[child] !== -1) {
        throw new ModelFormatError(`child ${child} is reached twice (a cycle or a shared node)`, { tree, node });
      }
      depth[child] = depth[node] + 1;
      reached++;
      stack.push(child);
    }
    if (samplesOf(left) + samplesOf(right) !== samplesOf(node)) {
      throw new ModelFormatError(
        `node count ${samplesOf(node)} is not the sum of its children's ${samplesOf(left)} + ${samplesOf(right)}`,
        { tree, node },
      );
    }
  }
  if (reached !== nodes) {
    const orphan = depth.indexOf(-1);
    throw new ModelFormatError(`is not reachable from the root`, { tree, node: orphan });
  }
}

/** Feature names: `count` distinct non-empty strings. */
export function validateFeatureNames(names: unknown, count: number, field: string): asserts names is string[] {
  if (!Array.isArray(names) || names.length !== count) {
    throw new ModelFormatError(`must be an array of ${count} names`, { field });
  }
  const seen = new Set<string>();
  for (const name of names) {
    if (typeof name !== 'string' || name.length === 0)
      throw new ModelFormatError(`${show(name)} is not a name`, { field });
    if (seen.has(name)) throw new ModelFormatError(`"${name}" appears twice`, { field });
    seen.add(name);
  }
}

/** `max_samples`: a positive integer (1 is a forest of one-row trees, which scores every row -0.5 as scikit-learn does). */
export function validateMaxSamples(value: unknown, field: string): asserts value is number {
  if (!isInteger(value) || value < 1 || value > MAX_INT32) {
    throw new ModelFormatError(`${show(value)} is not a positive integer`, { field });
  }
}

/** `offset`: a finite number. */
export function validateOffset(value: unknown, field: string): asserts value is number {
  if (typeof value !== 'number' || !Number.isFinite(value)) {
    throw new ModelFormatError(`${show(value)} is not a finite number`, { field });
  }
}

/** `contamination`: "auto" or a number in (0, 0.5]. */
export function validateContamination(value: unknown, field: string): asserts value is 'auto' | number {
  if (value === 'auto') return;
  if (typeof value !== 'number' || !(value > 0 && value <= 0.5)) {
    throw new ModelFormatError(`${show(value)} is not "auto" or a number in (0, 0.5]`, { field });
  }
}

/**
 * The `params` of a native file, checked field by field and against the file's own `maxSamples`, `contamination`
 * and tree count, which it repeats.
 */
export function validateModelParams(
  value: Readonly<Record<string, unknown>>,
  expected: { maxSamples: number; contamination: 'auto' | number; trees: number },
): ModelParams {
  const field = (name: string): string => `metadata.params.${name}`;
  const { source, nEstimators, maxSamples, maxFeatures, bootstrap, contamination, randomState } = value;
  if (source !== 'fit' && source !== 'sklearn')
    throw new ModelFormatError(`${show(source)} is not "fit" or "sklearn"`, { field: field('source') });
  if (nEstimators !== expected.trees) {
    throw new ModelFormatError(`${show(nEstimators)} is not the file's ${expected.trees} trees`, {
      field: field('nEstimators'),
    });
  }
  if (maxSamples !== expected.maxSamples) {
    throw new ModelFormatError(`${show(maxSamples)} differs from maxSamples ${expected.maxSamples}`, {
      field: field('maxSamples'),
    });
  }
  if (!isInteger(maxFeatures) || maxFeatures < 1) {
    throw new ModelFormatError(`${show(maxFeatures)} is not a positive integer`, { field: field('maxFeatures') });
  }
  if (bootstrap !== null && typeof bootstrap !== 'boolean') {
    throw new ModelFormatError(`${show(bootstrap)} is not true, false or null`, { field: field('bootstrap') });
  }
  if (contamination !== expected.contamination) {
    throw new ModelFormatError(`${show(contamination)} differs from contamination ${show(expected.contamination)}`, {
      field: field('contamination'),
    });
  }
  if (randomState !== null && (!isInteger(randomState) || randomState < 0 || randomState > 0xffffffff)) {
    throw new ModelFormatError(`${show(randomState)} is not a u32 or null`, { field: field('randomState') });
  }
  return {
    source,
    nEstimators,
    maxSamples,
    maxFeatures,
    bootstrap,
    contamination: expected.contamination,
    randomState,
  };
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function isInteger(value: unknown): value is number {
  return typeof value === 'number' && Number.isInteger(value);
}

/** A short, safe rendering of an untrusted value for a message. */
function show(value: unknown): string {
  const text = typeof value === 'string' ? JSON.stringify(value) : String(value);
  return text.length > 40 ? `${text.slice(0, 37)}...` : text;
}
