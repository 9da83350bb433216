// Times generateUserDays on a tenant of about 10 million user-days (streamed; only one batch in memory).
// Usage: node bench/synth.bench.js [users=150000] [days=90]   (after `npx tsc -b packages/synth`)
import os from 'node:os';
import { generateUserDays } from '../dist/index.js';

const users = Number(process.argv[2] ?? 150_000);
const days = Number(process.argv[3] ?? 90);
console.log(
  `${os.cpus()[0].model}, ${os.cpus().length} cores, Node ${process.version}, load average ${os.loadavg()[0].toFixed(1)}`,
);
const start = performance.now();
let rows = 0;
let batches = 0;
let attacked = 0;
for (const batch of generateUserDays({ users, days, seed: 1 })) {
  rows += batch.numRows;
  batches += 1;
  const labels = batch.getChild('label').data[0].values;
  for (let i = 0; i < batch.numRows; i++) attacked += labels[i];
}
const seconds = (performance.now() - start) / 1000;
console.log(
  `${users.toLocaleString('en')} users x ${days} days: ${rows.toLocaleString('en')} user-days (${attacked} attacked) in ${batches} batches`,
);
console.log(
  `${seconds.toFixed(2)} s, ${(rows / seconds / 1e6).toFixed(2)} M user-days/s, peak RSS ${(process.memoryUsage().rss / 2 ** 20).toFixed(0)} MiB`,
);
