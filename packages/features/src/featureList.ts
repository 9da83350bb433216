/**
 * The notebook's feature list: which counts are standardised per user and which columns the model sees.
 * This is the one source of truth; tests and other packages import these constants rather than restating them.
 * Input column names are checked against the ingest package's `UserDay` type.
 */
import type { UserDay } from '@isoforest/ingest';

/** Counts that get a per-user mean, sample standard deviation and clipped, log-scaled z-score, in the notebook's order. */
export const ZSCORE_SOURCES = [
  'FailedLogons',
  'SuccessfulLogons',
  'ComputersSuccessfulAccess',
  'SrcIpSuccessfulAccess',
] as const satisfies readonly (keyof UserDay)[];

/** One of {@link ZSCORE_SOURCES}. */
export type ZscoreSource = (typeof ZSCORE_SOURCES)[number];

/** Name of the per-user mean column of a count, e.g. `FailedLogons_mean`. */
export function meanColumn(source: ZscoreSource): `${ZscoreSource}_mean` {
  return `${source}_mean`;
}

/** Name of the per-user sample (ddof = 1) standard deviation column of a count, e.g. `FailedLogons_std`. */
export function stdColumn(source: ZscoreSource): `${ZscoreSource}_std` {
  return `${source}_std`;
}

/** Name of the z-score column of a count, e.g. `FailedLogons_zscore`. */
export function zscoreColumn(source: ZscoreSource): `${ZscoreSource}_zscore` {
  return `${source}_zscore`;
}

/** The columns {@link buildFeatureTable} appends, in order: the four means, the four standard deviations, the four z-scores. */
export const DERIVED_COLUMNS: readonly string[] = [
  ...ZSCORE_SOURCES.map(meanColumn),
  ...ZSCORE_SOURCES.map(stdColumn),
  ...ZSCORE_SOURCES.map(zscoreColumn),
];

/** User-day counts the model reads as they are (no per-user standardisation). */
export const RAW_MODEL_FEATURES = [
  'ComputerDomainsSuccessfulAccess',
  'SrcHostNameSuccessfulAccess',
] as const satisfies readonly (keyof UserDay)[];

/**
 * The six model features, in the notebook's (and the trained model's) column order. All are non-negative:
 * the z-scores are log10(1 + clipped z) and the other two are distinct counts.
 */
export const MODEL_FEATURES = [
  'FailedLogons_zscore',
  'SuccessfulLogons_zscore',
  'ComputersSuccessfulAccess_zscore',
  'ComputerDomainsSuccessfulAccess',
  'SrcIpSuccessfulAccess_zscore',
  'SrcHostNameSuccessfulAccess',
] as const;

/** One of {@link MODEL_FEATURES}. */
export type ModelFeature = (typeof MODEL_FEATURES)[number];
