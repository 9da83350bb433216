import type { UserDayDrillDown } from './drillDown.js';

/**
 * Everything the HTML report shows, as plain data: `toHuntReport` of `@isoforest/hunt` fills it, the report renders
 * it. Strings that come from the data (users, domains) are raw here; the renderer escapes them.
 */
export interface HuntReport {
  readonly title: string;
  /** ISO 8601 time the hunt ran. */
  readonly generatedAt: string;
  /** Where the user-days came from, e.g. "demo", "csv:days.csv". */
  readonly source: string;
  /** Model and run parameters as shown to the analyst (trees, max samples, contamination, seed, offset, ...). */
  readonly parameters: Readonly<Record<string, string | number | boolean>>;
  readonly counts: {
    /** User-days read from the source. */
    readonly rowsIn: number;
    /** User-days scored by the model. */
    readonly rowsScored: number;
    /** User-days removed by the `SuccessfulLogons > 0` result filter. */
    readonly rowsFiltered: number;
    /** User-days flagged as outliers (predict = -1) after the filter. */
    readonly outliers: number;
  };
  /** The model's features, in model order (the columns of `UserDayResult.features` and `.shap`). */
  readonly featureNames: readonly string[];
  /** The notebook's raw columns shown in the correlation heatmap, in order. */
  readonly correlationColumns: readonly string[];
  /** SHAP expected value of the mean path length (path-length units). */
  readonly expectedValue: number;
  /**
   * The scored user-days that passed the filter, ranked by `score`, most anomalous first (the best-ranked ones when
   * the hunt capped their number).
   */
  readonly rows: readonly UserDayResult[];
  /**
   * The raw logons behind flagged user-days, when the hunt's source holds raw events (event files, Sentinel); each
   * gets a section, linked from its row of the ranked table.
   */
  readonly drillDowns?: readonly UserDayDrillDown[];
}

/** One feature's push on a user-day toward "anomalous", as the hunt ranked it. */
export interface Contribution {
  /** The model feature, one of `HuntReport.featureNames`. */
  readonly feature: string;
  /** SHAP value of the mean path length (path-length units); negative = shorter path = toward anomalous. */
  readonly shap: number;
}

/** One ranked user-day: who, when, how anomalous, and why. */
export interface UserDayResult {
  /** `YYYY-MM-DD`. */
  readonly date: string;
  readonly domain: string;
  readonly user: string;
  /** The notebook's score, `-decision_function`: larger is more anomalous; positive means flagged. */
  readonly score: number;
  /** scikit-learn's `score_samples`, in (-1, 0): closer to -1 is more anomalous. */
  readonly scoreSamples: number;
  /** Flagged as an outlier (`predict = -1`, i.e. `score > 0`). */
  readonly anomaly: boolean;
  /** Model feature values, in `featureNames` order. */
  readonly features: readonly number[];
  /** Values of `correlationColumns`, in that order. */
  readonly raw: readonly number[];
  /** Per-user means of the z-scored counts, keyed by the raw column name (e.g. FailedLogons -> 0.05). */
  readonly userMeans: Readonly<Record<string, number>>;
  /**
   * SHAP values of the mean path length, in `featureNames` order, when this row was explained. Negative values
   * shorten the path: they push the user-day toward "anomalous".
   */
  readonly shap?: readonly number[];
  /**
   * The features that pushed the user-day most toward "anomalous" (negative SHAP values only, most negative first,
   * at most a few; empty when none did). Present exactly when `shap` is.
   */
  readonly contributions?: readonly Contribution[];
}
