// Times generateUserDays on a tenant of about 10 million user-days (streamed; only one batch in memory).
// Usage: npm run bench:synth -w benchmarks -- [users=150000] [days=90]   (after a build)
import os from 'node:os';
import { generateUserDays, LABEL_COLUMN } from '@isoforest/synth';

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
  // One chunk per column in a generated batch; `label` is 0 or 1 per user-day.
  const labels: Uint8Array = batch.getChild(LABEL_COLUMN)!.data[0].values;
  for (let i = 0; i < batch.numRows; i++) attacked += labels[i];
}
const seconds = (performance.now() - start) / 1000;
console.log(
  `${users.toLocaleString('en')} users x ${days} days: ${rows.toLocaleString('en')} user-days (${attacked} attacked) in ${batches} batches`,
);
console.log(
  `${seconds.toFixed(2)} s, ${(rows / seconds / 1e6).toFixed(2)} M user-days/s, peak RSS ${(process.memoryUsage().rss / 2 ** 20).toFixed(0)} MiB`,
);
