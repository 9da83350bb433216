import { execFile } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { promisify } from 'node:util';
import type { Browser, Page } from 'playwright-core';
import { build } from 'vite';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { averagePathLength, loadIsoforest } from '@isoforest/core';
import {
  buildFeatureTable,
  MODEL_FEATURES,
  modelFeatureColumns,
  notebookTreeCount,
  rowsWithSuccessfulLogons,
} from '@isoforest/features';
import {
  formatIsoDate,
  readAll,
  readInputFiles,
  readRawEventFiles,
  readUserDayCsv,
  readUserDayParquet,
  writeParquet,
  type InputReport,
} from '@isoforest/ingest';
import { DEFAULT_CONTRIBUTIONS, huntUserDays, NOTEBOOK_PARAMETERS } from '@isoforest/hunt';
import {
  artifactsDir,
  fullPageScreenshot,
  launchChromium,
  watchPage,
  type PageProblems,
} from '../../report/test/browser.js';
import { eventViewerXml, evtxRecords, jsonLines, winlogbeatDoc } from '../../ingest/test/exportSamples.js';
import { serveDirectory, type StaticServer } from './staticServer.js';

const PACKAGE_DIR = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const REPO_ROOT = path.resolve(PACKAGE_DIR, '..', '..');
const DEMO_CSV = path.join(REPO_ROOT, 'fixtures', 'demo', 'iforest-demo-data.csv');
const NOTEBOOK_RESULTS = path.join(REPO_ROOT, 'fixtures', 'golden', 'notebook-demo', 'results.json');
const CLI = path.join(REPO_ROOT, 'packages', 'cli', 'bin', 'isoforest.js');
/** Third-party logs, read from the shared folder at test time and never copied into the repository. */
const RAW = path.join(REPO_ROOT, '..', 'shared', 'data', 'raw');
const EVTX = path.join(RAW, 'omerbenamram-evtx__Security_with_size_t.evtx');
const JSONL = path.join(RAW, 'derived', 'otrf__covenant_psremoting_grunt__host.security.jsonl');
const ZIP = path.join(RAW, 'otrf__covenant_psremoting_grunt__host.zip');
const REPORT_CHARTS = ['correlation', 'pca', 'scores', 'shap-beeswarm', 'shap-importance'];

const run = promisify(execFile);

interface ExpectedRow {
  date: string;
  user: string;
  score: number;
  anomaly: boolean;
  /** Features with negative SHAP values, most negative first, at most DEFAULT_CONTRIBUTIONS. */
  contributions: string[];
  shap: number[];
}

/**
 * The notebook's hunt of the demo CSV computed in Node step by step with the packages (ingest's streaming CSV
 * reader, the features, the core) rather than through @isoforest/hunt, which the page's worker uses.
 */
async function huntInNode(): Promise<ExpectedRow[]> {
  const table = await readAll(readUserDayCsv(DEMO_CSV));
  const featureTable = buildFeatureTable(table);
  const columns = modelFeatureColumns(featureTable);
  const input = Object.fromEntries(MODEL_FEATURES.map((name, j) => [name, columns[j]]));
  const isoforest = await loadIsoforest();
  const model = isoforest.fit(input, {
    nEstimators: notebookTreeCount(table.numRows),
    maxSamples: NOTEBOOK_PARAMETERS.maxSamples,
    maxFeatures: NOTEBOOK_PARAMETERS.maxFeatures,
    contamination: NOTEBOOK_PARAMETERS.contamination,
    randomState: NOTEBOOK_PARAMETERS.seed,
    features: MODEL_FEATURES,
  });
  const { score, predict } = model.score(input);
  const shap = model.explain(input).values;
  const kept = Array.from(rowsWithSuccessfulLogons(featureTable)).sort((a, b) => score[b] - score[a] || a - b);
  return kept.map((r) => {
    const top = MODEL_FEATURES.map((feature, j) => ({ feature, shap: shap[j][r] }))
      .filter((c) => c.shap < 0)
      .sort((a, b) => a.shap - b.shap)
      .slice(0, DEFAULT_CONTRIBUTIONS);
    return {
      date: formatIsoDate(Number(table.getChild('Date')!.get(r))),
      user: String(table.getChild('DstUser')!.get(r)),
      score: score[r],
      anomaly: predict[r] === -1,
      contributions: top.map((c) => c.feature),
      shap: top.map((c) => c.shap),
    };
  });
}

/** `isoforest hunt` on `source` with `args`: its `--json` document and the folder it wrote its files to. */
async function cliHunt(source: string, ...args: string[]) {
  const dir = mkdtempSync(path.join(tmpdir(), 'isoforest-web-'));
  const { stdout } = await run(
    process.execPath,
    [CLI, 'hunt', '--source', source, '--json', '--output-dir', dir, ...args],
    {
      maxBuffer: 64 << 20,
    },
  );
  const json = JSON.parse(stdout) as { outliers: { Date: string; DstDomain: string; DstUser: string }[] };
  return { dir, flagged: json.outliers.map((o) => JSON.stringify([o.Date, o.DstDomain, o.DstUser])).sort() };
}

interface ShownRow {
  key: string;
  outlier: boolean;
  cells: string[];
  /** The score cell's title: the score with every digit. */
  fullScore: string;
  contributions: string[];
  /** Each listed contribution's SHAP value with every digit (from its title). */
  shap: number[];
}

function shownRows(page: Page): Promise<ShownRow[]> {
  return page.$$eval('#ranked tbody tr', (trs) =>
    trs.map((tr) => {
      const items = Array.from(tr.querySelectorAll<HTMLElement>('ul.contribs li[data-feature]'));
      const cells = Array.from((tr as HTMLTableRowElement).cells);
      return {
        key: (tr as HTMLElement).dataset.key ?? '',
        outlier: tr.classList.contains('outlier'),
        cells: cells.map((c) => c.innerText.trim()),
        fullScore: cells[4]?.title ?? '',
        contributions: items.map((li) => li.dataset.feature ?? ''),
        shap: items.map((li) => Number(/SHAP (\S+) /.exec(li.title)?.[1])),
      };
    }),
  );
}

/** Date, domain and user of a row key (the page's keys add the day's counts). */
const who = (key: string) => JSON.stringify((JSON.parse(key) as string[]).slice(0, 3));
const flaggedShown = async (page: Page) =>
  (await shownRows(page))
    .filter((r) => r.outlier)
    .map((r) => who(r.key))
    .sort();

/**
 * Cell by cell, two CSV texts without quoted fields: the same text, or numbers equal to about 1e-13 (Node 20's
 * Math.pow/Math.log round differently from Chromium's in the last bit now and then).
 */
function expectSameCsv(actual: string, expected: string): void {
  const a = actual.split('\n').map((line) => line.split(','));
  const e = expected.split('\n').map((line) => line.split(','));
  expect(a.map((r) => r.length)).toEqual(e.map((r) => r.length));
  a.forEach((row, i) =>
    row.forEach((cell, j) => {
      if (cell === e[i][j]) return;
      expect(Number(cell), `line ${i + 1}, column ${e[0][j]}`).toBeCloseTo(Number(e[i][j]), 13);
    }),
  );
}

describe('the hunting workbench, built by Vite into one file, opened from file:// and from a static host', () => {
  let server: StaticServer;
  let browser: Browser;
  let pageUrl: string;

  beforeAll(async () => {
    await build({ root: PACKAGE_DIR, logLevel: 'error', configFile: path.join(PACKAGE_DIR, 'vite.config.ts') });
    const dist = path.join(PACKAGE_DIR, 'dist');
    // The page is one file: nothing else to load, from disk or from a host.
    expect(readdirSync(dist)).toEqual(['index.html']);
    pageUrl = pathToFileURL(path.join(dist, 'index.html')).href;
    server = await serveDirectory(dist);
    browser = await launchChromium();
  });

  afterAll(async () => {
    await browser?.close();
    await server?.close();
  });

  const clean: PageProblems = { consoleErrors: [], pageErrors: [], dialogs: [], foreignRequests: [] };

  /**
   * Opens the built page from disk (`file://`), or from the static server with `from: 'host'`. The only requests
   * allowed are the page itself and the blob URLs of the workers it starts from its own code.
   */
  async function openPage(
    options: { width?: number; from?: 'file' | 'host'; search?: string; fragment?: string } = {},
  ): Promise<{ page: Page; problems: PageProblems }> {
    const { width = 1280, from = 'file', search = '', fragment = '' } = options;
    const base = from === 'file' ? pageUrl : `${server.origin}/`;
    const blobs = `blob:${from === 'file' ? 'null' : server.origin}/`;
    const page = await browser.newPage({ viewport: { width, height: 900 }, acceptDownloads: true });
    const problems = watchPage(page, (url) => url.split(/[?#]/)[0] === base || url.startsWith(blobs));
    await page.goto(`${base}${search}${fragment}`, { timeout: 90_000 });
    await page.waitForFunction(() => document.body.dataset.ready === 'true', null, { timeout: 90_000 });
    return { page, problems };
  }

  /** Waits for hunt number `run` to finish (or the page to fail); an uncaught page error ends the wait at once. */
  const huntDone = (page: Page, run: number) =>
    Promise.race([
      page.waitForFunction(
        (n) => document.body.dataset.state === 'error' || Number(document.body.dataset.run) >= n,
        run,
        { timeout: 120_000 },
      ),
      page.waitForEvent('pageerror', { timeout: 120_000 }).then((e) => {
        throw e;
      }),
    ]);

  async function drop(page: Page, paths: string[], run = 1): Promise<void> {
    await page.setInputFiles('#file-input', paths);
    await huntDone(page, run);
    const state = await page.evaluate(() => document.body.dataset.state);
    expect(state, await page.locator('#status').innerText()).toBe('done');
  }

  const chartsDrawn = (page: Page) =>
    page.evaluate(() => (document.body.dataset.charts ?? '').split(' ').filter(Boolean));

  /** Traces plotly drew into a chart element, with their point counts. */
  const tracePoints = (page: Page, id: string) =>
    page.evaluate((chart) => {
      const div = document.getElementById(chart) as HTMLElement & { data?: { x?: unknown[] }[] };
      return (div.data ?? []).map((t) => (t.x ?? []).length);
    }, id);

  async function download(page: Page, button: string): Promise<Buffer> {
    const [file] = await Promise.all([page.waitForEvent('download'), page.click(button)]);
    return readFileSync((await file.path())!);
  }

  it("hunts the dropped demo CSV from file://: the notebook's outliers on top, Node's ranking, every chart drawn, nothing sent", async () => {
    const { page, problems } = await openPage();
    await drop(page, [DEMO_CSV]);
    const rows = await shownRows(page);
    const expected = await huntInNode();
    const notebook = JSON.parse(readFileSync(NOTEBOOK_RESULTS, 'utf8')) as { outliers: { DstUser: string }[] };
    const flagged = rows.filter((r) => r.outlier);
    expect(flagged.map((r) => r.cells[3])).toEqual(notebook.outliers.map((o) => o.DstUser));
    expect(flagged.map((r) => r.cells[1])).toEqual(['2022-09-25', '2022-09-16']);
    expect(rows).toHaveLength(Math.min(100, expected.length));
    rows.forEach((row, i) => {
      const e = expected[i];
      expect([row.cells[0], row.cells[1], row.cells[3], row.cells[4], row.outlier]).toEqual([
        String(i + 1),
        e.date,
        e.user,
        e.score.toFixed(4),
        e.anomaly,
      ]);
      // Every digit, up to the last bit or two (Node 20's Math.pow/log round differently from Chromium's now and then).
      expect(Number(row.fullScore.replace(/^score /, ''))).toBeCloseTo(e.score, 14);
      expect(row.contributions).toEqual(e.contributions);
      row.shap.forEach((v, k) => expect(v).toBeCloseTo(e.shap[k], 13));
    });
    // The report's charts, drawn by the report's figure code, with their points; the waterfall and the timeline
    // of the top row.
    expect(await chartsDrawn(page)).toEqual([...REPORT_CHARTS, 'timeline', 'waterfall'].sort());
    const pca = await tracePoints(page, 'chart-pca');
    expect(pca.reduce((s, n) => s + n, 0)).toBe(expected.length);
    expect(pca[1]).toBe(2);
    expect((await tracePoints(page, 'chart-shap-beeswarm'))[0]).toBe(expected.length * MODEL_FEATURES.length);
    expect(await page.locator('#summary-slot .card').count()).toBe(4);
    expect(problems).toEqual(clean);
    expect(await page.locator('#status').innerText()).toMatch(
      /^Done in \S+ s on \d+ threads?: 2 outliers among 135 user-days/,
    );

    await fullPageScreenshot(page, path.join(artifactsDir(), 'web-1280.png'));
    await page.close();
  });

  it('lays the page out in one column at 390 px, with no horizontal scrolling of the page', async () => {
    const { page, problems } = await openPage({ width: 390 });
    await drop(page, [DEMO_CSV]);
    const overflow = await page.evaluate(
      () => document.documentElement.scrollWidth - document.documentElement.clientWidth,
    );
    expect(overflow).toBe(0);
    expect(await chartsDrawn(page)).toEqual([...REPORT_CHARTS, 'timeline', 'waterfall'].sort());
    expect(problems).toEqual(clean);
    await fullPageScreenshot(page, path.join(artifactsDir(), 'web-390.png'));
    await page.close();
  });

  it('hunts a raw .evtx log and a JSON lines export dropped together, and with the demo CSV, as Node does', async () => {
    const { page, problems } = await openPage();
    // The two logs alone: five user-days, of which one passes the SuccessfulLogons > 0 filter.
    await drop(page, [EVTX, JSONL]);
    const raw = await readAll(readRawEventFiles([EVTX, JSONL]));
    const isoforest = await loadIsoforest();
    const alone = await huntUserDays(isoforest, raw);
    const summary = await page.locator('#summary-slot .card .value').allInnerTexts();
    expect(summary.map((v) => Number(v.replace(/,/g, '')))).toEqual([
      raw.numRows,
      raw.numRows,
      alone.counts.rowsFiltered,
      alone.counts.outliers,
    ]);
    expect((await shownRows(page)).map((r) => r.cells[3])).toEqual(
      Array.from(alone.ranking, (r) => String(raw.getChild('DstUser')!.get(r))),
    );
    expect(await chartsDrawn(page)).toContain('scores');

    // With the demo CSV as well: every chart, and the ranking of the same hunt in Node over the same bytes.
    await drop(page, [DEMO_CSV, EVTX, JSONL], 2);
    const source = [DEMO_CSV, EVTX, JSONL].map((f) => ({
      name: path.basename(f),
      bytes: new Uint8Array(readFileSync(f)),
    }));
    const all = await huntUserDays(isoforest, await readAll(readInputFiles(source)));
    const shown = await shownRows(page);
    expect(shown.map((r) => Number(r.fullScore.replace(/^score /, '')))).toEqual(
      Array.from(all.ranking.subarray(0, shown.length), (r) => expect.closeTo(all.scores.score[r], 13)),
    );
    expect(await chartsDrawn(page)).toEqual([...REPORT_CHARTS, 'timeline', 'waterfall'].sort());
    expect(problems).toEqual(clean);
    await page.close();
  });

  it("re-hunts when contamination moves (on a static host): the flagged set is the CLI's with the same parameters, and the changes are listed", async () => {
    const { page, problems } = await openPage({ from: 'host' });
    await drop(page, [DEMO_CSV]);
    const notebook = await cliHunt(`csv:${DEMO_CSV}`);
    expect(await flaggedShown(page)).toEqual(notebook.flagged);
    await page.locator('#contamination').fill('0.05');
    await huntDone(page, 2);
    const wider = await cliHunt(`csv:${DEMO_CSV}`, '--contamination', '0.05');
    expect(wider.flagged.length).toBeGreaterThan(notebook.flagged.length);
    expect(await flaggedShown(page)).toEqual(wider.flagged);
    const entered = (
      await page.$$eval('#entered .change-item', (items) => items.map((i) => (i as HTMLElement).dataset.key ?? ''))
    )
      .map(who)
      .sort();
    expect(entered).toEqual(wider.flagged.filter((k) => !notebook.flagged.includes(k)));
    expect(await page.locator('#left .change-item').count()).toBe(0);

    // The page's scores.csv and outliers.csv are the CLI's files: the same lines and cells, every digit up to the last bit.
    expectSameCsv(
      (await download(page, '#export-scores')).toString(),
      readFileSync(path.join(wider.dir, 'scores.csv'), 'utf8'),
    );
    expectSameCsv(
      (await download(page, '#export-outliers')).toString(),
      readFileSync(path.join(wider.dir, 'outliers.csv'), 'utf8'),
    );
    // The link restores the parameters in a fresh page.
    await page.click('#export-link');
    const fragment = new URL(page.url()).hash;
    expect(fragment).toBe('#contamination=0.05');
    const again = await openPage({ from: 'host', fragment });
    await drop(again.page, [DEMO_CSV]);
    expect(await flaggedShown(again.page)).toEqual(wider.flagged);
    expect(problems).toEqual(clean);
    expect(again.problems).toEqual(clean);
    // The host was asked for the page and nothing else.
    expect(new Set(server.requested)).toEqual(new Set(['/']));
    await again.page.close();
    await page.close();
  });

  it('draws the waterfall of a clicked row (keyboard too), summing to its mean path length; the exported model scores like the page', async () => {
    const { page, problems } = await openPage();
    await drop(page, [DEMO_CSV]);
    const model = (await loadIsoforest()).load(await download(page, '#export-model'));
    const featureTable = buildFeatureTable(await readAll(readUserDayCsv(DEMO_CSV)));
    const input = Object.fromEntries(MODEL_FEATURES.map((name, j) => [name, modelFeatureColumns(featureTable)[j]]));
    const scored = model.score(input);
    // The downloaded model, loaded by the core in Node, ranks the rows as the page does, with the page's scores.
    const ranking = Array.from(rowsWithSuccessfulLogons(featureTable)).sort(
      (a, b) => scored.score[b] - scored.score[a] || a - b,
    );
    const shown = await shownRows(page);
    shown.forEach((row, i) => {
      expect(Number(row.fullScore.replace(/^score /, ''))).toBeCloseTo(scored.score[ranking[i]], 13);
      expect(row.outlier).toBe(scored.predict[ranking[i]] === -1);
    });

    // Click an inlier, then choose another row with the keyboard: each gets its waterfall.
    for (const [rank, how] of [
      [7, 'click'],
      [12, 'keyboard'],
    ] as const) {
      const tr = page.locator(`#ranked tbody tr[data-rank="${rank}"]`);
      if (how === 'click') await tr.click();
      else {
        await tr.focus();
        await page.keyboard.press('Enter');
      }
      const key = shown[rank - 1].key;
      await page.waitForFunction((k) => document.body.dataset.selected === k, key);
      const x = await page.evaluate(
        () => (document.getElementById('chart-waterfall') as HTMLElement & { data: { x: number[] }[] }).data[0].x,
      );
      const sum = x.slice(0, -1).reduce((s, v) => s + v, 0);
      // The mean path length from scikit-learn's score_samples of the exported model: s = -2^(-E[h] / c(psi)).
      const r = ranking[rank - 1];
      const meanPathLength = -Math.log2(-scored.scoreSamples[r]) * averagePathLength(model.maxSamples);
      expect(sum).toBeCloseTo(meanPathLength, 10);
    }
    expect(problems).toEqual(clean);
    await page.close();
  });

  it('exports the static report, which opens with its charts; shows hostile user names as text; names what it cannot read', async () => {
    const { page, problems } = await openPage();
    const hostile = '<img src=x onerror=alert(1)>';
    const text = readFileSync(DEMO_CSV, 'utf8').replaceAll('SVC-ACC-02', hostile);
    await page.evaluate((csv) => {
      const transfer = new DataTransfer();
      transfer.items.add(new File([csv], 'hostile.csv', { type: 'text/csv' }));
      document
        .getElementById('drop-zone')!
        .dispatchEvent(new DragEvent('drop', { dataTransfer: transfer, bubbles: true, cancelable: true }));
    }, text);
    await huntDone(page, 1);
    expect((await shownRows(page))[0].cells[3]).toBe(hostile);
    expect(await page.locator('#ranked img').count()).toBe(0);

    const html = (await download(page, '#export-report')).toString();
    const reportPage = await browser.newPage();
    const reportProblems = watchPage(reportPage, () => false);
    await reportPage.setContent(html, { timeout: 120_000 });
    await reportPage.waitForFunction(
      () => document.body.dataset.chartsDrawn !== undefined || document.body.dataset.chartsError !== undefined,
      null,
      {
        timeout: 120_000,
      },
    );
    expect(await reportPage.evaluate(() => document.body.dataset.chartsDrawn)).toBe(String(REPORT_CHARTS.length + 2));
    expect(reportProblems).toEqual(clean);
    await reportPage.close();

    await page.evaluate(() => {
      const transfer = new DataTransfer();
      transfer.items.add(new File(['PAR1....'], 'days.parquet'));
      document
        .getElementById('drop-zone')!
        .dispatchEvent(new DragEvent('drop', { dataTransfer: transfer, bubbles: true, cancelable: true }));
    });
    await page.waitForFunction(() => document.body.dataset.state === 'error');
    expect(await page.locator('#status').innerText()).toMatch(/^days\.parquet: not a readable Parquet file: [^\n]+$/);
    expect(problems).toEqual(clean);
    await page.close();
  });
  it('hunts a dropped .zip of event logs, a user-day Parquet file, Windows XML and Winlogbeat as the CLI reads them, saying what each input held', async () => {
    const { page, problems } = await openPage();
    // The OTRF zip: the CLI's event reader opens it and reads its JSON member (the content decides, not the name).
    await drop(page, [ZIP]);
    const cliInputs: InputReport[] = [];
    const events = await readAll(readRawEventFiles([ZIP], { onInput: (r) => cliInputs.push(r) }));
    const isoforest = await loadIsoforest();
    const fromZip = await huntUserDays(isoforest, events);
    expect((await shownRows(page)).map((r) => r.cells[3])).toEqual(
      Array.from(fromZip.ranking, (r) => String(events.getChild('DstUser')!.get(r))),
    );
    expect(cliInputs.length).toBeGreaterThan(0);
    expect(await page.locator('#inputs li').allInnerTexts()).toEqual(
      cliInputs.map((r) => `${path.basename(r.label)}: ${r.format}, ${r.records.toLocaleString('en-US')} records`),
    );

    // The demo user-days as Parquet, as `isoforest` writes them: the hunt of the demo CSV.
    const parquet = path.join(mkdtempSync(path.join(tmpdir(), 'isoforest-web-')), 'demo.parquet');
    await writeParquet(parquet, await readAll(readUserDayCsv(DEMO_CSV)));
    await drop(page, [parquet], 2);
    const days = await readAll(readUserDayParquet(parquet));
    const fromParquet = await huntUserDays(isoforest, days);
    const shown = await shownRows(page);
    expect(shown.map((r) => Number(r.fullScore.replace(/^score /, '')))).toEqual(
      Array.from(fromParquet.ranking.subarray(0, shown.length), (r) => expect.closeTo(fromParquet.scores.score[r], 13)),
    );
    expect(await chartsDrawn(page)).toEqual([...REPORT_CHARTS, 'timeline', 'waterfall'].sort());

    // Windows XML (Event Viewer's "Save as XML" of the .evtx sample) and Winlogbeat documents of the OTRF events,
    // made by ingest's export samples, dropped together: the CLI's event reader over the same files, hunted in Node.
    const dir = mkdtempSync(path.join(tmpdir(), 'isoforest-web-'));
    const xml = path.join(dir, 'security.xml');
    const beats = path.join(dir, 'winlogbeat.ndjson');
    writeFileSync(xml, eventViewerXml(await evtxRecords(EVTX)));
    writeFileSync(
      beats,
      jsonLines(JSONL)
        .map((r) => JSON.stringify(winlogbeatDoc(r)))
        .join('\n'),
    );
    await drop(page, [xml, beats], 3);
    const exported = await readAll(readRawEventFiles([xml, beats]));
    const fromExports = await huntUserDays(isoforest, exported);
    expect((await shownRows(page)).map((r) => r.cells[3])).toEqual(
      Array.from(fromExports.ranking, (r) => String(exported.getChild('DstUser')!.get(r))),
    );
    expect(await page.locator('#inputs li').allInnerTexts()).toEqual([
      expect.stringMatching(/^security\.xml: XML events, [1-9][\d,]* records$/),
      expect.stringMatching(/^winlogbeat\.ndjson: JSON objects, [1-9][\d,]* records$/),
    ]);
    expect(problems).toEqual(clean);
    await page.close();
  });

  it('cancels a fit superseded by a newer parameter (from file://, on two threads); the page ends on the last parameters', async () => {
    const { page, problems } = await openPage({ search: '?threads=2' });
    await drop(page, [DEMO_CSV]);
    // Once run 2 (5,000 trees) reports that it is fitting, contamination moves: run 2 must be cancelled, not shown.
    const movedWhileFitting = page.evaluate(
      () =>
        new Promise<string>((resolve) => {
          const observer = new MutationObserver(() => {
            if (document.body.dataset.fitting !== '2') return;
            observer.disconnect();
            const slider = document.getElementById('contamination') as HTMLInputElement;
            slider.value = '0.1';
            slider.dispatchEvent(new Event('input', { bubbles: true }));
            resolve(document.body.dataset.state ?? '');
          });
          observer.observe(document.body, { attributeFilter: ['data-fitting'] });
        }),
    );
    await page.locator('input[name=trees]').fill('5000');
    await page.locator('input[name=trees]').dispatchEvent('change');
    expect(await movedWhileFitting).toBe('working');
    await huntDone(page, 3);
    const body = await page.evaluate(() => ({ ...document.body.dataset }));
    expect([body.run, body.cancelled, body.state]).toEqual(['3', '2', 'done']);
    // The final state is the last parameters': the CLI's flagged set with both, hunted on two threads.
    const cli = await cliHunt(`csv:${DEMO_CSV}`, '--trees', '5000', '--contamination', '0.1');
    expect(await flaggedShown(page)).toEqual(cli.flagged);
    expect(await page.locator('#status').innerText()).toMatch(/ on 2 threads: /);
    await page.click('#export-link');
    expect(new URL(page.url()).hash).toBe('#contamination=0.1&trees=5000');
    expect(problems).toEqual(clean);
    await page.close();
  });

  it('works from the keyboard: every control is reached by Tab in order, rows move with the arrows, Enter draws the waterfall', async () => {
    const { page, problems } = await openPage();
    await drop(page, [DEMO_CSV]);
    // Every enabled, visible control, and the ranked table's one row stop, in document order.
    const controls = await page.evaluate(() =>
      Array.from(document.querySelectorAll<HTMLElement>('input, select, button, [tabindex="0"]'))
        .filter((e) => e.tabIndex >= 0 && !(e as HTMLInputElement).disabled && e.getClientRects().length > 0)
        .map((e, k) => {
          const box = e as HTMLInputElement;
          const name = box.type === 'checkbox' ? `${box.name}=${box.value}` : e.id || box.name || e.tagName;
          e.dataset.tabName = `${name} (${k})`;
          return e.dataset.tabName;
        }),
    );
    expect(controls).toContainEqual(expect.stringMatching(/^TR /));
    // From the first control (the file picker), Tab visits every other once, in document order.
    await page.locator('#file-input').focus();
    const visited: string[] = [controls[0]!];
    for (let step = 0; step < 400 && visited.length < controls.length; step++) {
      await page.keyboard.press('Tab');
      const name = await page.evaluate(() => (document.activeElement as HTMLElement | null)?.dataset.tabName ?? '?');
      // A date input's day, month and year are stops of one control.
      if (name !== '' && name !== visited.at(-1)) visited.push(name);
    }
    expect(visited).toEqual(controls);

    // The rows: Tab lands on the top row; arrows, End and Home move; P pins; Enter chooses and draws its waterfall.
    const focusedRank = () => page.evaluate(() => (document.activeElement as HTMLElement).dataset.rank);
    await page.locator('#ranked tbody tr[data-rank="1"]').focus();
    await page.keyboard.press('ArrowDown');
    await page.keyboard.press('ArrowDown');
    expect(await focusedRank()).toBe('3');
    await page.keyboard.press('End');
    const last = await focusedRank();
    expect(Number(last)).toBe((await shownRows(page)).length);
    await page.keyboard.press('Home');
    await page.keyboard.press('ArrowDown');
    expect(await focusedRank()).toBe('2');
    await page.keyboard.press('p');
    expect(await focusedRank()).toBe('2');
    expect(await page.locator('#pinned').isVisible()).toBe(true);
    const key = await page.evaluate(() => (document.activeElement as HTMLElement).dataset.key);
    await page.keyboard.press('Enter');
    await page.waitForFunction((k) => document.body.dataset.selected === k, key);
    expect(await page.locator('#chart-waterfall-title').innerText()).toContain(JSON.parse(key!)[2] as string);

    // The contamination slider moves with the arrow keys, and the page re-hunts.
    await page.locator('#contamination').focus();
    await page.keyboard.press('ArrowRight');
    await huntDone(page, 2);
    expect(await page.locator('#contamination-shown').innerText()).toBe('0.011');
    expect(problems).toEqual(clean);
    await page.close();
  });
});
