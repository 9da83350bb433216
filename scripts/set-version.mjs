// The one place versions change: `node scripts/set-version.mjs 0.2.0` writes the version into the root and every
// workspace package, and pins every internal dependency to it (the packages are released together).
// `node scripts/set-version.mjs --check` fails if any package disagrees with the root (run by `npm run lint`).
import { readFileSync, writeFileSync } from 'node:fs';
import { workspacePackages } from './workspaces.mjs';

const root = new URL('../', import.meta.url);
const rootFile = new URL('package.json', root);
const rootPackage = JSON.parse(readFileSync(rootFile, 'utf8'));
const arg = process.argv[2];
const check = arg === '--check';
if (!check && !/^\d+\.\d+\.\d+(-[0-9A-Za-z.-]+)?$/.test(arg ?? '')) {
  console.error('usage: node scripts/set-version.mjs <version> | --check');
  process.exit(2);
}
const version = check ? rootPackage.version : arg;
const packages = workspacePackages();
const internal = new Set(packages.map(({ json }) => json.name));
const problems = [];

function pin(json, where) {
  let changed = json.version !== version;
  if (changed) problems.push(`${where}: version ${json.version}, expected ${version}`);
  json.version = version;
  for (const field of ['dependencies', 'devDependencies', 'peerDependencies']) {
    for (const dep of Object.keys(json[field] ?? {})) {
      if (!internal.has(dep) || json[field][dep] === version) continue;
      problems.push(`${where}: ${field}.${dep} is ${json[field][dep]}, expected ${version}`);
      json[field][dep] = version;
      changed = true;
    }
  }
  return changed;
}

for (const { file, json } of [{ file: rootFile, json: rootPackage }, ...packages]) {
  const changed = pin(json, file.pathname.slice(root.pathname.length));
  if (changed && !check) writeFileSync(file, `${JSON.stringify(json, null, 2)}\n`);
}
if (check && problems.length > 0) {
  console.error(`versions disagree with the root package.json (fix with node scripts/set-version.mjs ${version}):`);
  for (const problem of problems) console.error(`  ${problem}`);
  process.exit(1);
}
if (!check) console.log(`set version ${version}; run npm install to update package-lock.json`);
