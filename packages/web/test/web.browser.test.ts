import { readdirSync, readFileSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import type { Browser, Page, Worker } from "playwright-core";
import { build } from "vite";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { loadIsoforest } from "@isoforest/core";
import { buildFeatureTable, MODEL_FEATURES, modelFeatureColumns, notebookTreeCount, rowsWithSuccessfulLogons } from "@isoforest/features";
import { formatIsoDate, readAll, readUserDayCsv } from "@isoforest/ingest";
import { DEFAULT_CONTRIBUTIONS, NOTEBOOK_PARAMETERS } from "@isoforest/hunt";
import { artifactsDir, fullPageScreenshot, launchChromium, watchPage, type PageProblems } from "../../report/test/browser.js";
import { TABLE_ROWS } from "../src/resultsView.js";
import { DEFAULT_MAX_THREADS, ThreadsParameterError } from "../src/threadCount.js";
import { serveDirectory, type StaticServer } from "./staticServer.js";

const PACKAGE_DIR = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");
const REPO_ROOT = path.resolve(PACKAGE_DIR, "..", "..");
const DEMO_CSV = path.join(REPO_ROOT, "fixtures", "demo", "iforest-demo-data.csv");
const NOTEBOOK_RESULTS = path.join(REPO_ROOT, "fixtures", "golden", "notebook-demo", "results.json");

interface ExpectedRow {
  date: string;
  user: string;
  score: number;
  anomaly: boolean;
  /** Features with negative SHAP values, most negative first, at most DEFAULT_CONTRIBUTIONS. */
  contributions: string[];
  /** Their SHAP values. */
  shap: number[];
}

/**
 * The hunt computed in Node from the same file, step by step with the packages (ingest's streaming CSV reader, the
 * features, the core) rather than through @isoforest/hunt, which the page uses.
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
  return kept.map((r) => ({
    date: formatIsoDate(Number(table.getChild("Date")!.get(r))),
    user: String(table.getChild("DstUser")!.get(r)),
    score: score[r],
    anomaly: predict[r] === -1,
    ...contributionsOf(MODEL_FEATURES.map((feature, j) => ({ feature, shap: shap[j][r] }))),
  }));
}

function contributionsOf(all: { feature: string; shap: number }[]): Pick<ExpectedRow, "contributions" | "shap"> {
  const top = all
    .filter((c) => c.shap < 0)
    .sort((a, b) => a.shap - b.shap)
    .slice(0, DEFAULT_CONTRIBUTIONS);
  return { contributions: top.map((c) => c.feature), shap: top.map((c) => c.shap) };
}

interface ShownRow {
  outlier: boolean;
  cells: string[];
  /** The score cell's title: the score with every digit. */
  fullScore: string;
  /** The features the page lists, in its order. */
  contributions: string[];
  /** Each listed contribution's text and title (the SHAP value with every digit). */
  contributionTexts: string[];
}

async function shownRows(page: Page): Promise<ShownRow[]> {
  return page.$$eval("#ranked tbody tr", (trs) =>
    trs.map((tr) => {
      const items = Array.from(tr.querySelectorAll<HTMLElement>("ul.contribs li[data-feature]"));
      const cells = Array.from((tr as HTMLTableRowElement).cells);
      return {
        outlier: tr.classList.contains("outlier"),
        cells: cells.map((c) => c.innerText.trim()),
        fullScore: cells[4]?.title ?? "",
        contributions: items.map((li) => li.dataset.feature ?? ""),
        contributionTexts: items.map((li) => `${li.innerText.trim()} | ${li.title}`),
      };
    }),
  );
}

/** The Web Workers a page started, and how many of them have been terminated. */
interface WorkerLog {
  readonly urls: string[];
  closed: number;
}

function logWorkers(page: Page): WorkerLog {
  const log: WorkerLog = { urls: [], closed: 0 };
  page.on("worker", (worker: Worker) => {
    log.urls.push(worker.url());
    worker.on("close", () => log.closed++);
  });
  return log;
}

/** The files of the built page, as the paths the server sees (`/`, `/index.html`, `/assets/...`). */
interface BuiltPage {
  readonly files: Set<string>;
  /** The bundled worker entry (the core's `worker-browser.js`). */
  readonly workerChunk: string;
  /** The WebAssembly core. */
  readonly wasm: string;
}

function builtPage(dist: string): BuiltPage {
  const files = readdirSync(dist, { recursive: true, withFileTypes: true })
    .filter((entry) => entry.isFile())
    .map((entry) => `/${path.relative(dist, path.join(entry.parentPath, entry.name)).split(path.sep).join("/")}`);
  const only = (pattern: RegExp): string => {
    const matches = files.filter((f) => pattern.test(f));
    expect(matches, String(pattern)).toHaveLength(1);
    return matches[0];
  };
  return { files: new Set(["/", ...files]), workerChunk: only(/^\/assets\/worker-browser-[\w-]+\.js$/), wasm: only(/\.wasm$/) };
}

/** One hunt of the demo CSV in a freshly opened page. */
interface DemoRun {
  readonly query: string;
  readonly state: string | undefined;
  readonly status: string;
  /** `<body data-threads>`: the threads the page scored and explained on. */
  readonly threads: number;
  /** The browser's `navigator.hardwareConcurrency`. */
  readonly cores: number;
  readonly rows: ShownRow[];
  readonly workers: WorkerLog;
  /** Paths the server was asked for while the page loaded, and after the file was picked. */
  readonly loadRequests: string[];
  readonly huntRequests: string[];
  readonly problems: PageProblems;
}

describe("the web page, built with Vite and served on 127.0.0.1", () => {
  let server: StaticServer;
  let browser: Browser;
  let built: BuiltPage;

  beforeAll(async () => {
    await build({ root: PACKAGE_DIR, logLevel: "error", configFile: path.join(PACKAGE_DIR, "vite.config.ts") });
    built = builtPage(path.join(PACKAGE_DIR, "dist"));
    server = await serveDirectory(path.join(PACKAGE_DIR, "dist"));
    browser = await launchChromium();
  });

  afterAll(async () => {
    await browser?.close();
    await server?.close();
  });

  async function openPage(query = ""): Promise<{ page: Page; problems: PageProblems; workers: WorkerLog }> {
    const page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
    // Limits that only catch a hang: on a busy machine loading the page and its wasm can take most of a minute.
    page.setDefaultTimeout(110_000);
    const problems = watchPage(page, (url) => url.startsWith(`${server.origin}/`));
    const workers = logWorkers(page);
    await page.goto(`${server.origin}/${query}`);
    return { page, problems, workers };
  }

  /** Waits for the page to finish or fail; an uncaught page error ends the wait at once. */
  const finished = (page: Page) =>
    Promise.race([
      page.waitForFunction(() => document.body.dataset.state === "done" || document.body.dataset.state === "error", null, {
        timeout: 90_000,
      }),
      page.waitForEvent("pageerror", { timeout: 90_000 }).then((e) => {
        throw e;
      }),
    ]);

  /**
   * The hunt of the demo CSV with URL query `query`, run once and shared by the tests that look at it. Await one at a
   * time: each run reads its requests off the server's shared log.
   */
  const runs = new Map<string, Promise<DemoRun>>();
  function huntDemo(query: string, screenshot?: string): Promise<DemoRun> {
    let run = runs.get(query);
    if (run === undefined) {
      run = runHunt(query, screenshot);
      runs.set(query, run);
    }
    return run;
  }

  async function runHunt(query: string, screenshot: string | undefined): Promise<DemoRun> {
    const first = server.requested.length;
    const { page, problems, workers } = await openPage(query);
    const picked = server.requested.length;
    await page.setInputFiles("#file-input", DEMO_CSV);
    await finished(page);
    const status = await page.locator("#status").innerText();
    const state = await page.evaluate(() => document.body.dataset.state);
    // The browser reports workers started and closed as events that may arrive after the page is done: wait for as
    // many as the page says it used (one per thread when it used more than one), then for every one to be gone.
    const used = Number(await page.evaluate(() => document.body.dataset.threads));
    const expectedWorkers = state === "done" && used > 1 ? used : workers.urls.length;
    await expect.poll(() => workers.urls.length, { timeout: 60_000 }).toBe(expectedWorkers);
    await expect.poll(() => workers.closed, { timeout: 60_000 }).toBe(workers.urls.length);
    const run: DemoRun = {
      query,
      state,
      status,
      threads: Number(await page.evaluate(() => document.body.dataset.threads)),
      cores: await page.evaluate(() => navigator.hardwareConcurrency),
      rows: await shownRows(page),
      workers,
      loadRequests: server.requested.slice(first, picked),
      huntRequests: server.requested.slice(picked),
      problems,
    };
    if (screenshot !== undefined) await fullPageScreenshot(page, screenshot);
    await page.close();
    return run;
  }

  /** The distinct paths matching `pattern` that were requested after the file was picked. */
  const requestedAfterPick = (run: DemoRun, pattern: RegExp) => [...new Set(run.huntRequests.filter((p) => pattern.test(p)))];

  it("hunts the demo CSV on 3 Web Workers: the notebook's outliers on top, the same ranking as Node, nothing sent", async () => {
    const run = await huntDemo("?threads=3", path.join(artifactsDir(), "web.png"));
    expect(run.state, run.status).toBe("done");
    expect(run.threads).toBe(3);
    expect(run.status).toMatch(/^Done in \d+\.\d\d s on 3 threads: 2 outliers among /);

    const { rows } = run;
    const expected = await huntInNode();
    const notebook = JSON.parse(readFileSync(NOTEBOOK_RESULTS, "utf8")) as { outliers: { DstUser: string }[] };
    const flagged = rows.filter((r) => r.outlier);
    // scikit-learn flags these two user-days on this data, and so must the page (dates as shown: ISO).
    expect(flagged.map((r) => r.cells[3])).toEqual(notebook.outliers.map((o) => o.DstUser));
    expect(flagged.map((r) => r.cells[1])).toEqual(["2022-09-25", "2022-09-16"]);
    expect(rows.slice(0, flagged.length).every((r) => r.outlier)).toBe(true);
    // The same numbers as the core computes in Node, row for row (the title has every digit of the score).
    expect(rows).toHaveLength(Math.max(TABLE_ROWS, expected.filter((e) => e.anomaly).length));
    rows.forEach((row, i) => {
      const e = expected[i];
      expect([row.cells[0], row.cells[1], row.cells[3], row.cells[4], row.outlier]).toEqual([
        String(i + 1),
        e.date,
        e.user,
        e.score.toFixed(4),
        e.anomaly,
      ]);
      // Every digit, up to the last bit or two: leaf path lengths (c(n)) and scores go through Math.log and Math.pow,
      // which Node 20's V8 rounds differently from Chromium's in the last bit now and then (Chromium's agree with
      // the C library's, as numpy's do).
      expect(Number(row.fullScore.replace(/^score /, ""))).toBeCloseTo(e.score, 14);
      expect(row.contributions).toEqual(e.contributions);
      const shown = row.contributionTexts.map((t) => Number(/SHAP (\S+) /.exec(t)?.[1]));
      expect(shown).toHaveLength(e.shap.length);
      shown.forEach((value, k) => expect(value).toBeCloseTo(e.shap[k], 13));
    });

    // Three module workers of the bundled worker chunk were started, and all were terminated after the hunt.
    expect(run.workers.urls).toHaveLength(3);
    expect(run.workers.urls).toEqual(Array(3).fill(`${server.origin}${built.workerChunk}`));
    expect(run.workers.closed).toBe(3);
    expect(run.problems).toEqual({ consoleErrors: [], pageErrors: [], dialogs: [], foreignRequests: [] });
  });

  it("gives the same table, scores and contributions in the page's own thread (?threads=1) and on every core", async () => {
    const parallel = await huntDemo("?threads=3");
    const single = await huntDemo("?threads=1");
    const byDefault = await huntDemo("");
    for (const run of [single, byDefault]) {
      expect(run.state, `${run.query}: ${run.status}`).toBe("done");
      expect(run.problems, run.query).toEqual({ consoleErrors: [], pageErrors: [], dialogs: [], foreignRequests: [] });
      // Every cell as shown, every digit of every score and SHAP value, every contribution in its order.
      expect(run.rows, run.query).toEqual(parallel.rows);
    }
    expect(single.threads).toBe(1);
    expect(single.status).toMatch(/^Done in \d+\.\d\d s in this thread: /);
    expect(single.workers.urls).toEqual([]);
    // By default: the browser's cores, at most DEFAULT_MAX_THREADS; a worker for each when there is more than one.
    const cores = Math.min(DEFAULT_MAX_THREADS, Math.max(1, byDefault.cores));
    expect(byDefault.threads).toBe(cores);
    expect(byDefault.workers.urls).toHaveLength(cores === 1 ? 0 : cores);
    expect(byDefault.workers.closed).toBe(byDefault.workers.urls.length);
  });

  it("fetches nothing but the page's own files: its scripts, the worker chunk and the wasm", async () => {
    const { files, workerChunk, wasm } = built;
    for (const query of ["?threads=1", "?threads=3"]) {
      const run = await huntDemo(query);
      for (const p of [...run.loadRequests, ...run.huntRequests]) expect(files, `${query}: ${p}`).toContain(p);
      expect(run.problems.foreignRequests, query).toEqual([]);
      // After the file is picked: the wasm for the page's thread and, with workers, the worker chunk and the wasm
      // for each worker; the browser may serve repeats from its cache, so count at least one of each.
      const workers = run.workers.urls.length;
      expect(requestedAfterPick(run, /\.wasm$/), query).toEqual([wasm]);
      expect(requestedAfterPick(run, /\.js$/), query).toEqual(workers > 0 ? [workerChunk] : []);
      expect(run.huntRequests.length, query).toBeLessThanOrEqual(1 + 2 * workers);
    }
  });

  it("refuses a ?threads= value that is not a whole number from 1 to MAX_THREADS, naming it", async () => {
    const { page, problems, workers } = await openPage("?threads=0");
    await page.setInputFiles("#file-input", DEMO_CSV);
    await finished(page);
    expect(await page.evaluate(() => document.body.dataset.state)).toBe("error");
    expect(await page.locator("#status").innerText()).toBe(new ThreadsParameterError("0").message);
    expect(workers.urls).toEqual([]);
    expect(problems).toEqual({ consoleErrors: [], pageErrors: [], dialogs: [], foreignRequests: [] });
    await page.close();
  });

  /** Hunts the demo CSV on 2 workers with some requests answered 404 by `route`; returns what the page showed. */
  async function huntWithMissing(pattern: string, missing: (nth: number) => boolean) {
    const page = await browser.newPage();
    const problems = watchPage(page, (url) => url.startsWith(`${server.origin}/`));
    const workers = logWorkers(page);
    let nth = 0;
    await page.route(pattern, (route) => (missing(nth++) ? route.fulfill({ status: 404, body: "" }) : route.continue()));
    await page.goto(`${server.origin}/?threads=2`);
    await page.setInputFiles("#file-input", DEMO_CSV);
    await finished(page);
    await expect.poll(() => workers.closed, { timeout: 10_000 }).toBe(workers.urls.length);
    const shown = {
      state: await page.evaluate(() => document.body.dataset.state),
      status: await page.locator("#status").innerText(),
      resultsHidden: await page.locator("#results").isHidden(),
      workersStarted: workers.urls.length,
      pageErrors: problems.pageErrors,
    };
    await page.close();
    return shown;
  }

  it("fails the hunt with one line naming the worker when a worker cannot load its module, and stops every worker", async () => {
    const shown = await huntWithMissing("**/assets/worker-browser-*.js", () => true);
    expect(shown).toMatchObject({ state: "error", resultsHidden: true, workersStarted: 2, pageErrors: [] });
    expect(shown.status).toMatch(/^worker [01] stopped while starting: the worker failed to load or crashed$/);
  });

  it("fails the hunt with one line naming the worker and the wasm URL when a worker cannot fetch the core", async () => {
    // The page's own thread gets the wasm (it fits the forest); the workers' fetches find nothing.
    const shown = await huntWithMissing("**/*.wasm", (nth) => nth > 0);
    expect(shown).toMatchObject({ state: "error", resultsHidden: true, workersStarted: 2, pageErrors: [] });
    const wasmUrl = `${server.origin}${built.wasm}`;
    expect(shown.status).toBe(`worker ${/^worker (\d)/.exec(shown.status)?.[1]} could not load the model: Error: cannot fetch the isoforest core from ${wasmUrl}: HTTP 404`);
  });

  it("takes a dropped file, and names the file and the missing column of a bad one", async () => {
    const { page, problems } = await openPage();
    const header = readFileSync(DEMO_CSV, "utf8").split(/\r?\n/)[0];
    const broken = header.replace(",FailedLogons,", ",Failed,") + "\n";
    await page.evaluate((text) => {
      const transfer = new DataTransfer();
      transfer.items.add(new File([text], "broken.csv", { type: "text/csv" }));
      document.getElementById("drop-zone")!.dispatchEvent(new DragEvent("drop", { dataTransfer: transfer, bubbles: true, cancelable: true }));
    }, broken);
    await finished(page);
    expect(await page.evaluate(() => document.body.dataset.state)).toBe("error");
    expect(await page.locator("#status").innerText()).toBe("broken.csv:1: missing column FailedLogons");
    expect(await page.locator("#results").isHidden()).toBe(true);
    expect(problems).toEqual({ consoleErrors: [], pageErrors: [], dialogs: [], foreignRequests: [] });
    await page.close();
  });
});
