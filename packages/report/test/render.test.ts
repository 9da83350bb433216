import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { renderHuntReportHtml, SECTION_IDS } from '../src/render.js';
import { plotlyBundle } from '../src/plotlyBundle.js';
import { renderHuntReport, renderHuntReportFile } from '../src/renderHuntReport.js';
import { waterfall, waterfallRows } from '../src/figures/waterfall.js';
import { binScores } from '../src/figures/scoreHistogram.js';
import { sampleRows } from '../src/figures/pcaScatter.js';
import { fmt } from '../src/figures/figure.js';
import { demoReport, notebookResults } from './demoReport.js';

const XSS_USER = '<img src=x onerror=alert(1)>';
const BREAKOUT_USER = '</script><script>alert(2)</script><!--';

/** The JSON data block's text, as the HTML parser would end it: at the first `</script`. */
function dataBlock(html: string): string {
  const open = '<script type="application/json" id="report-data">';
  const start = html.indexOf(open);
  expect(start).toBeGreaterThan(0);
  const from = start + open.length;
  return html.slice(from, html.indexOf('</script', from));
}

/** c(n): the average path length of an unsuccessful BST search, as fixtures/golden/README.md defines it. */
function c(n: number): number {
  if (n <= 1) return 0;
  if (n === 2) return 1;
  return 2 * (Math.log(n - 1) + 0.5772156649015329) - (2 * (n - 1)) / n;
}

describe('renderHuntReport', () => {
  const report = demoReport({ hostileUser: { rank: 3, name: XSS_USER } });
  const html = renderHuntReport(report);

  it('has every section, each once, and a chart element for every chart in the data block', () => {
    for (const id of SECTION_IDS) expect(html.split(`<section id="${id}">`)).toHaveLength(2);
    const charts = (JSON.parse(dataBlock(html)) as { charts: { id: string }[] }).charts;
    const ids = charts.map((ch) => ch.id);
    expect(ids).toEqual(
      expect.arrayContaining([
        'chart-scores',
        'chart-pca',
        'chart-correlation',
        'chart-shap-beeswarm',
        'chart-shap-importance',
      ]),
    );
    // One waterfall per flagged outlier of the notebook.
    expect(ids.filter((id) => id.startsWith('chart-waterfall-'))).toHaveLength(notebookResults().outliers.length);
    for (const id of ids) expect(html).toContain(`id="${id}"`);
  });

  it('inlines plotly.js and fetches nothing', () => {
    expect(html).toMatch(/plotly\.js v3\.7\.0/);
    expect(html).not.toMatch(/<script[^>]+src=/i);
    expect(html).not.toMatch(/<link[^>]+href=/i);
    expect(html).toContain("default-src 'none'");
  });

  it('shows a hostile user name as escaped text and never as a tag', () => {
    expect(html).toContain('&lt;img src=x onerror=alert(1)&gt;');
    expect(html).not.toContain(XSS_USER);
  });

  it('keeps a user named </script>... inside the data: the page still has exactly three script elements', () => {
    const hostile = renderHuntReport(demoReport({ hostileUser: { rank: 1, name: BREAKOUT_USER } }));
    expect(hostile.match(/<\/script/gi)).toHaveLength(3);
    expect(hostile.match(/<script[\s>]/gi)).toHaveLength(3);
    const charts = JSON.parse(dataBlock(hostile)) as {
      charts: { id: string; figure: { data: { text?: string[] }[] } }[];
    };
    const beeswarm = charts.charts.find((ch) => ch.id === 'chart-shap-beeswarm');
    // Hover text carries the name escaped once for plotly (which decodes &lt; back to <) ...
    expect(beeswarm?.figure.data[0].text?.join('\n')).toContain(
      '&lt;/script&gt;&lt;script&gt;alert(2)&lt;/script&gt;&lt;!--',
    );
    // ... and the waterfall's caption escaped for HTML.
    expect(hostile).toContain(
      '<figcaption>&lt;/script&gt;&lt;script&gt;alert(2)&lt;/script&gt;&lt;!-- @ CONTOSO, 2022-09-25',
    );
  });

  it("lists the notebook's outliers first, flagged, in its order", () => {
    const nb = notebookResults();
    const rows = [...html.matchAll(/<tr class="(outlier|inlier)">.*?<td class="user">(.*?)<\/td>/g)];
    expect(rows.filter((r) => r[1] === 'outlier').map((r) => r[2])).toEqual(nb.outliers.map((o) => o.DstUser));
    expect(rows.slice(0, nb.outliers.length).every((r) => r[1] === 'outlier')).toBe(true);
    expect(rows.length).toBeGreaterThanOrEqual(20);
  });

  it('explains the sign of the SHAP values in words', () => {
    expect(html).toMatch(/path-length units/);
    expect(html).toMatch(/shorter path[\s\S]{0,40}more anomalous/);
  });
});

describe('waterfall', () => {
  const report = demoReport();

  it("adds up to the mean path length scikit-learn's score_samples implies (shap's local accuracy)", () => {
    const maxSamples = notebookResults().max_samples;
    for (const row of waterfallRows(report)) {
      const fig = waterfall(report, row);
      const trace = fig.data[0] as { x: number[]; measure: string[] };
      expect(trace.measure[0]).toBe('absolute');
      expect(trace.x[0]).toBe(report.expectedValue);
      expect(trace.measure.at(-1)).toBe('total');
      const total = trace.x.slice(0, -1).reduce((s, v) => s + v, 0);
      // score_samples = -2^(-E[h(x)] / c(max_samples)).
      expect(-(2 ** (-total / c(maxSamples)))).toBeCloseTo(row.scoreSamples, 10);
    }
  });

  it('draws the flagged outliers, or the top three explained rows when nothing is flagged', () => {
    expect(waterfallRows(report).map((r) => r.user)).toEqual(notebookResults().outliers.map((o) => o.DstUser));
    const none = { ...report, rows: report.rows.map((r) => ({ ...r, anomaly: false })) };
    expect(waterfallRows(none).map((r) => r.score)).toEqual(report.rows.slice(0, 3).map((r) => r.score));
  });
});

describe('table helpers', () => {
  it("lists each row's contributions as given, in order, with the feature's value; says when a row was not explained", () => {
    const report = demoReport();
    const [top, second] = report.rows;
    const unexplained = { ...second, shap: undefined, contributions: undefined };
    const html = renderHuntReport({ ...report, rows: [top, unexplained, ...report.rows.slice(2)] });
    const lists = [...html.matchAll(/<ul class="contribs">(.*?)<\/ul>/g)].map((m) => m[1]);
    const expected = top.contributions!.map((c) => {
      const value = top.features[report.featureNames.indexOf(c.feature)];
      return `<li>${c.feature} = ${fmt(value)} <span class="neg">${fmt(c.shap)}</span></li>`;
    });
    expect(top.contributions!.length).toBeGreaterThan(0);
    expect(lists[0]).toBe(expected.join(''));
    expect(lists[1]).toBe('<li>not explained</li>');
  });

  it('binScores puts every row in a bin, split by flag, with 0 on a bin edge', () => {
    const report = demoReport();
    const bins = binScores(report.rows, 50);
    const sum = (a: readonly number[]) => a.reduce((s, v) => s + v, 0);
    expect(sum(bins.inliers)).toBe(report.rows.filter((r) => !r.anomaly).length);
    expect(sum(bins.outliers)).toBe(report.rows.filter((r) => r.anomaly).length);
    const k = -bins.start / bins.width;
    expect(Math.abs(k - Math.round(k))).toBeLessThan(1e-9);
  });

  it('sampleRows keeps every outlier and an even share of inliers', () => {
    const flags = Array.from({ length: 100 }, (_, i) => i % 25 === 0);
    const s = sampleRows(flags, 10);
    expect(s).toHaveLength(10);
    expect(s.slice(0, 4)).toEqual([0, 25, 50, 75]);
    expect(new Set(s).size).toBe(10);
    expect(sampleRows(flags, 1000)).toHaveLength(100);
  });
});

describe('the drill-down section', () => {
  const base = demoReport({ hostileUser: { rank: 1, name: XSS_USER } });
  const flagged = base.rows.find((r) => r.anomaly)!;
  const hours = Array.from({ length: 24 }, (_, hour) => ({
    hour,
    successes: hour === 9 ? 5 : 0,
    failures: hour === 3 ? 1200 : 0,
  }));
  const drillDown = {
    key: { domain: flagged.domain, user: flagged.user, dayMs: Date.parse(`${flagged.date}T00:00:00Z`) },
    successes: 5,
    failures: 1200,
    firstSeenMs: Date.parse(`${flagged.date}T03:00:01Z`),
    lastSeenMs: Date.parse(`${flagged.date}T09:30:00Z`),
    bySourceIp: [{ value: BREAKOUT_USER, successes: 0, failures: 1200 }],
    byWorkstation: [],
    byComputer: [],
    byAuthenticationPackage: [],
    failureReasons: [{ code: '0xC000006A', reason: 'wrong password', count: 1200 }],
    hours,
  };
  const html = renderHuntReport({ ...base, drillDowns: [drillDown] });

  it("links the user-day's row to its section, and shows the counts, reasons and busiest hour", () => {
    const id = /<article class="drilldown" id="(drilldown-[0-9a-f]{8})">/.exec(html)![1];
    expect(html).toContain(`<a href="#${id}">`);
    expect(html).toContain('5 successful and 1,200 failed network logons; first at 03:00:01, last at 09:30:00 UTC.');
    expect(html).toContain('<b>1,200</b> wrong password');
    expect(html).toContain('<title>03:00 UTC: 0 successful, 1,200 failed</title>');
  });

  it('escapes what the data holds and adds no inline style', () => {
    expect(html).not.toContain(BREAKOUT_USER);
    expect(html).not.toContain(XSS_USER);
    const start = html.indexOf('<section id="drilldowns">');
    const section = html.slice(start, html.indexOf('</section>', start));
    expect(section).not.toMatch(/ style=/);
  });

  it('is absent when the source held no raw events', () => {
    expect(renderHuntReport(base)).not.toContain('id="drilldowns"');
  });
});

describe('content security policy', () => {
  it("lets only the report's own scripts run, by hash: no unsafe-inline or unsafe-eval for scripts", () => {
    const html = renderHuntReport(demoReport());
    const policy = /<meta http-equiv="Content-Security-Policy" content="([^"]*)">/.exec(html)?.[1] ?? '';
    const scriptSrc =
      policy
        .split(';')
        .map((d) => d.trim())
        .find((d) => d.startsWith('script-src')) ?? '';
    expect(scriptSrc).not.toMatch(/unsafe-inline|unsafe-eval/);
    const executed = [...html.matchAll(/<script>([\s\S]*?)<\/script>/g)].map((m) => m[1]);
    expect(executed).toHaveLength(2);
    const hashes = executed.map((source) => `'sha256-${createHash('sha256').update(source).digest('base64')}'`);
    expect(scriptSrc).toBe(`script-src ${hashes.join(' ')}`);
  });

  it("is the same page whether plotly's hash comes from the build (node:crypto) or from the portable SHA-256 (browsers)", () => {
    const report = demoReport();
    expect(renderHuntReportHtml(report, plotlyBundle().bytes.toString('utf8'))).toBe(renderHuntReport(report));
  });

  it('writes the same page as bytes, plotly spliced in as read, even when the data holds the placeholder', () => {
    const report = { ...demoReport(), title: 'hunt /* plotly.js */ of </script><script>alert(1)</script>' };
    expect(Buffer.concat(renderHuntReportFile(report)).toString('utf8')).toBe(renderHuntReport(report));
  });
});
