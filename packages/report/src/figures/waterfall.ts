import type { HuntReport, UserDayResult } from '../huntReport.js';
import { escapePlotlyText } from '../escape.js';
import { baseLayout, COLORS, fmt, type PlotlyFigure } from './figure.js';
import { explainedRows } from './shapSummary.js';

/** Waterfalls drawn at most (one per top anomaly). */
export const MAX_WATERFALLS = 12;
/** When nothing was flagged, the waterfalls show this many top-ranked explained user-days instead. */
const UNFLAGGED_WATERFALLS = 3;

/**
 * The user-days that get a waterfall: the flagged outliers that were explained, in rank order; when none was
 * flagged, the top-ranked explained user-days.
 */
export function waterfallRows(report: HuntReport): UserDayResult[] {
  const explained = explainedRows(report.rows);
  const flagged = explained.filter((r) => r.anomaly);
  return flagged.length > 0 ? flagged.slice(0, MAX_WATERFALLS) : explained.slice(0, UNFLAGGED_WATERFALLS);
}

/** The mean path length the explanation adds up to: expected value + sum of the row's SHAP values. */
export function explainedPathLength(expectedValue: number, shap: readonly number[]): number {
  return shap.reduce((s, v) => s + v, expectedValue);
}

/**
 * shap's waterfall plot for one user-day, read top to bottom: the expected mean path length, then each feature's
 * SHAP value moving it (red = shorter path = toward anomalous, blue = longer = toward normal), then the row's own
 * mean path length. Features are ordered by |SHAP|, largest first.
 */
export function waterfall(report: HuntReport, row: UserDayResult): PlotlyFigure {
  const shap = row.shap;
  if (!shap) throw new RangeError(`waterfall: user-day ${row.user} ${row.date} has no SHAP values`);
  const order = shap.map((_, j) => j).sort((a, b) => Math.abs(shap[b]) - Math.abs(shap[a]));
  const expected = report.expectedValue;
  const total = explainedPathLength(expected, shap);
  // The x range must leave room for the value labels printed beyond each bar's end.
  let lo = Math.min(0, total);
  let hi = Math.max(expected, total);
  let running = expected;
  for (const j of order) {
    running += shap[j];
    lo = Math.min(lo, running);
    hi = Math.max(hi, running);
  }
  const pad = 0.15 * (hi - lo || 1);
  const labels = order.map((j) => `${escapePlotlyText(report.featureNames[j])} = ${fmt(row.features[j])}`);
  return {
    title: `${row.user} @ ${row.domain}, ${row.date} (score ${fmt(row.score)})`,
    data: [
      {
        type: 'waterfall',
        orientation: 'h',
        measure: ['absolute', ...order.map(() => 'relative'), 'total'],
        y: ['expected value', ...labels, 'mean path length'],
        x: [expected, ...order.map((j) => shap[j]), 0],
        text: [fmt(expected), ...order.map((j) => (shap[j] > 0 ? '+' : '') + fmt(shap[j])), fmt(total)],
        textposition: 'outside',
        cliponaxis: false,
        decreasing: { marker: { color: COLORS.towardAnomalous } },
        increasing: { marker: { color: COLORS.towardNormal } },
        totals: { marker: { color: COLORS.total } },
        connector: { line: { color: '#9aa5b1', width: 1, dash: 'dot' } },
        hovertemplate: '%{y}<br>%{text}<extra></extra>',
      },
    ],
    layout: {
      ...baseLayout(),
      xaxis: {
        title: { text: 'path length (shorter = more anomalous)' },
        gridcolor: COLORS.grid,
        range: [lo - (lo < 0 ? pad : 0), hi + pad],
      },
      yaxis: { autorange: 'reversed', automargin: true },
      showlegend: false,
      margin: { l: 20, r: 20, t: 10, b: 50 },
    },
  };
}
