import type { HuntReport, UserDayResult } from '../huntReport.js';
import { escapePlotlyText } from '../escape.js';
import { baseLayout, COLORS, type PlotlyFigure } from './figure.js';

/** Explained rows drawn at most in the beeswarm (an even stride over them beyond that). */
export const MAX_BEESWARM_ROWS = 2000;
/** Bins along x used to stack the beeswarm's markers vertically, as shap's summary plot does. */
const SWARM_BINS = 100;
/** Half the height a feature's swarm may take, in units of the distance between features. */
const SWARM_HALF_HEIGHT = 0.4;

/** Rows that carry SHAP values. */
export function explainedRows(rows: readonly UserDayResult[]): UserDayResult[] {
  return rows.filter((r) => r.shap !== undefined);
}

/** Mean |SHAP| per feature over the explained rows, in `featureNames` order (path-length units). */
function meanAbsShap(rows: readonly UserDayResult[], features: number): number[] {
  const sums = new Array<number>(features).fill(0);
  for (const r of rows) for (let j = 0; j < features; j++) sums[j] += Math.abs(r.shap![j]);
  return sums.map((s) => (rows.length ? s / rows.length : 0));
}

/** Feature indices by mean |SHAP|, most important first. */
function importanceOrder(meanAbs: readonly number[]): number[] {
  return meanAbs.map((_, j) => j).sort((a, b) => meanAbs[b] - meanAbs[a]);
}

/**
 * Vertical offsets that stack equal-x markers of one feature into a swarm: markers in the same x bin alternate
 * above and below the centre line, spread so the fullest bin uses the whole height.
 */
function swarmOffsets(x: readonly number[]): number[] {
  let min = Infinity;
  let max = -Infinity;
  for (const v of x) {
    if (v < min) min = v;
    if (v > max) max = v;
  }
  const span = max - min || 1;
  const bin = x.map((v) => Math.min(SWARM_BINS - 1, Math.floor(((v - min) / span) * SWARM_BINS)));
  const filled = new Array<number>(SWARM_BINS).fill(0);
  const rank = bin.map((b) => filled[b]++);
  const fullest = Math.max(...filled);
  const step = fullest > 1 ? (2 * SWARM_HALF_HEIGHT) / fullest : 0;
  return rank.map((k) => (k % 2 === 0 ? 1 : -1) * Math.ceil(k / 2) * step);
}

/** Each feature value scaled to [0, 1] within its feature (5th to 95th percentile, clipped), for the colour scale. */
function colourValues(values: readonly number[]): number[] {
  const sorted = [...values].sort((a, b) => a - b);
  const at = (q: number) => sorted[Math.min(sorted.length - 1, Math.floor(q * (sorted.length - 1)))];
  let lo = at(0.05);
  let hi = at(0.95);
  if (hi <= lo) {
    lo = sorted[0];
    hi = sorted[sorted.length - 1];
  }
  return values.map((v) => (hi > lo ? Math.min(1, Math.max(0, (v - lo) / (hi - lo))) : 0.5));
}

/** The SHAP summary section: beeswarm and mean |SHAP| bars. Null when no row was explained. */
export interface ShapSummary {
  readonly beeswarm: PlotlyFigure;
  readonly importance: PlotlyFigure;
  readonly explained: number;
}

/**
 * shap's summary plot: one marker per explained row per feature, x = SHAP value (path-length units, negative =
 * toward anomalous), colour = the feature's value (low blue to high red); and the mean |SHAP| per feature.
 */
export function shapSummary(report: HuntReport): ShapSummary | null {
  const explained = explainedRows(report.rows);
  if (explained.length === 0) return null;
  const stride = Math.max(1, explained.length / MAX_BEESWARM_ROWS);
  const drawn = Array.from(
    { length: Math.min(explained.length, MAX_BEESWARM_ROWS) },
    (_, k) => explained[Math.floor(k * stride)],
  );
  const d = report.featureNames.length;
  const meanAbs = meanAbsShap(explained, d);
  const order = importanceOrder(meanAbs);
  const labels = report.featureNames.map(escapePlotlyText);
  const x: number[] = [];
  const y: number[] = [];
  const colour: number[] = [];
  const text: string[] = [];
  order.forEach((j, position) => {
    // Most important feature at the top.
    const centre = d - 1 - position;
    const shap = drawn.map((r) => r.shap![j]);
    const offsets = swarmOffsets(shap);
    const values = drawn.map((r) => r.features[j]);
    const scaled = colourValues(values);
    drawn.forEach((r, i) => {
      x.push(shap[i]);
      y.push(centre + offsets[i]);
      colour.push(scaled[i]);
      text.push(`${labels[j]} = ${values[i]}<br>${escapePlotlyText(`${r.user}, ${r.date}`)}`);
    });
  });
  const ticks = { tickvals: order.map((_, p) => d - 1 - p), ticktext: order.map((j) => labels[j]) };
  const beeswarm: PlotlyFigure = {
    title: `SHAP summary (${drawn.length} explained user-days; negative = toward anomalous)`,
    data: [
      {
        type: 'scatter',
        mode: 'markers',
        x,
        y,
        text,
        hovertemplate: '%{text}<br>SHAP %{x:.4f}<extra></extra>',
        marker: {
          size: 5,
          opacity: 0.8,
          color: colour,
          cmin: 0,
          cmax: 1,
          colorscale: [
            [0, '#1e88e5'],
            [1, '#ff0d57'],
          ],
          colorbar: { title: { text: 'feature value' }, tickvals: [0, 1], ticktext: ['low', 'high'], thickness: 12 },
        },
        showlegend: false,
      },
    ],
    layout: {
      ...baseLayout(),
      xaxis: {
        title: { text: 'SHAP value (path-length units)' },
        gridcolor: COLORS.grid,
        zeroline: true,
        zerolinecolor: '#9aa5b1',
      },
      yaxis: { ...ticks, range: [-0.6, d - 0.4], automargin: true, showgrid: false, zeroline: false },
      margin: { l: 20, r: 20, t: 10, b: 50 },
    },
  };
  const importance: PlotlyFigure = {
    title: 'Mean |SHAP| per feature (path-length units)',
    data: [
      {
        type: 'bar',
        orientation: 'h',
        x: order.map((j) => meanAbs[j]),
        y: order.map((j) => labels[j]),
        marker: { color: COLORS.inlier },
        hovertemplate: '%{y}<br>mean |SHAP| %{x:.4f}<extra></extra>',
      },
    ],
    layout: {
      ...baseLayout(),
      xaxis: { title: { text: 'mean |SHAP value|' }, gridcolor: COLORS.grid },
      yaxis: { autorange: 'reversed', automargin: true },
      margin: { l: 20, r: 20, t: 10, b: 50 },
    },
  };
  return { beeswarm, importance, explained: explained.length };
}
