import type { HuntReport } from '../huntReport.js';
import { escapePlotlyText } from '../escape.js';
import { correlationMatrix, topCorrelations, type CorrelationPair } from '../stats.js';
import { baseLayout, type PlotlyFigure } from './figure.js';

/** How many pairs the "top correlations" list shows. */
export const TOP_CORRELATIONS = 10;

/** The correlation section: the heatmap and the strongest pairs. */
export interface CorrelationSection {
  readonly figure: PlotlyFigure;
  readonly top: readonly CorrelationPair[];
  /** Columns that are constant over the rows: their correlations are undefined and drawn blank. */
  readonly constant: readonly string[];
}

/** Pearson correlations of the report's `correlationColumns` over all rows, as a heatmap and a top-|r| list. */
export function correlationSection(report: HuntReport): CorrelationSection | null {
  const names = report.correlationColumns;
  if (names.length < 2 || report.rows.length < 2) return null;
  const columns = names.map((_, j) => Float64Array.from(report.rows, (r) => r.raw[j]));
  const matrix = correlationMatrix(columns);
  const labels = names.map(escapePlotlyText);
  const z = matrix.map((row) => row.map((v) => (Number.isNaN(v) ? null : v)));
  const figure: PlotlyFigure = {
    title: 'Pearson correlation of the daily counts',
    data: [
      {
        type: 'heatmap',
        x: labels,
        y: labels,
        z,
        zmin: -1,
        zmax: 1,
        colorscale: 'RdBu',
        texttemplate: '%{z:.2f}',
        textfont: { size: 10 },
        hovertemplate: '%{y} vs %{x}<br>r = %{z:.3f}<extra></extra>',
        colorbar: { title: { text: 'r' }, thickness: 12 },
        xgap: 1,
        ygap: 1,
      },
    ],
    layout: {
      ...baseLayout(),
      xaxis: { tickangle: -40, automargin: true },
      yaxis: { autorange: 'reversed', automargin: true },
      margin: { l: 20, r: 20, t: 10, b: 20 },
    },
  };
  const constant = names.filter((_, j) => Number.isNaN(matrix[j][j]));
  return { figure, top: topCorrelations(names, matrix, TOP_CORRELATIONS), constant };
}
