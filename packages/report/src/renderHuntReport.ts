import type { HuntReport } from './huntReport.js';
import { plotlyBundle } from './plotlyBundle.js';
import { renderHuntReportHtml } from './render.js';

/** Stands in for plotly's text in the rendered page; the last one is plotly's (the page's data all comes before). */
const PLOTLY_PLACE = '/* plotly.js */';

/**
 * The hunt as one self-contained HTML page, with the installed plotly.js inlined (see `renderHuntReportHtml`), as
 * the UTF-8 chunks of the file: plotly's bytes go in as read, never decoded and encoded again.
 */
export function renderHuntReportFile(report: HuntReport): Uint8Array[] {
  const plotly = plotlyBundle();
  const html = renderHuntReportHtml(report, { source: PLOTLY_PLACE, cspHash: plotly.cspHash });
  const at = html.lastIndexOf(PLOTLY_PLACE);
  return [Buffer.from(html.slice(0, at)), plotly.bytes, Buffer.from(html.slice(at + PLOTLY_PLACE.length))];
}

/** The hunt as one self-contained HTML page, with the installed plotly.js inlined (see `renderHuntReportHtml`). */
export function renderHuntReport(report: HuntReport): string {
  const plotly = plotlyBundle();
  return renderHuntReportHtml(report, { source: plotly.bytes.toString('utf8'), cspHash: plotly.cspHash });
}
