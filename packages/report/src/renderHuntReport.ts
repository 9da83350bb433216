import type { HuntReport } from './huntReport.js';
import { plotlyBundle } from './plotlyBundle.js';
import { renderHuntReportHtml } from './render.js';

/** The hunt as one self-contained HTML page, with the installed plotly.js inlined (see `renderHuntReportHtml`). */
export function renderHuntReport(report: HuntReport): string {
  return renderHuntReportHtml(report, plotlyBundle());
}
