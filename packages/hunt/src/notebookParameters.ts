/**
 * The notebook's model parameters (its `IsolationForest(n_estimators=..., max_samples="auto", contamination=0.01,
 * max_features=6, bootstrap=False, random_state=42)`); the tree count follows its rule, `notebookTreeCount`.
 * `maxFeatures` 1 means all six features, as `max_features=6` does for six features.
 */
export const NOTEBOOK_PARAMETERS = {
  maxSamples: 'auto',
  maxFeatures: 1,
  contamination: 0.01,
  seed: 42,
} as const;

/**
 * The eight raw user-day columns the notebook's correlation plot compares, in its order.
 */
export const CORRELATION_COLUMNS = [
  'DistinctAuthenticationPackage',
  'SuccessfulLogons',
  'FailedLogons',
  'ComputersAccessed',
  'ComputerDomainsAccessed',
  'DistinctSrcIp',
  'DistinctSrcHostName',
  'ActiveMilliseconds',
] as const;

/** How many features a user-day's explanation lists by default (those that pushed it most toward "anomalous"). */
export const DEFAULT_CONTRIBUTIONS = 3;

/** How many of the top-ranked user-days are explained and shown by default, besides every flagged one. */
export const DEFAULT_TOP = 10;

/**
 * Below this many result rows, `explain: 'auto'` explains every one of them (cheap, and it fills the SHAP summary
 * plot); above it, only the flagged and top-ranked rows.
 */
export const AUTO_EXPLAIN_ALL_ROWS = 10_000;
