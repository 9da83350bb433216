// Vitest global setup of every package: the run gets a temporary folder of its own, TMPDIR points there, and the
// folder is removed when the run ends. The tests, the workers that run them and the commands they spawn all take
// their temporary folders from os.tmpdir(), so nothing outlives the run: npm test runs three suites on three Node
// versions, and what they left behind (gigabytes) filled the disk of the machine that ran them next.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export default function setup() {
  const root = mkdtempSync(join(tmpdir(), 'isoforest-test-'));
  process.env.TMPDIR = root;
  return () => rmSync(root, { recursive: true, force: true });
}
