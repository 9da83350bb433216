import type { UserDayResult } from '@isoforest/report';
import { meanColumn, ZSCORE_SOURCES, type ZscoreSource } from '@isoforest/features';
import type { HuntResult } from './huntUserDays.js';
import { CORRELATION_COLUMNS } from './notebookParameters.js';

/** One feature's push on one user-day, in the analyst's words. */
export interface Contribution {
  /** The model feature, e.g. `FailedLogons_zscore`. */
  readonly feature: string;
  /** SHAP value of the mean path length; negative pushes toward "anomalous". */
  readonly shap: number;
  /** The user-day column behind the feature, e.g. `FailedLogons`. */
  readonly column: string;
  /** That column's value on the day. */
  readonly value: number;
  /** The user's mean of that column over the window, for z-scored features. */
  readonly userMean?: number;
  /** E.g. `FailedLogons 1256 vs this user's mean 60.1`. */
  readonly text: string;
}

/** `YYYY-MM-DD` of a user-day's Date cell (a DateDay read as ms, a Date, or already a string). */
export function isoDate(value: unknown): string {
  if (typeof value === 'string') return value;
  const date = value instanceof Date ? value : new Date(Number(value));
  return date.toISOString().slice(0, 10);
}

/** A row of the hunt as the report shows it. */
export function userDayView(result: HuntResult, row: number): UserDayResult {
  const table = result.featureTable;
  const numberAt = (column: string) => Number(table.getChild(column)!.get(row));
  const shap = result.shap.map((column) => column[row]);
  const userMeans: Record<string, number> = {};
  for (const source of ZSCORE_SOURCES) userMeans[source] = numberAt(meanColumn(source));
  return {
    date: isoDate(table.getChild('Date')!.get(row)),
    domain: String(table.getChild('DstDomain')!.get(row)),
    user: String(table.getChild('DstUser')!.get(row)),
    score: result.scores.score[row],
    scoreSamples: result.scores.scoreSamples[row],
    anomaly: result.scores.predict[row] === -1,
    features: result.model.featureNames.map(numberAt),
    raw: CORRELATION_COLUMNS.map(numberAt),
    userMeans,
    ...(shap.every((v) => !Number.isNaN(v)) ? { shap } : {}),
  };
}

const ZSCORE_SUFFIX = '_zscore';

/**
 * The features that pushed a user-day most toward "anomalous" (most negative SHAP values first), at most `count`,
 * each described with the raw value behind it. Empty when the row was not explained.
 */
export function topContributions(result: HuntResult, row: number, count = 3): Contribution[] {
  const table = result.featureTable;
  const contributions = result.model.featureNames
    .map((feature, c) => ({ feature, shap: result.shap[c][row] }))
    .filter(({ shap }) => shap < 0)
    .sort((a, b) => a.shap - b.shap)
    .slice(0, count);
  return contributions.map(({ feature, shap }) => {
    const column = feature.endsWith(ZSCORE_SUFFIX) ? feature.slice(0, -ZSCORE_SUFFIX.length) : feature;
    const value = Number(table.getChild(column)?.get(row) ?? table.getChild(feature)!.get(row));
    const isZscored = (ZSCORE_SOURCES as readonly string[]).includes(column);
    const userMean = isZscored ? Number(table.getChild(meanColumn(column as ZscoreSource))!.get(row)) : undefined;
    const text =
      userMean === undefined
        ? `${column} ${formatCount(value)}`
        : `${column} ${formatCount(value)} vs this user's mean ${formatMean(userMean)}`;
    return { feature, shap, column, value, ...(userMean === undefined ? {} : { userMean }), text };
  });
}

/** One decimal, or two below 1, so that a mean of 0.05 failures does not read as "0.0". */
function formatMean(mean: number): string {
  return Math.abs(mean) < 1 ? mean.toFixed(2) : mean.toFixed(1);
}

function formatCount(value: number): string {
  return Number.isInteger(value) ? String(value) : value.toFixed(2);
}
