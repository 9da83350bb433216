export type { HuntReport, UserDayResult } from "./huntReport.js";
export { renderHuntReport, SECTION_IDS } from "./render.js";
export { topContributions, type Contribution } from "./contributions.js";
export { escapeHtml, jsonForScriptBlock, escapePlotlyText } from "./escape.js";
export { pearson, correlationMatrix, topCorrelations, standardize, type CorrelationPair } from "./stats.js";
export { pcaProjection, type PcaProjection } from "./pca.js";
