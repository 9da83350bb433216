/**
 * A plotly figure as plain JSON: what `Plotly.newPlot(div, data, layout)` takes. Built in Node, embedded in the
 * report's data block, drawn in the page. Every data string in `data` and `layout` has been through
 * `escapePlotlyText`. The title is not part of the layout: the page shows it as an HTML heading, which wraps on a
 * narrow screen where a plotly title would run into the legend.
 */
export interface PlotlyFigure {
  /** Raw text (the page escapes it). */
  readonly title: string;
  readonly data: readonly Record<string, unknown>[];
  readonly layout: Record<string, unknown>;
}

/** Colours shared by every chart so that "outlier" and "toward anomalous" look the same everywhere. */
export const COLORS = {
  inlier: '#4c78a8',
  outlier: '#e45756',
  towardAnomalous: '#e45756',
  towardNormal: '#4c78a8',
  total: '#7f7f7f',
  text: '#1f2933',
  grid: '#e4e7eb',
} as const;

/** The layout every chart starts from: light theme, readable font, autosized to its container. */
export function baseLayout(): Record<string, unknown> {
  return {
    autosize: true,
    paper_bgcolor: '#ffffff',
    plot_bgcolor: '#ffffff',
    font: { family: 'system-ui, -apple-system, Segoe UI, Roboto, sans-serif', size: 12, color: COLORS.text },
    margin: { l: 60, r: 20, t: 30, b: 50 },
  };
}

/** Rounds for display: 4 significant digits, no exponent for ordinary magnitudes. */
export function fmt(x: number): string {
  if (!Number.isFinite(x)) return String(x);
  if (x === 0) return '0';
  const a = Math.abs(x);
  if (a >= 1e6 || a < 1e-3) return x.toExponential(2);
  return String(Number(x.toPrecision(4)));
}
