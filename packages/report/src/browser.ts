/**
 * The report's figure code without Node built-ins, for a browser page that draws the same charts live: every
 * figure builder, the report document itself (`renderHuntReportHtml`, given plotly.js's text), and the escaping.
 * The static report and the page call these same functions: one source of truth for every chart.
 */
export type { Contribution, HuntReport, UserDayResult } from './huntReport.js';
export { renderHuntReportHtml, summarySection, CHART_HEIGHT, SECTION_IDS } from './render.js';
export type { InlineScript } from './page.js';
export { escapeHtml, jsonForScriptBlock, escapePlotlyText } from './escape.js';
export { baseLayout, COLORS, fmt, type PlotlyFigure } from './figures/figure.js';
export { scoreHistogram } from './figures/scoreHistogram.js';
export { pcaScatter } from './figures/pcaScatter.js';
export { correlationSection, type CorrelationSection } from './figures/correlation.js';
export { shapSummary, explainedRows, type ShapSummary } from './figures/shapSummary.js';
export { waterfall, waterfallRows, explainedPathLength } from './figures/waterfall.js';
