import { fnv1a32, groupThousands } from '@isoforest/common';
import { escapeHtml } from './escape.js';

/** Logons of one value of a field (a source IP, a workstation, ...), split by outcome. */
export interface DrillDownCount {
  readonly value: string;
  readonly successes: number;
  readonly failures: number;
}

/**
 * The raw logons behind one flagged user-day (the shape of `@isoforest/ingest`'s `UserDayDrillDown`, restated here
 * so the report does not depend on the readers): where they came from, what they reached, why failures failed, when.
 */
export interface UserDayDrillDown {
  readonly key: { readonly domain: string; readonly user: string; readonly dayMs: number };
  readonly successes: number;
  readonly failures: number;
  readonly firstSeenMs: number | null;
  readonly lastSeenMs: number | null;
  readonly bySourceIp: readonly DrillDownCount[];
  readonly byWorkstation: readonly DrillDownCount[];
  readonly byComputer: readonly DrillDownCount[];
  readonly byAuthenticationPackage: readonly DrillDownCount[];
  readonly failureReasons: readonly { readonly code: string; readonly reason: string; readonly count: number }[];
  readonly hours: readonly { readonly hour: number; readonly successes: number; readonly failures: number }[];
}

const UTF8 = new TextEncoder();

/** Values shown per breakdown table; the rest are counted. */
const TOP_VALUES = 10;

/** The anchor of a user-day's drill-down, which the ranked table links to. */
export function drillDownId(date: string, domain: string, user: string): string {
  // Data cannot reach the id unescaped: it is a hash of the key, not the key.
  const h = fnv1a32(UTF8.encode(`${date}\u0000${domain}\u0000${user}`));
  return `drilldown-${h.toString(16).padStart(8, '0')}`;
}

const n = groupThousands;

function countsTable(title: string, counts: readonly DrillDownCount[]): string {
  if (counts.length === 0) return '';
  const rows = counts
    .slice(0, TOP_VALUES)
    .map(
      (c) =>
        `<tr><td>${escapeHtml(c.value)}</td><td class="num">${n(c.successes)}</td><td class="num">${n(c.failures)}</td></tr>`,
    )
    .join('');
  const more =
    counts.length > TOP_VALUES
      ? `<tr><td colspan="3" class="note">and ${n(counts.length - TOP_VALUES)} more</td></tr>`
      : '';
  return (
    `<div class="table-scroll"><table class="drill"><thead><tr><th>${title}</th><th class="num">successes</th>` +
    `<th class="num">failures</th></tr></thead><tbody>${rows}${more}</tbody></table></div>`
  );
}

/**
 * The hour-by-hour timeline as an inline SVG of stacked bars (failures on successes), scaled to the busiest hour:
 * attributes, not inline styles, so the report's Content-Security-Policy needs no exception for it.
 */
function timeline(d: UserDayDrillDown): string {
  const busiest = Math.max(1, ...d.hours.map((h) => h.successes + h.failures));
  const height = 60;
  const bars = d.hours
    .map((h) => {
      const ok = (height * h.successes) / busiest;
      const fail = (height * h.failures) / busiest;
      const x = h.hour * 20 + 2;
      const label = `${String(h.hour).padStart(2, '0')}:00 UTC: ${n(h.successes)} successful, ${n(h.failures)} failed`;
      return (
        `<g><title>${label}</title>` +
        `<rect class="ok" x="${x}" y="${(height - ok).toFixed(2)}" width="16" height="${ok.toFixed(2)}"></rect>` +
        `<rect class="fail" x="${x}" y="${(height - ok - fail).toFixed(2)}" width="16" height="${fail.toFixed(2)}"></rect></g>`
      );
    })
    .join('');
  return (
    `<svg class="timeline" viewBox="0 0 480 ${height}" role="img" aria-label="Logons per hour, UTC">${bars}</svg>` +
    `<p class="note">Hour by hour (UTC, 00 to 23): <span class="pos">successful</span> and <span class="neg">failed</span> logons.</p>`
  );
}

function clock(ms: number | null): string {
  return ms === null ? '-' : new Date(ms).toISOString().slice(11, 19);
}

function oneDrillDown(d: UserDayDrillDown): string {
  const date = new Date(d.key.dayMs).toISOString().slice(0, 10);
  const reasons = d.failureReasons.length
    ? `<h4>Failures by reason</h4><ul class="reasons">${d.failureReasons
        .map(
          (r) =>
            `<li><b>${n(r.count)}</b> ${escapeHtml(r.reason)}${r.code === '-' ? '' : ` <span class="note">(${escapeHtml(r.code)})</span>`}</li>`,
        )
        .join('')}</ul>`
    : '';
  return (
    `<article class="drilldown" id="${drillDownId(date, d.key.domain, d.key.user)}">` +
    `<h3>${escapeHtml(d.key.domain)}\\${escapeHtml(d.key.user)} on ${escapeHtml(date)}</h3>` +
    `<p>${n(d.successes)} successful and ${n(d.failures)} failed network logons; first at ${clock(d.firstSeenMs)}, last at ${clock(d.lastSeenMs)} UTC.</p>` +
    reasons +
    timeline(d) +
    `<div class="grid2">${countsTable('Source IP', d.bySourceIp)}${countsTable('Workstation', d.byWorkstation)}` +
    `${countsTable('Computer', d.byComputer)}${countsTable('Authentication package', d.byAuthenticationPackage)}</div>` +
    `</article>`
  );
}

/** The section of drill-downs, one per flagged user-day whose raw events the hunt's source holds. */
export function drillDownSection(drillDowns: readonly UserDayDrillDown[]): string {
  const intro =
    "The raw 4624/4625 network logons behind each flagged user-day, read from the hunt's source: where they came from, " +
    'what they reached, why the failures failed (4625 SubStatus, or Status), and when.';
  return `<section id="drilldowns"><h2>Flagged user-days: the raw logons</h2><p>${intro}</p>${drillDowns.map(oneDrillDown).join('\n')}</section>`;
}
