import type { Table, Vector } from 'apache-arrow';
import type { Contribution as RankedContribution, UserDayResult } from '@isoforest/report';
import { meanColumn, ZSCORE_SOURCES, zscoreColumn } from '@isoforest/features';
import type { HuntResult } from './huntUserDays.js';
import { CORRELATION_COLUMNS, DEFAULT_CONTRIBUTIONS } from './notebookParameters.js';

/** One feature's push on one user-day, in the analyst's words. */
export interface Contribution extends RankedContribution {
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

const cellReaders = new WeakMap<Table, (column: string, row: number) => unknown>();

/**
 * Reads a cell of `table` by column name. The report views every kept row: each column's Vector is built once per
 * table, not once per cell (`Table.getChild` builds a new one at every call).
 */
function cellOf(table: Table): (column: string, row: number) => unknown {
  let read = cellReaders.get(table);
  if (read === undefined) {
    const columns = new Map<string, Vector>();
    read = (column, row) => {
      let vector = columns.get(column);
      if (vector === undefined) {
        vector = table.getChild(column)!;
        columns.set(column, vector);
      }
      return vector.get(row);
    };
    cellReaders.set(table, read);
  }
  return read;
}

/** `YYYY-MM-DD` of a user-day's Date cell (a DateDay read as ms, a Date, or already a string). */
function isoDate(value: unknown): string {
  if (typeof value === 'string') return value;
  const date = value instanceof Date ? value : new Date(Number(value));
  return date.toISOString().slice(0, 10);
}

/**
 * A row of the hunt as the report shows it; its `contributions` are {@link topContributions}' ranking (feature and
 * SHAP value), present when the row was explained.
 */
export function userDayView(result: HuntResult, row: number): UserDayResult {
  const cell = cellOf(result.featureTable);
  const numberAt = (column: string) => Number(cell(column, row));
  const shap = result.shap.map((column) => column[row]);
  const userMeans: Record<string, number> = {};
  for (const source of ZSCORE_SOURCES) userMeans[source] = numberAt(meanColumn(source));
  return {
    date: isoDate(cell('Date', row)),
    domain: String(cell('DstDomain', row)),
    user: String(cell('DstUser', row)),
    score: result.scores.score[row],
    scoreSamples: result.scores.scoreSamples[row],
    anomaly: result.scores.predict[row] === -1,
    features: result.model.featureNames.map(numberAt),
    raw: CORRELATION_COLUMNS.map(numberAt),
    userMeans,
    ...(shap.every((v) => !Number.isNaN(v))
      ? { shap, contributions: rankContributions(result, row, DEFAULT_CONTRIBUTIONS) }
      : {}),
  };
}

/**
 * The features that pushed a user-day most toward "anomalous" (most negative SHAP values first), at most `count`,
 * each described with the raw value behind it. Empty when the row was not explained.
 */
export function topContributions(result: HuntResult, row: number, count = DEFAULT_CONTRIBUTIONS): Contribution[] {
  return rankContributions(result, row, count).map(({ feature, shap }) =>
    describeContribution(result, row, feature, shap),
  );
}

/** The features with negative SHAP values on `row`, most negative first, at most `count`; none when not explained (NaN). */
function rankContributions(result: HuntResult, row: number, count: number): RankedContribution[] {
  return result.model.featureNames
    .map((feature, c) => ({ feature, shap: result.shap[c][row] }))
    .filter(({ shap }) => shap < 0)
    .sort((a, b) => a.shap - b.shap)
    .slice(0, count);
}

/** A ranked feature in the analyst's words: the count behind it on the day and, for a z-score, the user's mean. */
function describeContribution(result: HuntResult, row: number, feature: string, shap: number): Contribution {
  const cell = cellOf(result.featureTable);
  const source = ZSCORE_SOURCES.find((s) => zscoreColumn(s) === feature);
  const column = source ?? feature;
  const value = Number(cell(column, row));
  if (source === undefined) return { feature, shap, column, value, text: `${column} ${formatCount(value)}` };
  const userMean = Number(cell(meanColumn(source), row));
  return {
    feature,
    shap,
    column,
    value,
    userMean,
    text: `${column} ${formatCount(value)} vs this user's mean ${formatMean(userMean)}`,
  };
}

/** One decimal, or two below 1, so that a mean of 0.05 failures does not read as "0.0". */
function formatMean(mean: number): string {
  return Math.abs(mean) < 1 ? mean.toFixed(2) : mean.toFixed(1);
}

/** Counts as they are; a non-integer (a feature read as is) with two decimals. */
function formatCount(value: number): string {
  return Number.isInteger(value) ? String(value) : value.toFixed(2);
}
