import type { IngestStats } from '@isoforest/ingest';
import { groupThousands } from '@isoforest/common';

/** One line accounting for every input row: read = kept + filtered (by rule) + rejected, with the first reason. */
export function describeStats(stats: IngestStats): string {
  const filtered = Object.entries(stats.filtered)
    .filter(([, n]) => n > 0)
    .map(([rule, n]) => `${groupThousands(n)} ${rule}`);
  return (
    `${groupThousands(stats.rowsRead)} rows read, ${groupThousands(stats.rowsKept)} kept` +
    (filtered.length > 0 ? `, filtered out: ${filtered.join(', ')}` : '') +
    (stats.rowsRejected > 0 ? `, ${groupThousands(stats.rowsRejected)} rejected (first: ${stats.firstErrors[0]})` : '')
  );
}
