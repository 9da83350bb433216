/**
 * The packed tarballs as users get them: installed into fresh apps (no workspace links) and run on every Node this
 * project supports (20, 22 and 24: the one running the tests and those scripts/ensure-node.mjs unpacked).
 */
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { isBuiltin } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launchChromium, watchPage } from '../../report/test/browser.js';
import { ARROW_NEWEST, ARROW_OLDEST, createApp, packAll, rootVersion, VITE } from './support/apps.js';
import { nodeBinaries } from './support/nodes.js';
import { run, runOk } from './support/run.js';
import { servePage } from './support/vitePage.js';

const NODES = nodeBinaries();
const CORE = JSON.parse(readFileSync(new URL('../../core/package.json', import.meta.url), 'utf8')) as {
  peerDependencies: Record<string, string>;
};

let tarballs: Map<string, string>;
let oldestApp: string;
let newestApp: string;
let browser: Browser;

beforeAll(async () => {
  tarballs = await packAll();
  const core = tarballs.get('@isoforest/core')!;
  const common = tarballs.get('@isoforest/common')!;
  // The oldest apache-arrow of the peer range next to the core alone (with its helpers package), and a second copy
  // (the newest) under an alias.
  oldestApp = await createApp(
    ['node'],
    [core, common, `apache-arrow@${ARROW_OLDEST}`, `arrow-other@npm:apache-arrow@${ARROW_NEWEST}`],
  );
  // Every tarball (the CLI too), the newest apache-arrow, the oldest under an alias, and Vite.
  newestApp = await createApp(
    ['node', 'vite'],
    [
      ...tarballs.values(),
      `apache-arrow@${ARROW_NEWEST}`,
      `arrow-other@npm:apache-arrow@${ARROW_OLDEST}`,
      `vite@${VITE}`,
    ],
  );
  browser = await launchChromium();
});

afterAll(async () => {
  await browser?.close();
  for (const dir of [oldestApp, newestApp]) if (dir) rmSync(dir, { recursive: true, force: true });
});

it('runs on Node 20, 22 and 24', () => {
  expect(NODES.map(({ major }) => major)).toEqual(expect.arrayContaining([20, 22, 24]));
});

it(`tests the ends of the core's apache-arrow peer range`, () => {
  expect(CORE.peerDependencies['apache-arrow']).toBe(`>=${ARROW_OLDEST} <22`);
});

it("the installed `isoforest` command's report draws every chart in Chromium, fetching nothing", async () => {
  // The command is a bundle: the report's page script, inlined from its function's text, must have come through
  // the bundler as code that runs on its own in the page.
  const bin = join(newestApp, 'node_modules', 'isoforest', 'bin', 'isoforest.js');
  const out = mkdtempSync(join(tmpdir(), 'isoforest-consumer-report-'));
  try {
    await runOk(process.execPath, [bin, 'hunt', '--quiet', '--output-dir', out], { cwd: newestApp });
    const url = pathToFileURL(join(out, 'report.html')).href;
    const page = await browser.newPage();
    const problems = watchPage(page, (u) => u === url);
    // Waits for the page's own signal, not a load event within a fixed time (plotly's parse is slow on a busy
    // machine), or for a script that throws before it can give one.
    const thrown = new Promise<never>((_, reject) => page.once('pageerror', reject));
    await page.goto(url, { waitUntil: 'commit' });
    await Promise.race([
      thrown,
      page.waitForFunction(() => document.body?.dataset.chartsDrawn ?? document.body?.dataset.chartsError, null, {
        timeout: 110_000,
      }),
    ]);
    const drawn = await page.evaluate(() => ({ ...document.body.dataset }));
    expect(drawn.chartsError).toBeUndefined();
    expect(Number(drawn.chartsDrawn)).toBe(await page.locator('div.chart').count());
    expect(problems).toEqual({ consoleErrors: [], pageErrors: [], dialogs: [], foreignRequests: [] });
    await page.close();
  } finally {
    rmSync(out, { recursive: true, force: true });
  }
});

it('the `isoforest` tarball installs alone and hunts: what its bundle leaves to Node is exactly its dependencies', async () => {
  const app = await createApp([], [tarballs.get('isoforest')!]);
  const out = mkdtempSync(join(tmpdir(), 'isoforest-consumer-alone-'));
  try {
    const installed = join(app, 'node_modules', 'isoforest');
    await runOk(process.execPath, [join(installed, 'bin', 'isoforest.js'), 'hunt', '--quiet', '--output-dir', out]);
    expect(existsSync(join(out, 'report.html'))).toBe(true);
    // The packages the bundle loads at run time (the Azure SDK, when a Sentinel or ADX source opens or a hunt is
    // published), by the literal names of its imports and requires.
    const dist = join(installed, 'dist');
    const loaded = new Set<string>();
    for (const file of readdirSync(dist).filter((name) => name.endsWith('.js'))) {
      const source = readFileSync(join(dist, file), 'utf8');
      for (const [, id] of source.matchAll(/\b(?:import|require\w*|\w*Require\w*)\("([^"./][^"]*)"\)/g))
        if (!isBuiltin(id)) loaded.add(id);
    }
    const { dependencies } = JSON.parse(readFileSync(join(installed, 'package.json'), 'utf8')) as {
      dependencies: Record<string, string>;
    };
    expect([...loaded].sort()).toEqual(Object.keys(dependencies).sort());
    // Each loads from the bundle's folder, as the command would load it.
    await runOk(
      process.execPath,
      ['--input-type=module', '-e', `for (const id of ${JSON.stringify([...loaded])}) await import(id);`],
      {
        cwd: dist,
      },
    );
  } finally {
    rmSync(app, { recursive: true, force: true });
    rmSync(out, { recursive: true, force: true });
  }
});

describe.each(NODES)('Node $major', ({ major, path: node }) => {
  it('an ES-module app fits, scores, explains, saves and loads with the oldest and newest apache-arrow, two copies at once', async () => {
    const facts = [];
    for (const app of [oldestApp, newestApp]) {
      const stdout = await runOk(node, ['consumer.mjs', 'apache-arrow', 'arrow-other'], { cwd: app });
      facts.push(JSON.parse(stdout) as { node: string; trainArrow: string; scoreArrow: string; outlierScore: number });
    }
    expect(facts.map((f) => [Number(f.node.split('.')[0]), f.trainArrow, f.scoreArrow])).toEqual([
      [major, ARROW_OLDEST, ARROW_NEWEST],
      [major, ARROW_NEWEST, ARROW_OLDEST],
    ]);
    expect(facts[0].outlierScore).toBeGreaterThan(0);
    expect(facts[1].outlierScore).toBe(facts[0].outlierScore);
  });

  it('a CommonJS app loads the core with require()', async () => {
    const stdout = await runOk(node, ['consumer.cjs'], { cwd: newestApp });
    expect(JSON.parse(stdout)).toEqual({ node: expect.stringMatching(new RegExp(`^${major}\\.`)), top: 299 });
  });

  it('the installed `isoforest` command prints the one version and hunts the bundled demo data', async () => {
    const bin = join(newestApp, 'node_modules', 'isoforest', 'bin', 'isoforest.js');
    expect((await runOk(node, [bin, '--version'])).trim()).toBe(rootVersion());
    const out = mkdtempSync(join(tmpdir(), 'isoforest-consumer-hunt-'));
    try {
      const hunt = await run(node, [bin, 'hunt', '--quiet', '--threads', '2', '--output-dir', out], { cwd: newestApp });
      expect(hunt.stderr).toBe('');
      expect(hunt.code).toBe(0);
      expect(existsSync(join(out, 'report.html'))).toBe(true);
      // The notebook's demo data: one scored row per user-day.
      expect(readFileSync(join(out, 'scores.csv'), 'utf8').trim().split('\n').length).toBeGreaterThan(100);
    } finally {
      rmSync(out, { recursive: true, force: true });
    }
  });

  it.each(['build', 'dev'] as const)('a Vite app (%s) runs the core in Chromium', async (mode) => {
    if (mode === 'build')
      await runOk(node, ['node_modules/vite/bin/vite.js', 'build', '--logLevel', 'error'], { cwd: newestApp });
    const page = await servePage(node, newestApp, mode === 'build' ? 'preview' : 'dev', browser);
    expect(page.problems).toEqual([]);
    expect(JSON.parse(page.result)).toEqual({
      top: 300,
      additivityError: expect.any(Number),
      reloaded: true,
      threadsAgree: true,
    });
    expect(JSON.parse(page.result).additivityError).toBeLessThan(1e-9);
    // The dev server served the core pre-bundled (vitejs/vite#8427 broke exactly this), with no optimizeDeps setting.
    if (mode === 'dev') expect(existsSync(join(newestApp, 'node_modules/.vite/deps/@isoforest_core.js'))).toBe(true);
  });
});
