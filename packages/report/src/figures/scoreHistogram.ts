import type { UserDayResult } from '../huntReport.js';
import { baseLayout, COLORS, type PlotlyFigure } from './figure.js';

/** Bins of the score histogram; pre-binned here so the report's size does not grow with the number of rows. */
const BINS = 50;
/** Above this many rows the count axis turns logarithmic, or a handful of outliers would be invisible. */
const LOG_AXIS_ABOVE_ROWS = 5000;

/** Counts per bin of the scores of inliers and outliers, with bin edges aligned so that score 0 is an edge. */
export interface ScoreBins {
  /** Left edge of bin 0; bins are `width` wide. */
  readonly start: number;
  readonly width: number;
  readonly inliers: readonly number[];
  readonly outliers: readonly number[];
}

/** Bins `rows` by `score` into at most about `bins` equal bins; 0 (the flagging threshold) is always a bin edge. */
export function binScores(rows: readonly UserDayResult[], bins: number): ScoreBins {
  let min = Infinity;
  let max = -Infinity;
  for (const r of rows) {
    if (r.score < min) min = r.score;
    if (r.score > max) max = r.score;
  }
  if (rows.length === 0) return { start: 0, width: 1, inliers: [], outliers: [] };
  const span = Math.max(max - min, Math.abs(max) * 1e-9, 1e-12);
  const width = span / bins;
  const start = Math.floor(min / width) * width;
  const count = Math.floor((max - start) / width) + 1;
  const inliers = new Array<number>(count).fill(0);
  const outliers = new Array<number>(count).fill(0);
  for (const r of rows) {
    const b = Math.min(count - 1, Math.floor((r.score - start) / width));
    (r.anomaly ? outliers : inliers)[b]++;
  }
  return { start, width, inliers, outliers };
}

/** Histogram of the notebook's score (`-decision_function`), inliers and outliers coloured apart, threshold marked. */
export function scoreHistogram(rows: readonly UserDayResult[]): PlotlyFigure {
  const bins = binScores(rows, BINS);
  const centers = bins.inliers.map((_, i) => bins.start + (i + 0.5) * bins.width);
  const trace = (name: string, counts: readonly number[], color: string) => ({
    type: 'bar',
    name,
    x: centers,
    y: counts.map((c) => (c === 0 ? null : c)),
    width: bins.width,
    marker: { color, line: { color: '#ffffff', width: 0.5 } },
    hovertemplate: `${name}<br>score %{x:.4f}<br>%{y} user-days<extra></extra>`,
  });
  const layout = baseLayout();
  return {
    title: 'Score distribution (larger = more anomalous; flagged when score > 0)',
    data: [trace('inliers', bins.inliers, COLORS.inlier), trace('outliers', bins.outliers, COLORS.outlier)],
    layout: {
      ...layout,
      barmode: 'overlay',
      bargap: 0,
      xaxis: { title: { text: 'score' }, gridcolor: COLORS.grid, zeroline: false },
      yaxis: {
        title: { text: 'user-days' },
        gridcolor: COLORS.grid,
        type: rows.length > LOG_AXIS_ABOVE_ROWS ? 'log' : 'linear',
      },
      shapes: [
        {
          type: 'line',
          x0: 0,
          x1: 0,
          yref: 'paper',
          y0: 0,
          y1: 1,
          line: { color: COLORS.text, dash: 'dash', width: 1 },
        },
      ],
      annotations: [
        {
          x: 0,
          yref: 'paper',
          y: 1,
          text: 'threshold ',
          showarrow: false,
          xanchor: 'right',
          yanchor: 'top',
          font: { size: 11 },
        },
      ],
      legend: { orientation: 'h', x: 1, xanchor: 'right', y: 1.02, yanchor: 'bottom' },
    },
  };
}
