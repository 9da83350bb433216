import { cpSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { runOk } from './run.js';

export const REPO = fileURLToPath(new URL('../../../../', import.meta.url));
const APPS = fileURLToPath(new URL('../../apps/', import.meta.url));

/** The published packages, by workspace folder. */
export const PUBLISHED = [
  'common',
  'core',
  'reference',
  'ingest',
  'features',
  'hunt',
  'report',
  'publish',
  'synth',
  'tune',
  'cli',
] as const;

/** The oldest and newest apache-arrow the peer range `>=19.0.0 <22` is tested with. */
export const ARROW_OLDEST = '19.0.0';
export const ARROW_NEWEST = '21.2.0';
export const VITE = '8.3.8';

export function rootVersion(): string {
  return (JSON.parse(readFileSync(join(REPO, 'package.json'), 'utf8')) as { version: string }).version;
}

/** `npm pack`s every published package (their prepack builds them) into a fresh folder: package name -> tarball. */
export async function packAll(): Promise<Map<string, string>> {
  const dest = mkdtempSync(join(tmpdir(), 'isoforest-tarballs-'));
  const workspaces = PUBLISHED.flatMap((dir) => ['-w', `packages/${dir}`]);
  const json = await runOk('npm', ['pack', '--json', '--pack-destination', dest, ...workspaces], { cwd: REPO });
  const packed = JSON.parse(json) as { name: string; filename: string }[];
  return new Map(packed.map(({ name, filename }) => [name, join(dest, filename)]));
}

/**
 * A fresh app in a temporary folder (outside the workspace, so no workspace links): the files of each
 * `apps/<template>`, then `npm install` of `specs` (tarball paths, registry packages, aliases), preferring npm's cache.
 */
export async function createApp(templates: readonly string[], specs: readonly string[]): Promise<string> {
  const dir = mkdtempSync(join(tmpdir(), `isoforest-app-${templates.join('-')}-`));
  writeFileSync(join(dir, 'package.json'), JSON.stringify({ name: 'consumer', private: true, type: 'module' }));
  for (const template of templates) cpSync(join(APPS, template), dir, { recursive: true });
  await runOk('npm', ['install', '--no-audit', '--no-fund', '--prefer-offline', '--loglevel=error', ...specs], {
    cwd: dir,
  });
  return dir;
}
