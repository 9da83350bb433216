import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { renderHuntReport } from '../src/renderHuntReport.js';
import { explainedRows } from '../src/figures/shapSummary.js';
import { artifactsDir, fullPageScreenshot, launchChromium, watchPage, type PageProblems } from './browser.js';
import { demoReport, notebookResults } from './demoReport.js';

const XSS_USER = '<img src=x onerror=alert(1)>';
const XSS_RANK = 3;

describe('the report in Chromium, opened from file://', () => {
  const report = demoReport({ hostileUser: { rank: XSS_RANK, name: XSS_USER } });
  let browser: Browser;
  let page: Page;
  let problems: PageProblems;

  beforeAll(async () => {
    const file = path.join(artifactsDir(), 'report.html');
    writeFileSync(file, renderHuntReport(report));
    const url = pathToFileURL(file).href;
    browser = await launchChromium();
    page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
    problems = watchPage(page, (u) => u === url);
    // Wait for the page's own signal that the charts are drawn, not for a load event within a fixed time: on a busy
    // machine parsing the inlined plotly.js alone can take most of a minute.
    await page.goto(url, { waitUntil: 'commit' });
    await page.waitForFunction(() => document.body?.dataset.chartsDrawn ?? document.body?.dataset.chartsError, null, {
      timeout: 110_000,
    });
  });

  afterAll(async () => {
    if (page) await fullPageScreenshot(page, path.join(artifactsDir(), 'report.png'));
    await browser?.close();
  });

  it('draws every chart with no error, no dialog and no request', async () => {
    const drawn = await page.evaluate(() => document.body.dataset);
    expect(drawn.chartsError).toBeUndefined();
    const charts = await page.locator('div.chart').count();
    expect(Number(drawn.chartsDrawn)).toBe(charts);
    expect(problems).toEqual({ consoleErrors: [], pageErrors: [], dialogs: [], foreignRequests: [] });
  });

  it("gives every chart an SVG or a WebGL canvas, with its traces' points on it", async () => {
    const summary = await page.$$eval('div.chart', (divs) =>
      divs.map((d) => ({
        id: d.id,
        svg: d.querySelector('.main-svg') !== null,
        gl: Array.from(d.querySelectorAll('canvas')).some((c) => c.width > 0 && c.height > 0),
        bars: d.querySelectorAll('.barlayer .point path').length,
        markers: d.querySelectorAll('.scatterlayer .point').length,
        waterfall: d.querySelectorAll('.waterfalllayer .point path').length,
        heatmap: d.querySelectorAll('.hm image').length,
        traces: ((d as unknown as { _fullData?: unknown[] })._fullData ?? []).length,
      })),
    );
    const byId = Object.fromEntries(summary.map((s) => [s.id, s]));
    for (const s of summary) expect(s.svg || s.gl, s.id).toBe(true);
    const d = report.featureNames.length;
    // Histogram: both classes drawn; every non-empty bin is a bar.
    expect(byId['chart-scores'].traces).toBe(2);
    expect(byId['chart-scores'].bars).toBeGreaterThan(2);
    // 3D scatter: WebGL canvas with inliers and outliers.
    expect(byId['chart-pca'].gl).toBe(true);
    expect(byId['chart-pca'].traces).toBe(2);
    expect(byId['chart-correlation'].heatmap).toBe(1);
    // Beeswarm: one marker per explained row per feature.
    expect(byId['chart-shap-beeswarm'].markers).toBe(explainedRows(report.rows).length * d);
    expect(byId['chart-shap-importance'].bars).toBe(d);
    const outliers = notebookResults().outliers.length;
    for (let i = 0; i < outliers; i++) expect(byId[`chart-waterfall-${i}`].waterfall).toBe(d + 2);
  });

  it("lists the notebook's outliers first in the table", async () => {
    const rows = await page.$$eval('#outlier-table tbody tr', (trs) =>
      trs.map((tr) => ({
        outlier: tr.classList.contains('outlier'),
        cells: Array.from((tr as HTMLTableRowElement).cells, (c) => c.innerText),
      })),
    );
    const nb = notebookResults();
    const flagged = rows.filter((r) => r.outlier);
    expect(flagged.map((r) => r.cells[3])).toEqual(nb.outliers.map((o) => o.DstUser));
    expect(flagged.map((r) => r.cells[1])).toEqual(['2022-09-25', '2022-09-16']);
    expect(flagged.map((r) => Number(r.cells[4]))).toEqual(nb.outliers.map((o) => Number(o.score.toFixed(4))));
    expect(rows.slice(0, flagged.length).every((r) => r.outlier)).toBe(true);
  });

  it('shows the hostile user name as visible text and creates no element from it', async () => {
    const cell = page
      .locator('#outlier-table tbody tr')
      .nth(XSS_RANK - 1)
      .locator('td.user');
    await expect.poll(() => cell.innerText()).toBe(XSS_USER);
    expect(await cell.isVisible()).toBe(true);
    expect(await page.locator('#outlier-table img').count()).toBe(0);
    expect(problems.dialogs).toEqual([]);
  });
});
