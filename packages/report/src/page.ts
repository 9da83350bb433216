/** The report page's frame: document skeleton and its inline stylesheet (light theme, fluid width). */
import { cspScriptHash } from './sha256.js';

const STYLESHEET = `
:root { --fg: #1f2933; --muted: #616e7c; --line: #e4e7eb; --bg: #f5f7fa; --card: #ffffff; --accent: #2f6fb0;
  --outlier: #e45756; --outlier-bg: #fdecec; --normal: #4c78a8; }
* { box-sizing: border-box; }
html { -webkit-text-size-adjust: 100%; }
body { margin: 0; background: var(--bg); color: var(--fg);
  font: 14px/1.5 system-ui, -apple-system, "Segoe UI", Roboto, "Helvetica Neue", Arial, sans-serif; }
header { background: var(--card); border-bottom: 1px solid var(--line); }
header .wrap { padding-top: 20px; padding-bottom: 12px; }
h1 { font-size: 22px; margin: 0 0 4px; }
h2 { font-size: 17px; margin: 0 0 10px; }
h3 { font-size: 14px; margin: 16px 0 6px; }
.wrap { max-width: 1200px; margin: 0 auto; padding: 0 20px; }
.meta { color: var(--muted); margin: 0; }
nav { display: flex; flex-wrap: wrap; gap: 4px 16px; margin-top: 10px; }
nav a { color: var(--accent); text-decoration: none; font-size: 13px; }
nav a:hover { text-decoration: underline; }
main.wrap { padding-top: 16px; padding-bottom: 32px; }
section { background: var(--card); border: 1px solid var(--line); border-radius: 8px; padding: 16px 18px;
  margin: 0 0 16px; }
section > p, .note { color: var(--muted); margin: 0 0 10px; max-width: 80ch; }
.cards { display: grid; grid-template-columns: repeat(auto-fit, minmax(150px, 1fr)); gap: 10px; margin-bottom: 12px; }
.card { border: 1px solid var(--line); border-radius: 6px; padding: 10px 12px; }
.card .value { font-size: 22px; font-weight: 600; font-variant-numeric: tabular-nums; }
.card .label { color: var(--muted); font-size: 12px; }
.card.alert .value { color: var(--outlier); }
.grid2 { display: grid; grid-template-columns: repeat(auto-fit, minmax(min(100%, 460px), 1fr)); gap: 16px; }
.grid-wide { display: grid; grid-template-columns: minmax(0, 3fr) minmax(0, 2fr); gap: 16px; }
@media (max-width: 900px) { .grid-wide { grid-template-columns: minmax(0, 1fr); } }
.table-scroll { overflow-x: auto; }
table { border-collapse: collapse; width: 100%; font-variant-numeric: tabular-nums; }
th, td { text-align: left; padding: 6px 10px; border-bottom: 1px solid var(--line); vertical-align: top; }
th { font-size: 12px; color: var(--muted); font-weight: 600; white-space: nowrap; background: #fafbfc; }
td.num { text-align: right; white-space: nowrap; }
table.params { width: auto; }
table.params td:first-child { color: var(--muted); padding-right: 24px; }
tr.outlier td { background: var(--outlier-bg); }
.flag { display: inline-block; padding: 0 8px; border-radius: 10px; font-size: 12px; font-weight: 600; }
.flag.yes { background: var(--outlier); color: #fff; }
.flag.no { color: var(--muted); }
.user { font-weight: 600; overflow-wrap: anywhere; }
ul.contribs { list-style: none; margin: 0; padding: 0; }
ul.contribs li { white-space: nowrap; }
.neg { color: var(--outlier); font-weight: 600; }
.pos { color: var(--normal); font-weight: 600; }
.callout { border-left: 4px solid var(--accent); background: #f0f5fb; padding: 10px 14px; margin: 0 0 14px;
  border-radius: 0 6px 6px 0; max-width: none; color: var(--fg); }
.chart-box { margin: 0 0 8px; min-width: 0; }
.chart-box figcaption { font-size: 14px; font-weight: 600; margin: 8px 0 2px; overflow-wrap: anywhere; }
.chart { width: 100%; min-height: 200px; }
.drilldown { border-top: 1px solid var(--line); padding-top: 8px; margin-top: 12px; }
.timeline { width: 100%; max-width: 720px; height: 70px; display: block; }
.timeline .ok { fill: var(--normal); }
.timeline .fail { fill: var(--outlier); }
table.drill td:first-child { overflow-wrap: anywhere; }
ol.corr { margin: 6px 0 0; padding-left: 22px; columns: 2 320px; }
ol.corr li { break-inside: avoid; }
footer { color: var(--muted); font-size: 12px; text-align: center; padding: 8px 0 24px; }
@media (max-width: 600px) { .wrap { padding: 0 10px; } section { padding: 12px; } }
`;

/** A script to inline, with its CSP hash when the caller has it already (else it is computed here). */
export interface InlineScript {
  source: string;
  cspHash?: string;
}

/**
 * A complete HTML document; `title` and `body` must already be escaped markup, `dataBlocks` whole
 * `<script type="application/json">` elements, `scripts` each script to run. Only those scripts may run: the policy
 * lists their SHA-256 hashes, so no other inline script, event-handler attribute or `eval` does.
 */
export function htmlDocument(
  title: string,
  body: string,
  dataBlocks: readonly string[],
  scripts: readonly InlineScript[],
): string {
  const hashes = scripts.map((script) => script.cspHash ?? cspScriptHash(script.source)).join(' ');
  return [
    '<!DOCTYPE html>',
    '<html lang="en">',
    '<head>',
    '<meta charset="utf-8">',
    '<meta name="viewport" content="width=device-width, initial-scale=1">',
    // Nothing in the report is fetched: no network access at all, and only the report's own inline scripts run.
    // plotly.js sets style attributes and inserts style elements as it draws, hence inline styles.
    `<meta http-equiv="Content-Security-Policy" content="default-src 'none'; script-src ${hashes}; style-src 'unsafe-inline'; img-src data: blob:; font-src data:; worker-src blob:">`,
    `<title>${title}</title>`,
    `<style>${STYLESHEET}</style>`,
    '</head>',
    '<body>',
    body,
    ...dataBlocks,
    ...scripts.map((script) => `<script>${script.source}</script>`),
    '</body>',
    '</html>',
  ].join('\n');
}
