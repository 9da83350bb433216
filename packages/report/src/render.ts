import type { HuntReport, UserDayResult } from './huntReport.js';
import { escapeHtml, jsonForScriptBlock } from './escape.js';
import { drawCharts } from './client.js';
import { drillDownId, drillDownSection } from './drillDown.js';
import { htmlDocument, type InlineScript } from './page.js';
import { correlationSection } from './figures/correlation.js';
import { fmt, type PlotlyFigure } from './figures/figure.js';
import { pcaScatter } from './figures/pcaScatter.js';
import { scoreHistogram } from './figures/scoreHistogram.js';
import { shapSummary } from './figures/shapSummary.js';
import { waterfall, waterfallRows } from './figures/waterfall.js';
import { groupThousands } from '@isoforest/common';

/** The ranked table shows at least this many user-days (all outliers when there are more), and at most the max. */
export const TABLE_MIN_ROWS = 20;
export const TABLE_MAX_ROWS = 500;

/**
 * Chart heights in CSS pixels. Charts that list the features or columns on an axis grow by a fixed height per entry
 * (above a floor), so labels stay readable for any model.
 */
export const CHART_HEIGHT = {
  scores: 360,
  pca: 560,
  correlation: (columns: number) => Math.max(420, 150 + 38 * columns),
  shap: (features: number) => Math.max(320, 120 + 56 * features),
  // Two more bars than features: the expected value and the total.
  waterfall: (features: number) => Math.max(300, 130 + 38 * (features + 2)),
} as const;

/** The `id`s of the report's sections, in page order (tests and the navigation bar use them). */
export const SECTION_IDS = ['summary', 'outliers', 'scores', 'pca', 'correlation', 'shap', 'waterfalls'] as const;

/** A chart to draw: the element id, its figure and its height in CSS pixels. */
interface Chart {
  readonly id: string;
  readonly figure: PlotlyFigure;
  readonly height: number;
}

const chartDiv = (c: Chart) =>
  `<figure class="chart-box"><figcaption>${escapeHtml(c.figure.title)}</figcaption>` +
  `<div class="chart" id="${c.id}" style="height:${Math.round(c.height)}px"></div></figure>`;

/**
 * The hunt as one self-contained HTML page (plotly.js inlined, no network access): summary and parameters, the
 * ranked table of user-days with their top contributions, the score histogram, a 3D PCA scatter, the correlation
 * heatmap, the SHAP summary and a waterfall per top anomaly. Every data string is escaped; the chart data sits in a
 * `<script type="application/json">` block that data cannot break out of. `plotly` is the text of
 * plotly.js-dist-min to inline (read from the package in Node, with its hash; fetched from its own asset in a
 * browser page).
 */
export function renderHuntReportHtml(report: HuntReport, plotly: string | InlineScript): string {
  const charts: Chart[] = [];
  const add = (id: string, figure: PlotlyFigure, height: number) => {
    const chart = { id, figure, height };
    charts.push(chart);
    return chartDiv(chart);
  };
  const d = report.featureNames.length;
  const sections = [
    summarySection(report),
    tableSection(report),
    section('scores', 'Scores', '', add('chart-scores', scoreHistogram(report.rows), CHART_HEIGHT.scores)),
    pcaSection(report, add),
    correlationHtml(report, add),
    shapSection(report, add, d),
    waterfallSection(report, add, d),
    ...(report.drillDowns?.length ? [drillDownSection(report.drillDowns)] : []),
  ];
  const drillNav = report.drillDowns?.length ? `<a href="#drilldowns">Raw logons</a>` : '';
  const nav = SECTION_IDS.map((id) => `<a href="#${id}">${NAV_LABELS[id]}</a>`).join('') + drillNav;
  const body = [
    `<header><div class="wrap"><h1>${escapeHtml(report.title)}</h1>`,
    `<p class="meta">Generated ${escapeHtml(report.generatedAt)} from ${escapeHtml(report.source)}</p>`,
    `<nav>${nav}</nav></div></header>`,
    `<main class="wrap">${sections.join('\n')}</main>`,
    `<footer>Self-contained report: charts by plotly.js, drawn offline from the data embedded in this file.</footer>`,
  ].join('\n');
  const data = jsonForScriptBlock({
    charts: charts.map(({ id, figure }) => ({ id, figure: { data: figure.data, layout: figure.layout } })),
  });
  return htmlDocument(
    escapeHtml(report.title),
    body,
    [`<script type="application/json" id="report-data">${data}</script>`],
    [typeof plotly === 'string' ? { source: plotly } : plotly, { source: `(${drawCharts.toString()})();` }],
  );
}

const NAV_LABELS: Record<(typeof SECTION_IDS)[number], string> = {
  summary: 'Summary',
  outliers: 'Ranked user-days',
  scores: 'Scores',
  pca: 'PCA',
  correlation: 'Correlation',
  shap: 'SHAP summary',
  waterfalls: 'Top anomalies explained',
};

function section(id: string, title: string, intro: string, content: string): string {
  const p = intro ? `<p>${intro}</p>` : '';
  return `<section id="${id}"><h2>${title}</h2>${p}${content}</section>`;
}

/** The summary section's markup: counts, parameters and model features (every data string escaped). */
export function summarySection(report: HuntReport): string {
  const c = report.counts;
  const card = (value: number, label: string, alert = false) =>
    `<div class="card${alert ? ' alert' : ''}"><div class="value">${groupThousands(value)}</div><div class="label">${label}</div></div>`;
  const cards = [
    card(c.rowsIn, 'user-days read'),
    card(c.rowsScored, 'user-days scored'),
    card(c.rowsFiltered, 'removed by the filter (no successful logon)'),
    card(c.outliers, 'outliers flagged', c.outliers > 0),
  ].join('');
  const params = Object.entries(report.parameters)
    .map(([k, v]) => `<tr><td>${escapeHtml(k)}</td><td>${escapeHtml(String(v))}</td></tr>`)
    .join('');
  const features = report.featureNames.map((f) => `<code>${escapeHtml(f)}</code>`).join(', ');
  return section(
    'summary',
    'Summary',
    '',
    `<div class="cards">${cards}</div>` +
      `<h3>Parameters</h3><div class="table-scroll"><table class="params"><tbody>${params}</tbody></table></div>` +
      `<h3>Model features</h3><p class="note">${features}</p>`,
  );
}

function tableSection(report: HuntReport): string {
  const flagged = report.rows.filter((r) => r.anomaly).length;
  const n = Math.min(report.rows.length, TABLE_MAX_ROWS, Math.max(flagged, TABLE_MIN_ROWS));
  const drilled = new Set(
    (report.drillDowns ?? []).map((d) =>
      drillDownId(new Date(d.key.dayMs).toISOString().slice(0, 10), d.key.domain, d.key.user),
    ),
  );
  const body = report.rows
    .slice(0, n)
    .map((r, i) => tableRow(report, r, i + 1, drilled))
    .join('\n');
  const head = ['#', 'Date', 'DstDomain', 'DstUser', 'Score', 'Anomaly', 'Top contributions toward anomalous']
    .map((h, i) => `<th${i === 0 || i === 4 ? ' class="num"' : ''}>${h}</th>`)
    .join('');
  const intro =
    `The ${groupThousands(n)} highest-scoring of ${groupThousands(report.rows.length)} user-days, most anomalous first. ` +
    `Score = <code>-decision_function</code>: positive means flagged. Contributions are the features with the most negative ` +
    `SHAP values (shown in path-length units), the ones that shortened this user-day's path the most.`;
  return section(
    'outliers',
    'Ranked user-days',
    intro,
    `<div class="table-scroll"><table id="outlier-table"><thead><tr>${head}</tr></thead><tbody>${body}</tbody></table></div>`,
  );
}

function tableRow(report: HuntReport, r: UserDayResult, rank: number, drilled: ReadonlySet<string>): string {
  const id = drillDownId(r.date, r.domain, r.user);
  const user = drilled.has(id) ? `<a href="#${id}">${escapeHtml(r.user)}</a>` : escapeHtml(r.user);
  const contribs = r.contributions
    ? r.contributions
        .map((c) => {
          const value = r.features[report.featureNames.indexOf(c.feature)];
          return `<li>${escapeHtml(c.feature)} = ${fmt(value)} <span class="neg">${fmt(c.shap)}</span></li>`;
        })
        .join('') || '<li>none</li>'
    : '<li>not explained</li>';
  const flag = r.anomaly ? '<span class="flag yes">outlier</span>' : '<span class="flag no">inlier</span>';
  return (
    `<tr class="${r.anomaly ? 'outlier' : 'inlier'}"><td class="num">${rank}</td><td>${escapeHtml(r.date)}</td>` +
    `<td>${escapeHtml(r.domain)}</td><td class="user">${user}</td><td class="num">${r.score.toFixed(4)}</td>` +
    `<td>${flag}</td><td><ul class="contribs">${contribs}</ul></td></tr>`
  );
}

type AddChart = (id: string, figure: PlotlyFigure, height: number) => string;

function pcaSection(report: HuntReport, add: AddChart): string {
  const figure = pcaScatter(report);
  const intro =
    'Each user-day on the first three principal components of the standardised model features; outliers are red ' +
    'diamonds. Drag to rotate.';
  return section(
    'pca',
    'PCA of the model features',
    intro,
    figure ? add('chart-pca', figure, CHART_HEIGHT.pca) : '<p>Too few user-days for a PCA.</p>',
  );
}

function correlationHtml(report: HuntReport, add: AddChart): string {
  const corr = correlationSection(report);
  if (!corr) return section('correlation', 'Correlation', '', '<p>Too few columns or user-days to correlate.</p>');
  const list = corr.top
    .map((p) => `<li>${escapeHtml(p.a)} &amp; ${escapeHtml(p.b)}: <b>${p.r.toFixed(3)}</b></li>`)
    .join('');
  const constant = corr.constant.length
    ? `<p class="note">Constant over these user-days (no correlation defined): ${corr.constant.map(escapeHtml).join(', ')}.</p>`
    : '';
  return section(
    'correlation',
    'Correlation',
    "Over all scored user-days, as pandas' DataFrame.corr() computes it; a blank row and column is a constant count.",
    add('chart-correlation', corr.figure, CHART_HEIGHT.correlation(report.correlationColumns.length)) +
      `<h3>Strongest correlations (by |r|)</h3><ol class="corr" id="top-correlations">${list}</ol>${constant}`,
  );
}

function shapExplanation(report: HuntReport): string {
  return (
    `<p class="callout"><b>Reading the SHAP values.</b> The model's raw output for a user-day is its mean path length ` +
    `over the trees: how many splits it takes to isolate it. Anomalies are isolated quickly, so a <b>shorter path ` +
    `means more anomalous</b>. SHAP values here are in path-length units and add up exactly: expected value ` +
    `(${fmt(report.expectedValue)}, the average over the training data) + the user-day's SHAP values = its mean path ` +
    `length. <span class="neg">Negative</span> = shortens the path = pushes toward anomalous; ` +
    `<span class="pos">positive</span> = lengthens it = pushes toward normal.</p>`
  );
}

function shapSection(report: HuntReport, add: AddChart, d: number): string {
  const summary = shapSummary(report);
  if (!summary) return section('shap', 'SHAP summary', '', '<p>No user-day was explained.</p>');
  const height = CHART_HEIGHT.shap(d);
  return section(
    'shap',
    'SHAP summary',
    '',
    shapExplanation(report) +
      `<div class="grid-wide"><div>${add('chart-shap-beeswarm', summary.beeswarm, height)}</div>` +
      `<div>${add('chart-shap-importance', summary.importance, height)}</div></div>`,
  );
}

function waterfallSection(report: HuntReport, add: AddChart, d: number): string {
  const rows = waterfallRows(report);
  if (rows.length === 0)
    return section('waterfalls', 'Top anomalies explained', '', '<p>No user-day was explained.</p>');
  const anyFlagged = rows.some((r) => r.anomaly);
  const intro =
    (anyFlagged ? 'Each flagged user-day, ' : 'Nothing was flagged; the top-ranked user-days, ') +
    `read top to bottom: from the expected mean path length (${fmt(report.expectedValue)}), each feature's SHAP value ` +
    "moves it (red: shorter, toward anomalous; blue: longer, toward normal) to the user-day's own mean path length.";
  const height = CHART_HEIGHT.waterfall(d);
  const divs = rows.map((r, i) => {
    const html = add(`chart-waterfall-${i}`, waterfall(report, r), height);
    return `<div>${html}</div>`;
  });
  return section('waterfalls', 'Top anomalies explained', intro, `<div class="grid2">${divs.join('')}</div>`);
}
