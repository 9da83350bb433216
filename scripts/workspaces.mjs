// The workspace packages named by the root package.json's `workspaces` globs (only `dir` and `dir/*` forms).
import { existsSync, readdirSync, readFileSync } from 'node:fs';

const root = new URL('../', import.meta.url);

/** Every workspace package: its package.json URL and parsed contents. */
export function workspacePackages() {
  const { workspaces } = JSON.parse(readFileSync(new URL('package.json', root), 'utf8'));
  const dirs = workspaces.flatMap((pattern) =>
    pattern.endsWith('/*')
      ? readdirSync(new URL(pattern.slice(0, -1), root)).map((name) => pattern.slice(0, -1) + name)
      : [pattern],
  );
  return dirs
    .map((dir) => new URL(`${dir}/package.json`, root))
    .filter((file) => existsSync(file))
    .map((file) => ({ file, json: JSON.parse(readFileSync(file, 'utf8')) }));
}
