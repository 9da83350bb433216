import type { HuntReport } from '../huntReport.js';
import { escapePlotlyText } from '../escape.js';
import { pcaProjection } from '../pca.js';
import { baseLayout, COLORS, fmt, type PlotlyFigure } from './figure.js';

/** Points drawn at most; the components are still fitted on every row. Outliers are always drawn. */
export const MAX_SCATTER_POINTS = 5000;

/** Row indices to draw: every outlier, then inliers at an even stride, `max` in all (deterministic). */
export function sampleRows(anomaly: readonly boolean[], max: number): number[] {
  const outliers: number[] = [];
  const inliers: number[] = [];
  anomaly.forEach((a, i) => (a ? outliers : inliers).push(i));
  const keepOutliers = outliers.slice(0, max);
  const room = max - keepOutliers.length;
  if (inliers.length <= room) return [...keepOutliers, ...inliers];
  const stride = inliers.length / room;
  const sampled = Array.from({ length: room }, (_, k) => inliers[Math.floor(k * stride)]);
  return [...keepOutliers, ...sampled];
}

/**
 * 3D scatter of the rows on the first three principal components of the standardised model features; the title
 * gives the share of the variance the three components explain. Null when there are too few rows or features.
 */
export function pcaScatter(report: HuntReport): PlotlyFigure | null {
  const { rows, featureNames } = report;
  if (rows.length < 2 || featureNames.length < 1) return null;
  const columns = featureNames.map((_, j) => Float64Array.from(rows, (r) => r.features[j]));
  const sample = sampleRows(
    rows.map((r) => r.anomaly),
    MAX_SCATTER_POINTS,
  );
  const { explainedVariance, coordinates } = pcaProjection(columns, sample, 3);
  const total = explainedVariance.reduce((s, v) => s + v, 0);
  // With fewer than three features the missing axes are flat.
  const axis = (c: number, i: number) => (c < coordinates.length ? coordinates[c][i] : 0);
  const trace = (name: string, anomalous: boolean) => {
    const idx = sample.map((row, i) => ({ row, i })).filter(({ row }) => rows[row].anomaly === anomalous);
    return {
      type: 'scatter3d',
      mode: 'markers',
      name,
      x: idx.map(({ i }) => axis(0, i)),
      y: idx.map(({ i }) => axis(1, i)),
      z: idx.map(({ i }) => axis(2, i)),
      text: idx.map(({ row }) => {
        const r = rows[row];
        return escapePlotlyText(`${r.user} @ ${r.domain}, ${r.date}`) + `<br>score ${fmt(r.score)}`;
      }),
      hoverinfo: 'text+name',
      marker: anomalous
        ? { size: 6, color: COLORS.outlier, symbol: 'diamond', line: { color: '#7a1f1f', width: 1 } }
        : { size: 3, color: COLORS.inlier, opacity: 0.55 },
    };
  };
  const pct = (v: number) => `${(100 * v).toFixed(1)}%`;
  const label = (c: number) =>
    c < explainedVariance.length ? `PC${c + 1} (${pct(explainedVariance[c])})` : `PC${c + 1}`;
  const scene = (c: number) => ({
    title: { text: label(c) },
    gridcolor: COLORS.grid,
    backgroundcolor: '#fafbfc',
    showbackground: true,
  });
  const shown = sample.length < rows.length ? `, ${sample.length} of ${rows.length} user-days drawn` : '';
  return {
    title: `PCA of the standardised model features: 3 components explain ${pct(total)} of the variance${shown}`,
    data: [trace('inliers', false), trace('outliers', true)],
    layout: {
      ...baseLayout(),
      scene: {
        xaxis: scene(0),
        yaxis: scene(1),
        zaxis: scene(2),
        aspectmode: 'cube',
        camera: { eye: { x: 1.6, y: 1.6, z: 1.15 } },
      },
      margin: { l: 0, r: 0, t: 30, b: 0 },
      legend: { orientation: 'h', x: 1, xanchor: 'right', y: 1.02, yanchor: 'bottom', itemsizing: 'constant' },
    },
  };
}
