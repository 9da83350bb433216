import {
  CHART_HEIGHT,
  correlationSection,
  pcaScatter,
  scoreHistogram,
  shapSummary,
  waterfall,
  type HuntReport,
  type PlotlyFigure,
  type UserDayResult,
} from '@isoforest/report/browser';
import { loadPlotly } from './plotly.js';
import { timelineFigure } from './timeline.js';

/**
 * Draws the report's charts, built by the report's own figure code, into the page's chart elements
 * (`chart-<name>` with a `chart-<name>-title` caption). `Plotly.react` redraws in place when a hunt re-runs.
 */

const CONFIG = { responsive: true, displaylogo: false };

/** Charts drawn and not yet replaced; the body's `data-charts` lists them for a reader or a test. */
const drawn = new Set<string>();

function markDrawn(): void {
  document.body.dataset.charts = [...drawn].sort().join(' ');
}

async function draw(name: string, figure: PlotlyFigure | null, height: number, empty: string): Promise<void> {
  const div = document.getElementById(`chart-${name}`)!;
  const title = document.getElementById(`chart-${name}-title`)!;
  const Plotly = loadPlotly();
  if (figure === null) {
    Plotly.purge(div);
    div.replaceChildren();
    div.style.height = '';
    title.textContent = empty;
    drawn.delete(name);
    markDrawn();
    return;
  }
  // Captions are text: a figure's title may hold a user name.
  title.textContent = figure.title;
  div.style.height = `${Math.round(height)}px`;
  await Plotly.react(div, figure.data, figure.layout, CONFIG);
  drawn.add(name);
  markDrawn();
}

/** The charts every hunt redraws: histogram, PCA, correlation heatmap, SHAP beeswarm and bars. */
export async function drawReportCharts(report: HuntReport): Promise<void> {
  const d = report.featureNames.length;
  const shap = shapSummary(report);
  await Promise.all([
    draw('scores', scoreHistogram(report.rows), CHART_HEIGHT.scores, 'No user-days.'),
    draw('pca', pcaScatter(report), CHART_HEIGHT.pca, 'Too few user-days for a PCA.'),
    draw(
      'correlation',
      correlationSection(report)?.figure ?? null,
      CHART_HEIGHT.correlation(report.correlationColumns.length),
      'Too few columns or user-days to correlate.',
    ),
    draw('shap-beeswarm', shap?.beeswarm ?? null, CHART_HEIGHT.shap(d), 'No user-day was explained.'),
    draw('shap-importance', shap?.importance ?? null, CHART_HEIGHT.shap(d), ''),
  ]);
}

/** The waterfall of one user-day (it must carry SHAP values). */
export function drawWaterfall(report: HuntReport, row: UserDayResult): Promise<void> {
  return draw('waterfall', waterfall(report, row), CHART_HEIGHT.waterfall(report.featureNames.length), '');
}

/** A user's model features day by day, with the flagged days marked. */
export function drawTimeline(report: HuntReport, row: UserDayResult): Promise<void> {
  return draw('timeline', timelineFigure(report, row), CHART_HEIGHT.waterfall(report.featureNames.length), '');
}
