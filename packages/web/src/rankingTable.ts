import { fmt, type HuntReport, type UserDayResult } from '@isoforest/report/browser';
import { userDayKey } from './userDays.js';

/** Rows the table shows at first, and how many more each "show more" adds. */
export const TABLE_PAGE = 100;

/** An element with text content only: data strings never become markup. */
export function el<K extends keyof HTMLElementTagNameMap>(
  tag: K,
  className = '',
  text?: string,
): HTMLElementTagNameMap[K] {
  const node = document.createElement(tag);
  if (className) node.className = className;
  if (text !== undefined) node.textContent = text;
  return node;
}

function contributions(report: HuntReport, row: UserDayResult): HTMLUListElement {
  const list = el('ul', 'contribs');
  if (row.contributions === undefined) list.append(el('li', '', 'not explained'));
  else if (row.contributions.length === 0) list.append(el('li', '', 'none'));
  for (const c of row.contributions ?? []) {
    const value = row.features[report.featureNames.indexOf(c.feature)];
    const li = el('li', '', `${c.feature} = ${fmt(value)} `);
    li.dataset.feature = c.feature;
    li.title = `${c.feature}: SHAP ${c.shap} (path-length units)`;
    li.append(el('span', 'neg', fmt(c.shap)));
    list.append(li);
  }
  return list;
}

/** What the table reports back: a row chosen (click, Enter or Space) or pinned. */
export interface TableEvents {
  select(row: UserDayResult): void;
  togglePin(row: UserDayResult): void;
}

/**
 * One ranked row: rank, date, domain, user, score (every digit in its title), flag, top contributions and a pin
 * toggle. The row is focusable and chosen with a click, Enter or Space, so the table works from the keyboard.
 */
export function tableRow(
  report: HuntReport,
  row: UserDayResult,
  rank: number,
  pinned: boolean,
  selected: boolean,
  on: TableEvents,
): HTMLTableRowElement {
  const tr = el('tr', row.anomaly ? 'outlier' : 'inlier');
  tr.tabIndex = 0;
  tr.dataset.rank = String(rank);
  tr.dataset.key = userDayKey(row);
  tr.setAttribute('aria-selected', String(selected));
  const flag = el('td');
  flag.append(el('span', row.anomaly ? 'flag yes' : 'flag no', row.anomaly ? 'outlier' : 'inlier'));
  const why = el('td');
  why.append(contributions(report, row));
  const score = el('td', 'num', row.score.toFixed(4));
  score.title = `score ${row.score}`;
  const pin = el('button', 'pin', pinned ? 'unpin' : 'pin');
  pin.type = 'button';
  pin.setAttribute('aria-pressed', String(pinned));
  pin.setAttribute('aria-label', `${pinned ? 'unpin' : 'pin'} ${row.user} on ${row.date}`);
  pin.addEventListener('click', (e) => {
    e.stopPropagation();
    on.togglePin(row);
  });
  const pinCell = el('td');
  pinCell.append(pin);
  tr.append(
    el('td', 'num', String(rank)),
    el('td', '', row.date),
    el('td', '', row.domain),
    el('td', 'user', row.user),
    score,
    flag,
    why,
    pinCell,
  );
  tr.addEventListener('click', () => on.select(row));
  tr.addEventListener('keydown', (e) => {
    if (e.target === tr && (e.key === 'Enter' || e.key === ' ')) {
      e.preventDefault();
      on.select(row);
    }
  });
  return tr;
}

/** The pinned user-days side by side: one column per user-day, one row per model feature and its SHAP value. */
export function pinnedTable(report: HuntReport, rows: readonly UserDayResult[]): HTMLTableElement {
  const table = el('table', 'pinned');
  const head = el('tr');
  head.append(el('th', '', 'feature'));
  for (const r of rows) head.append(el('th', '', `${r.user} @ ${r.domain}, ${r.date}`));
  const line = (label: string, cell: (r: UserDayResult) => string) => {
    const tr = el('tr');
    tr.append(el('th', '', label));
    for (const r of rows) tr.append(el('td', 'num', cell(r)));
    return tr;
  };
  const body = el('tbody');
  body.append(
    line('score', (r) => r.score.toFixed(4)),
    line('flagged', (r) => (r.anomaly ? 'yes' : 'no')),
  );
  report.featureNames.forEach((name, j) => {
    body.append(line(name, (r) => (r.shap ? `${fmt(r.features[j])} (SHAP ${fmt(r.shap[j])})` : fmt(r.features[j]))));
  });
  const thead = el('thead');
  thead.append(head);
  table.append(thead, body);
  return table;
}
