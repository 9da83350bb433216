import type { HuntReport } from '@isoforest/report';
import type { HuntResult } from './huntUserDays.js';
import { CORRELATION_COLUMNS } from './notebookParameters.js';
import { userDayView } from './userDayView.js';

/** What the report says about the run beyond the hunt's result. */
export interface ReportMeta {
  /** Where the user-days came from, e.g. `demo`, `csv:days.csv`. */
  readonly source: string;
  /** ISO 8601 time the hunt ran. */
  readonly generatedAt: string;
  /** The page's heading; default `isoforest hunt: anomalous logon user-days`. */
  readonly title?: string;
  /** The most result rows the report embeds (the best-ranked ones); the counts still cover every row. */
  readonly maxRows?: number;
}

/** Result rows a report embeds by default: enough for every chart, small enough for a browser. */
export const DEFAULT_REPORT_ROWS = 5_000;

/** The report's data for a hunt: parameters, counts and the best-ranked result rows. */
export function toHuntReport(result: HuntResult, meta: ReportMeta): HuntReport {
  const { model } = result;
  const shown = result.ranking.subarray(0, meta.maxRows ?? DEFAULT_REPORT_ROWS);
  return {
    title: meta.title ?? 'isoforest hunt: anomalous logon user-days',
    generatedAt: meta.generatedAt,
    source: meta.source,
    parameters: {
      model: result.fitted ? 'fitted on these user-days' : `given (${model.params.source})`,
      trees: model.nEstimators,
      'max samples': model.maxSamples,
      'max features': model.params.maxFeatures,
      contamination: model.params.contamination,
      seed: model.params.randomState ?? 'n/a',
      offset: model.offset,
      'rows shown': `${shown.length} of ${result.counts.rowsScored - result.counts.rowsFiltered}`,
    },
    counts: {
      rowsIn: result.counts.rowsIn,
      rowsScored: result.counts.rowsScored,
      rowsFiltered: result.counts.rowsFiltered,
      outliers: result.counts.outliers,
    },
    featureNames: model.featureNames,
    correlationColumns: CORRELATION_COLUMNS,
    expectedValue: model.expectedValue,
    rows: Array.from(shown, (row) => userDayView(result, row)),
  };
}
