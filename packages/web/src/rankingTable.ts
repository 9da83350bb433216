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

/** Keys that move the focus between ranked rows, and where each moves it from `tr`. */
const ROW_KEYS: Record<string, (tr: HTMLTableRowElement) => Element | null> = {
  ArrowDown: (tr) => tr.nextElementSibling,
  ArrowUp: (tr) => tr.previousElementSibling,
  Home: (tr) => tr.parentElement!.firstElementChild,
  End: (tr) => tr.parentElement!.lastElementChild,
};

/**
 * Makes `tr` the ranked table's one tab stop (a roving tab index: Tab enters the table at this row and leaves it
 * at the next control, rather than stepping through every row).
 */
export function makeTabStop(tr: HTMLTableRowElement): void {
  for (const row of tr.parentElement?.children ?? []) (row as HTMLElement).tabIndex = -1;
  tr.tabIndex = 0;
}

/**
 * One ranked row: rank, date, domain, user, score (every digit in its title), flag, top contributions and a pin
 * toggle. A click, or Enter or Space on the focused row, chooses it; P pins it; the arrow keys, Home and End move
 * between rows, so the table works from the keyboard.
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
  tr.tabIndex = -1;
  tr.dataset.rank = String(rank);
  tr.dataset.key = userDayKey(row);
  tr.setAttribute('aria-selected', String(selected));
  tr.setAttribute('aria-keyshortcuts', 'Enter P');
  const flag = el('td');
  flag.append(el('span', row.anomaly ? 'flag yes' : 'flag no', row.anomaly ? 'outlier' : 'inlier'));
  const why = el('td');
  why.append(contributions(report, row));
  const score = el('td', 'num', row.score.toFixed(4));
  score.title = `score ${row.score}`;
  const pin = el('button', 'pin', pinned ? 'unpin' : 'pin');
  pin.type = 'button';
  // Not a tab stop of its own (a hundred rows would be a hundred stops): P on the focused row presses it.
  pin.tabIndex = -1;
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
  tr.addEventListener('click', () => {
    makeTabStop(tr);
    on.select(row);
  });
  tr.addEventListener('keydown', (e) => {
    if (e.target !== tr) return;
    const target = ROW_KEYS[e.key]?.(tr);
    if (e.key === 'Enter' || e.key === ' ') on.select(row);
    else if (e.key === 'p' || e.key === 'P') on.togglePin(row);
    else if (target instanceof HTMLTableRowElement) {
      makeTabStop(target);
      target.focus();
    } else return;
    e.preventDefault();
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
