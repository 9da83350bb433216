/**
 * The one place that knows how the browser tests (report and web) start Chromium, and what counts as a problem on
 * a page. Chromium is Debian's, installed by scripts/ensure-chromium.sh (run by the test script).
 */
import { mkdirSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium, type Browser, type Page } from 'playwright-core';

export const CHROMIUM_PATH = '/usr/bin/chromium';

/** No sandbox (tests run as root in CI), no background traffic, and SwiftShader so WebGL (scatter3d) works headless. */
export const CHROMIUM_ARGS: readonly string[] = [
  '--no-sandbox',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--no-first-run',
  '--use-angle=swiftshader',
  '--enable-unsafe-swiftshader',
];

export function launchChromium(): Promise<Browser> {
  return chromium.launch({ executablePath: CHROMIUM_PATH, args: [...CHROMIUM_ARGS] });
}

/** `test-artifacts/` at the repository root (gitignored), created on demand. */
export function artifactsDir(): string {
  const dir = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..', '..', 'test-artifacts');
  mkdirSync(dir, { recursive: true });
  return dir;
}

/** What went wrong on a page while a test drove it. */
export interface PageProblems {
  readonly consoleErrors: string[];
  readonly pageErrors: string[];
  /** Messages of every alert/confirm/prompt the page opened (each is dismissed). */
  readonly dialogs: string[];
  /** URLs of requests the page made that `allowRequest` did not accept. */
  readonly foreignRequests: string[];
}

/**
 * Starts recording console errors, uncaught exceptions, dialogs and requests on `page`. `allowRequest` says which
 * request URLs are expected (the page's own origin, say); anything else is recorded as foreign.
 */
export function watchPage(page: Page, allowRequest: (url: string) => boolean): PageProblems {
  const problems: PageProblems = { consoleErrors: [], pageErrors: [], dialogs: [], foreignRequests: [] };
  page.on('console', (m) => {
    if (m.type() === 'error') problems.consoleErrors.push(m.text());
  });
  page.on('pageerror', (e) => problems.pageErrors.push(e.message));
  page.on('dialog', (d) => {
    problems.dialogs.push(d.message());
    void d.dismiss();
  });
  page.on('request', (r) => {
    if (!allowRequest(r.url())) problems.foreignRequests.push(r.url());
  });
  return problems;
}

/**
 * A full-page screenshot that shows WebGL charts where they are: the viewport is first grown to the page's height
 * (a plain full-page capture resizes the page behind plotly's back and can misplace a WebGL canvas).
 */
export async function fullPageScreenshot(page: Page, file: string): Promise<void> {
  const size = page.viewportSize();
  const height = await page.evaluate(() => document.documentElement.scrollHeight);
  await page.setViewportSize({ width: size?.width ?? 1280, height });
  // Let plotly's responsive relayout (on resize) finish before capturing.
  await page.evaluate(() => new Promise((resolve) => requestAnimationFrame(() => setTimeout(resolve, 500))));
  await page.screenshot({ path: file, fullPage: true });
}
