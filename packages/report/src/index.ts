export type { Contribution, HuntReport, UserDayResult } from './huntReport.js';
export { renderHuntReport, renderHuntReportFile } from './renderHuntReport.js';
export { renderHuntReportHtml, SECTION_IDS } from './render.js';
export type { InlineScript } from './page.js';
export { escapeHtml, jsonForScriptBlock, escapePlotlyText } from './escape.js';
export type { UserDayDrillDown, DrillDownCount } from './drillDown.js';
