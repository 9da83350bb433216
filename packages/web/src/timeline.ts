import {
  baseLayout,
  COLORS,
  escapePlotlyText,
  fmt,
  type HuntReport,
  type PlotlyFigure,
  type UserDayResult,
} from '@isoforest/report/browser';

/** A line per model feature across the user's days (the same user and domain), flagged days marked by red diamonds. */
export function timelineFigure(report: HuntReport, of: UserDayResult): PlotlyFigure {
  const days = report.rows
    .filter((r) => r.user === of.user && r.domain === of.domain)
    .sort((a, b) => a.date.localeCompare(b.date));
  const dates = days.map((r) => r.date);
  const lines = report.featureNames.map((name, j) => ({
    type: 'scatter',
    mode: 'lines+markers',
    name: escapePlotlyText(name),
    x: dates,
    y: days.map((r) => r.features[j]),
    marker: { size: 5 },
    hovertemplate: `${escapePlotlyText(name)}<br>%{x}: %{y:.4g}<extra></extra>`,
  }));
  const flagged = days.filter((r) => r.anomaly);
  const marks = {
    type: 'scatter',
    mode: 'markers',
    name: 'flagged day',
    x: flagged.map((r) => r.date),
    y: flagged.map((r) => Math.max(...r.features)),
    marker: { size: 12, color: COLORS.outlier, symbol: 'diamond', line: { color: '#7a1f1f', width: 1 } },
    hovertemplate: flagged.map((r) => `flagged, score ${fmt(r.score)}<extra></extra>`),
  };
  return {
    title: `${of.user} @ ${of.domain}: model features on each of ${days.length} day${days.length === 1 ? '' : 's'} (result rows only)`,
    data: [...lines, marks],
    layout: {
      ...baseLayout(),
      xaxis: { type: 'date', gridcolor: COLORS.grid },
      yaxis: { title: { text: 'feature value' }, gridcolor: COLORS.grid },
      legend: { orientation: 'h', y: -0.2 },
      margin: { l: 60, r: 20, t: 10, b: 40 },
    },
  };
}
