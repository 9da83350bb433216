import type { UserDayResult } from "./huntReport.js";

/** One feature's part in a user-day's explanation. */
export interface Contribution {
  readonly feature: string;
  /** The user-day's value of the feature. */
  readonly value: number;
  /** SHAP value in path-length units; negative = shorter path = toward anomalous. */
  readonly shap: number;
}

/**
 * The up to `k` features that push `row` hardest toward "anomalous": the most negative SHAP values, most negative
 * first. Empty when the row was not explained or nothing shortens its path.
 */
export function topContributions(row: Pick<UserDayResult, "features" | "shap">, featureNames: readonly string[], k: number): Contribution[] {
  if (!row.shap) return [];
  const shap = row.shap;
  return featureNames
    .map((feature, j) => ({ feature, value: row.features[j], shap: shap[j] }))
    .filter((c) => c.shap < 0)
    .sort((a, b) => a.shap - b.shap)
    .slice(0, k);
}
