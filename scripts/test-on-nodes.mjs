// Runs the test suites of the core, ingest and the CLI again on every other Node the project supports (22 and 24;
// npm test itself runs on 20), with the binaries scripts/ensure-node.mjs unpacks. The consumer tests cover all three
// versions by themselves. Vitest and the processes the tests spawn run on the chosen Node (it is first on PATH).
import { spawnSync } from 'node:child_process';
import { delimiter, dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
import { NODE_VERSIONS, nodePath } from './ensure-node.mjs';

const root = fileURLToPath(new URL('../', import.meta.url));
const SUITES = ['packages/core', 'packages/ingest', 'packages/cli'];

const ensure = spawnSync(process.execPath, [fileURLToPath(new URL('ensure-node.mjs', import.meta.url))], {
  stdio: 'inherit',
});
if (ensure.status !== 0) process.exit(ensure.status ?? 1);

const failed = [];
for (const major of Object.keys(NODE_VERSIONS)) {
  const node = nodePath(major);
  for (const suite of SUITES) {
    console.log(`\n== ${suite} on Node ${NODE_VERSIONS[major]}`);
    // Generous limits: these runs come on top of the whole suite on a small machine (tests wait on events, not clocks).
    const limits = ['--testTimeout=300000', '--hookTimeout=300000'];
    const result = spawnSync(node, [`${root}node_modules/vitest/vitest.mjs`, 'run', ...limits], {
      cwd: `${root}${suite}`,
      stdio: 'inherit',
      env: { ...process.env, PATH: `${dirname(node)}${delimiter}${process.env.PATH}` },
    });
    if (result.status !== 0) failed.push(`${suite} on Node ${major}`);
  }
}
if (failed.length > 0) {
  console.error(`\ntest-on-nodes: failed: ${failed.join(', ')}`);
  process.exit(1);
}
