import { topContributions, userDayView, type HuntResult } from '@isoforest/hunt';
import type { IngestStats } from '@isoforest/ingest';
import { describeStats } from '../terminal/sourceStats.js';
import { safeCell } from '../terminal/safeText.js';
import type { Style } from '../terminal/style.js';
import { groupThousands } from '@isoforest/common';

/** The counts line of a hunt: rows read and dropped by the source, user-days scored, dropped by the filter, flagged. */
export function countsLine(stats: IngestStats, result: HuntResult): string {
  const c = result.counts;
  return (
    `${describeStats(stats)}; ${groupThousands(c.rowsIn)} user-days in, ${groupThousands(c.rowsScored)} scored, ` +
    `${groupThousands(c.rowsFiltered)} dropped by SuccessfulLogons > 0, ` +
    `${groupThousands(c.outliers)} flagged as anomalous`
  );
}

/**
 * The top of the ranking as a table, then, for each row, the features that pushed it most toward "anomalous".
 */
export function topAnomaliesText(result: HuntResult, top: number, style: Style): string {
  const rows = Array.from(result.ranking.subarray(0, top), (row, rank) => ({
    rank: rank + 1,
    row,
    view: userDayView(result, row),
  }));
  if (rows.length === 0) return 'No user-day passed the SuccessfulLogons > 0 filter: nothing to rank.\n';
  const header = ['#', 'Date', 'DstDomain', 'DstUser', 'score', 'anomaly'];
  const cells = rows.map(({ rank, view }) => [
    String(rank),
    safeCell(view.date),
    safeCell(view.domain),
    safeCell(view.user),
    view.score.toFixed(4),
    view.anomaly ? 'yes' : 'no',
  ]);
  const widths = header.map((h, k) => Math.max(h.length, ...cells.map((r) => r[k].length)));
  const line = (r: string[]) =>
    r
      .map((cell, k) => (k === 0 || k === 4 ? cell.padStart(widths[k]) : cell.padEnd(widths[k])))
      .join('  ')
      .trimEnd();
  const out = [
    style.bold(`Top ${rows.length} user-days by score (score = -decision_function; above 0 means flagged)`),
    style.dim(line(header)),
    ...rows.map(({ view }, k) => (view.anomaly ? style.red(line(cells[k])) : line(cells[k]))),
    '',
    style.bold(
      'Why: the features that pushed each toward "anomalous" (SHAP values in path-length units; negative = more anomalous)',
    ),
  ];
  for (const { rank, row, view } of rows) {
    const contributions = topContributions(result, row);
    out.push(
      `${String(rank).padStart(widths[0])}  ${safeCell(view.user)} on ${safeCell(view.date)}${view.anomaly ? style.red('  [flagged]') : ''}`,
    );
    if (contributions.length === 0) {
      out.push(
        style.dim(
          Number.isNaN(result.shap[0]?.[row])
            ? '      not explained (use --explain all)'
            : '      no feature pushed it toward anomalous',
        ),
      );
    }
    for (const c of contributions) out.push(`      ${c.shap.toFixed(3).padStart(7)}  ${safeCell(c.text)}`);
  }
  return `${out.join('\n')}\n`;
}
