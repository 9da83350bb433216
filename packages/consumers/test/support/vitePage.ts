import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { createInterface } from 'node:readline';
import type { Browser } from 'playwright-core';
import { appEnv } from './run.js';

export interface PageRun {
  /** The text the app's page put into #result. */
  readonly result: string;
  /** Console errors and uncaught exceptions of the page. */
  readonly problems: string[];
}

/**
 * Serves the Vite app in `dir` with `serve.mjs` (dev server or preview of the build) under `node`, opens it in
 * `browser`, waits for the page to finish (#result gets `data-done`) and stops the server.
 */
export async function servePage(
  node: string,
  dir: string,
  mode: 'dev' | 'preview',
  browser: Browser,
): Promise<PageRun> {
  const server = spawn(node, ['serve.mjs', mode], { cwd: dir, env: appEnv(), stdio: ['pipe', 'pipe', 'inherit'] });
  try {
    const [url] = (await Promise.race([
      once(createInterface({ input: server.stdout! }), 'line'),
      once(server, 'exit').then(([code]) => Promise.reject(new Error(`vite ${mode} exited with ${code}`))),
    ])) as [string];
    const page = await browser.newPage();
    const problems: string[] = [];
    page.on('console', (message) => {
      if (message.type() === 'error') problems.push(message.text());
    });
    page.on('pageerror', (error) => problems.push(error.message));
    try {
      await page.goto(url);
      const result = page.locator('#result[data-done]');
      await result.waitFor({ timeout: 120_000 });
      return { result: (await result.textContent()) ?? '', problems };
    } finally {
      await page.close();
    }
  } finally {
    server.stdin!.end();
    if (server.exitCode === null) await once(server, 'exit');
  }
}
