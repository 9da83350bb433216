// Runs every benchmark suite in one process and prints the machine first, so each figure names its hardware.
import os from 'node:os';
import { scoreSuite } from './score.bench.js';
import { explainSuite } from './explain.bench.js';

const cpus = os.cpus();
console.log(
  `machine: ${cpus[0]?.model ?? 'unknown CPU'}, ${cpus.length} logical cores, Node ${process.version}, ` +
    `${os.platform()} ${os.arch()}; suites run single-threaded`,
);
const [load] = os.loadavg();
if (load > cpus.length) {
  console.log(`note: load average ${load.toFixed(1)} exceeds the ${cpus.length} cores; wall-clock figures are inflated`);
}

await scoreSuite();

// TreeSHAP: wasm fast variant vs wasm Algorithm 2 vs the reference (explain.bench.js).
await explainSuite();
