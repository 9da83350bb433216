/**
 * The `sklearn-isolation-forest` exchange format, version 1: a scikit-learn IsolationForest written as JSON from
 * its public attributes. Described field by field in fixtures/golden/README.md.
 */

/** The `format` field of the exchange format. */
export const SKLEARN_FORMAT = 'sklearn-isolation-forest';
/** The one version of the exchange format this package reads. */
export const SKLEARN_FORMAT_VERSION = 1;
/** scikit-learn's `TREE_LEAF`: the child index of a leaf. */
export const SKLEARN_TREE_LEAF = -1;

/** One fitted `ExtraTreeRegressor` of the ensemble, as its `tree_` arrays. */
export interface SklearnTreeJson {
  /** `estimators_features_[i]`: tree-local feature `j` reads global column `features[j]`. */
  readonly features: readonly number[];
  readonly children_left: readonly number[];
  readonly children_right: readonly number[];
  /** Tree-local split feature; -2 on leaves. */
  readonly feature: readonly number[];
  /** `float32(x) <= threshold` goes left. */
  readonly threshold: readonly number[];
  readonly n_node_samples: readonly number[];
}

/** A whole model in the exchange format. */
export interface SklearnIsolationForestJson {
  readonly format: typeof SKLEARN_FORMAT;
  readonly version: typeof SKLEARN_FORMAT_VERSION;
  readonly n_features_in: number;
  readonly feature_names: readonly string[] | null;
  /** The fitted `max_samples_`. */
  readonly max_samples: number;
  /** The fitted `offset_`. */
  readonly offset: number;
  readonly contamination: 'auto' | number;
  readonly estimators: readonly SklearnTreeJson[];
}
