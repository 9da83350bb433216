import { readFileSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import type { Browser, Page } from "playwright-core";
import { build } from "vite";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { loadIsoforest } from "@isoforest/core";
import { buildFeatureTable, MODEL_FEATURES, modelFeatureColumns, notebookTreeCount, rowsWithSuccessfulLogons } from "@isoforest/features";
import { formatIsoDate, readAll, readUserDayCsv } from "@isoforest/ingest";
import { DEFAULT_CONTRIBUTIONS, NOTEBOOK_PARAMETERS } from "@isoforest/hunt";
import { artifactsDir, fullPageScreenshot, launchChromium, watchPage, type PageProblems } from "../../report/test/browser.js";
import { TABLE_ROWS } from "../src/resultsView.js";
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
    contributions: MODEL_FEATURES.map((feature, j) => ({ feature, shap: shap[j][r] }))
      .filter((c) => c.shap < 0)
      .sort((a, b) => a.shap - b.shap)
      .slice(0, DEFAULT_CONTRIBUTIONS)
      .map((c) => c.feature),
  }));
}

interface ShownRow {
  outlier: boolean;
  cells: string[];
  /** The features the page lists, in its order. */
  contributions: string[];
}

async function shownRows(page: Page): Promise<ShownRow[]> {
  return page.$$eval("#ranked tbody tr", (trs) =>
    trs.map((tr) => ({
      outlier: tr.classList.contains("outlier"),
      cells: Array.from((tr as HTMLTableRowElement).cells, (c) => c.innerText.trim()),
      contributions: Array.from(tr.querySelectorAll<HTMLElement>("ul.contribs li[data-feature]"), (li) => li.dataset.feature ?? ""),
    })),
  );
}

describe("the web page, built with Vite and served on 127.0.0.1", () => {
  let server: StaticServer;
  let browser: Browser;

  beforeAll(async () => {
    await build({ root: PACKAGE_DIR, logLevel: "error", configFile: path.join(PACKAGE_DIR, "vite.config.ts") });
    server = await serveDirectory(path.join(PACKAGE_DIR, "dist"));
    browser = await launchChromium();
  });

  afterAll(async () => {
    await browser?.close();
    await server?.close();
  });

  async function openPage(): Promise<{ page: Page; problems: PageProblems }> {
    const page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
    const problems = watchPage(page, (url) => url.startsWith(`${server.origin}/`));
    await page.goto(`${server.origin}/`);
    return { page, problems };
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

  it("hunts the demo CSV in the page: the notebook's outliers on top, the same ranking as Node, nothing sent", async () => {
    const { page, problems } = await openPage();
    const before = server.requested.length;
    await page.setInputFiles("#file-input", DEMO_CSV);
    await finished(page);
    const status = await page.locator("#status").innerText();
    expect(await page.evaluate(() => document.body.dataset.state), status).toBe("done");

    const rows = await shownRows(page);
    const expected = await huntInNode();
    const notebook = JSON.parse(readFileSync(NOTEBOOK_RESULTS, "utf8")) as { outliers: { DstUser: string }[] };
    const flagged = rows.filter((r) => r.outlier);
    // scikit-learn flags these two user-days on this data, and so must the page (dates as shown: ISO).
    expect(flagged.map((r) => r.cells[3])).toEqual(notebook.outliers.map((o) => o.DstUser));
    expect(flagged.map((r) => r.cells[1])).toEqual(["2022-09-25", "2022-09-16"]);
    expect(rows.slice(0, flagged.length).every((r) => r.outlier)).toBe(true);
    // The same numbers as the core computes in Node, row for row.
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
      expect(row.contributions).toEqual(e.contributions);
    });

    // Only the page's own files were fetched: after the upload, just the wasm core.
    expect(server.requested.slice(before).filter((p) => !p.endsWith(".wasm"))).toEqual([]);
    expect(server.requested.slice(before).filter((p) => p.endsWith(".wasm"))).toHaveLength(1);
    expect(problems).toEqual({ consoleErrors: [], pageErrors: [], dialogs: [], foreignRequests: [] });
    await fullPageScreenshot(page, path.join(artifactsDir(), "web.png"));
    await page.close();
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
