// `prepack` of every published package (run by `npm pack` / `npm publish` in the package's folder): builds the
// package and what it depends on through Nx (cached), and copies the repository's LICENSE into the package, since
// npm packs only files inside the package folder. The consumer tests, whose Nx target has built every package just
// before, set ISOFOREST_PREPACK_SKIP_BUILD=1 to spare eight Nx start-ups.
import { execFileSync } from 'node:child_process';
import { copyFileSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

const packageDir = process.cwd();
const root = new URL('../', import.meta.url);
const { name } = JSON.parse(readFileSync(join(packageDir, 'package.json'), 'utf8'));
if (process.env.ISOFOREST_PREPACK_SKIP_BUILD !== '1') {
  execFileSync('npx', ['nx', 'run', `${name}:build`, '--output-style=stream'], {
    cwd: root,
    // Nx's output goes to stderr, so that `npm pack --json` prints only JSON on stdout.
    stdio: ['ignore', process.stderr, 'inherit'],
    env: { ...process.env, NX_DAEMON: 'false' },
  });
}
copyFileSync(new URL('LICENSE', root), join(packageDir, 'LICENSE'));
