import { ModelFormatError } from './errors.js';
import { LEAF, treeCount, type FlatForest } from './forest.js';
import type { ModelParams, ModelParts } from './modelParts.js';
import { maxTreeDepth } from './pathLength.js';
import {
  checkTreeStructure,
  isInteger,
  NO_CHILD,
  show,
  validateContamination,
  validateFeatureNames,
  validateMaxSamples,
  validateOffset,
} from './validate.js';

/**
 * The checks of a forest in the flat layout and of the params a native model file carries, made once when the file
 * is read (format.ts) or when a caller hands in a forest grown elsewhere.
 */

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
 * The `params` of a native file, checked field by field and against the file's own `maxSamples`, `contamination`
 * and tree count, which it repeats.
 */
export function validateModelParams(
  value: Readonly<Record<string, unknown>>,
  expected: { maxSamples: number; contamination: 'auto' | number; trees: number },
  prefix = 'metadata.params',
): ModelParams {
  const field = (name: string): string => `${prefix}.${name}`;
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

const FOREST_ARRAYS = [
  ['treeOffsets', Int32Array],
  ['feature', Int32Array],
  ['threshold', Float64Array],
  ['left', Int32Array],
  ['nodeSamples', Int32Array],
] as const;

/**
 * Model parts a caller built (`Isoforest.fromParts`), checked as strictly as a native file's: the arrays of the
 * flat layout, non-empty distinct feature names, a finite offset, params that agree with the forest.
 */
export function validateModelParts(parts: ModelParts): ModelParts {
  const { forest, featureNames, offset, params } = parts;
  for (const [name, type] of FOREST_ARRAYS) {
    if (!(forest[name] instanceof type))
      throw new ModelFormatError(`must be an ${type.name}`, { field: `forest.${name}` });
  }
  validateFeatureNames(featureNames, featureNames.length, 'featureNames');
  if (featureNames.length === 0) throw new ModelFormatError('is empty', { field: 'featureNames' });
  validateOffset(offset, 'offset');
  validateMaxSamples(params.maxSamples, 'params.maxSamples');
  validateContamination(params.contamination, 'params.contamination');
  validateFlatForest(forest, featureNames.length, params.maxSamples);
  const checked = validateModelParams(
    params as unknown as Record<string, unknown>,
    { maxSamples: params.maxSamples, contamination: params.contamination, trees: treeCount(forest) },
    'params',
  );
  return { forest, featureNames, offset, params: checked };
}
