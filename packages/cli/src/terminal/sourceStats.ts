import type { IngestStats } from '@isoforest/ingest';

/** One line accounting for every input row: read = kept + filtered (by rule) + rejected, with the first reason. */
export function describeStats(stats: IngestStats): string {
  const filtered = Object.entries(stats.filtered)
    .filter(([, n]) => n > 0)
    .map(([rule, n]) => `${n.toLocaleString('en-US')} ${rule}`);
  return (
    `${stats.rowsRead.toLocaleString('en-US')} rows read, ${stats.rowsKept.toLocaleString('en-US')} kept` +
    (filtered.length > 0 ? `, filtered out: ${filtered.join(', ')}` : '') +
    (stats.rowsRejected > 0
      ? `, ${stats.rowsRejected.toLocaleString('en-US')} rejected (first: ${stats.firstErrors[0]})`
      : '')
  );
}
