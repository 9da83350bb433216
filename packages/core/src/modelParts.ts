/**
 * The plain data a model is made of, in a leaf module (it imports only types of the forest layout), so that the
 * model, its file format and its validation can all depend on it without depending on each other.
 */
import type { FlatForest } from './forest.js';

/** How a model came to be, and the parameters it was fitted with (null where an imported model does not say). */
export interface ModelParams {
  /** `"fit"`: trained by this package; `"sklearn"`: imported from scikit-learn. */
  readonly source: 'fit' | 'sklearn';
  /** Number of trees. */
  readonly nEstimators: number;
  /** Rows drawn per tree, resolved to a count. */
  readonly maxSamples: number;
  /** Features per tree, resolved to a count (for an import, the size of the first tree's feature subset). */
  readonly maxFeatures: number;
  /** Whether rows were drawn with replacement; null for an import (the exchange format does not say). */
  readonly bootstrap: boolean | null;
  /** `"auto"` (offset -0.5) or the expected fraction of outliers the offset was set from. */
  readonly contamination: 'auto' | number;
  /** The u32 seed; null for an import. */
  readonly randomState: number | null;
}

/** The parts a model is made of; its node values are recomputed from the structure. */
export interface ModelParts {
  readonly forest: Omit<FlatForest, 'value'>;
  readonly featureNames: readonly string[];
  readonly offset: number;
  readonly params: ModelParams;
}
