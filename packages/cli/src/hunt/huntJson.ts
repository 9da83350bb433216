import { topContributions, userDayView, type HuntResult } from '@isoforest/hunt';

/** One user-day of the `--json` document. */
export interface HuntJsonRow {
  readonly Date: string;
  readonly DstDomain: string;
  readonly DstUser: string;
  /** The notebook's score, `-decision_function`: positive means flagged. */
  readonly score: number;
  readonly scoreSamples: number;
  readonly anomaly: boolean;
  /** SHAP value per model feature (path-length units; negative pushes toward anomalous), or null if not explained. */
  readonly contributions: Readonly<Record<string, number>> | null;
  /** The features that pushed it most toward anomalous, in words. */
  readonly why: readonly string[];
}

/**
 * The `hunt --json` document: the model, the counts, every flagged result row and the top of the ranking (the rows
 * built when read).
 */
export function huntJson(result: HuntResult, source: string, generatedAt: string, top: number) {
  const row = (index: number): HuntJsonRow => {
    const view = userDayView(result, index);
    return {
      Date: view.date,
      DstDomain: view.domain,
      DstUser: view.user,
      score: view.score,
      scoreSamples: view.scoreSamples,
      anomaly: view.anomaly,
      contributions: view.shap
        ? Object.fromEntries(result.model.featureNames.map((name, c) => [name, view.shap![c]]))
        : null,
      why: topContributions(result, index).map((c) => c.text),
    };
  };
  return {
    source,
    generatedAt,
    model: {
      trees: result.model.nEstimators,
      maxSamples: result.model.maxSamples,
      offset: result.model.offset,
      features: result.model.featureNames,
      expectedValue: result.model.expectedValue,
      /** What the fit did otherwise than asked (e.g. max samples above the rows), as `isoforest hunt` prints on stderr. */
      warnings: result.model.warnings.map((warning) => warning.message),
    },
    counts: result.counts,
    shapUnits: 'path length; negative values push a user-day toward anomalous',
    // Getters, so that the rows are described only when the document is written (`--json`): a hunt of millions of
    // user-days flags a hundred thousand of them.
    get outliers(): HuntJsonRow[] {
      return Array.from(
        result.ranking.filter((r) => result.scores.predict[r] === -1),
        row,
      );
    },
    get top(): HuntJsonRow[] {
      return Array.from(result.ranking.subarray(0, top), row);
    },
  };
}
