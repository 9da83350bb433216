import { formatIsoDate, type UserDayDrillDown, type ValueCount } from '@isoforest/ingest';
import type { Style } from '../terminal/style.js';
import { safeCell } from '../terminal/safeText.js';
import { groupThousands } from '@isoforest/common';

const number = groupThousands;

function clock(ms: number): string {
  return new Date(ms).toISOString().slice(11, 23);
}

/** One breakdown as a table, the `top` values with most logons, then how many more there are. */
function valueTable(title: string, counts: readonly ValueCount[], top: number, style: Style): string[] {
  if (counts.length === 0) return [];
  const shown = counts.slice(0, top);
  const names = shown.map((c) => safeCell(c.value));
  const width = Math.max(title.length, ...names.map((n) => n.length));
  const lines = [style.bold(`${title.padEnd(width)}  ${'successes'.padStart(9)}  ${'failures'.padStart(9)}`)];
  shown.forEach((c, k) =>
    lines.push(`${names[k]!.padEnd(width)}  ${number(c.successes).padStart(9)}  ${number(c.failures).padStart(9)}`),
  );
  if (counts.length > shown.length)
    lines.push(style.dim(`... and ${number(counts.length - shown.length)} more (--top N, or --json for all)`));
  return [...lines, ''];
}

/** The hour-by-hour timeline, one line an hour with a bar scaled to the busiest hour. */
function timeline(drillDown: UserDayDrillDown, style: Style): string[] {
  const busiest = Math.max(1, ...drillDown.hours.map((h) => h.successes + h.failures));
  const width = 40;
  const lines = [style.bold('Hour (UTC)  successes  failures')];
  for (const h of drillDown.hours) {
    const s = Math.round((h.successes / busiest) * width);
    const f = Math.round((h.failures / busiest) * width);
    const bar = `${'#'.repeat(s)}${style.red('x'.repeat(f))}`;
    lines.push(
      `${String(h.hour).padStart(2, '0')}:00       ${number(h.successes).padStart(9)}  ${number(h.failures).padStart(8)}  ${bar}`.trimEnd(),
    );
  }
  return [...lines, style.dim('# successful, x failed logons'), ''];
}

/** What `isoforest investigate` prints: the user-day, its failures by reason, where logons came from, and when. */
export function drillDownText(drillDown: UserDayDrillDown, top: number, style: Style): string {
  const { key } = drillDown;
  const account = safeCell(`${key.domain}\\${key.user}`);
  const out = [
    style.bold(`${account} on ${formatIsoDate(key.dayMs)} (logon type ${drillDown.logonType}, times in UTC)`),
  ];
  if (drillDown.firstSeenMs === null || drillDown.lastSeenMs === null) {
    out.push('No 4624 or 4625 event of this user-day in the source.');
    return `${out.join('\n')}\n`;
  }
  out.push(
    `${number(drillDown.successes)} successful and ${number(drillDown.failures)} failed logons; ` +
      `first seen ${clock(drillDown.firstSeenMs)}, last seen ${clock(drillDown.lastSeenMs)}`,
    '',
  );
  if (drillDown.failureReasons.length > 0) {
    out.push(style.bold('Failures by reason'));
    for (const r of drillDown.failureReasons) {
      out.push(`${number(r.count).padStart(9)}  ${r.reason}${r.code === '-' ? '' : style.dim(` (${r.code})`)}`);
    }
    out.push('');
  }
  out.push(
    ...valueTable('Source IP', drillDown.bySourceIp, top, style),
    ...valueTable('Workstation', drillDown.byWorkstation, top, style),
    ...valueTable('Computer', drillDown.byComputer, top, style),
    ...valueTable('Authentication package', drillDown.byAuthenticationPackage, top, style),
    ...timeline(drillDown, style),
  );
  return `${out.join('\n')}`;
}
