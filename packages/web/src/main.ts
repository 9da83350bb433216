import type { InputReport } from '@isoforest/ingest/browser';
import { renderHuntReportHtml, summarySection, type HuntReport, type UserDayResult } from '@isoforest/report/browser';
import { drawReportCharts, drawTimeline, drawWaterfall } from './charts.js';
import { download } from './download.js';
import HuntWorker from './huntWorker.ts?worker&inline';
import { readFiles } from './intake.js';
import {
  DEFAULT_PARAMS,
  paramsFromFragment,
  paramsToFragment,
  paramsToRaw,
  parseParams,
  type HuntParams,
} from './params.js';
import type { HuntOutcome, WorkerReply, WorkerRequest } from './protocol.js';
import { PLOTLY_TEXT } from './plotly.js';
import { el, makeTabStop, pinnedTable, TABLE_PAGE, tableRow } from './rankingTable.js';
import { threadCount } from './threadCount.js';
import { filterRows, flaggedChanges, userDayKey, type RankingFilter } from './userDays.js';

/**
 * The page's controller. `<body data-state>` is idle, reading, working, done or error; `data-run` counts finished
 * hunts and `data-charts` names the charts drawn, so a person (by the styling) and a test can tell where the page
 * is. Files are read with the File API and processed in this page's workers: nothing is uploaded.
 */
const body = document.body;
const $ = <T extends HTMLElement = HTMLElement>(id: string) => document.getElementById(id) as T;
const status = $('status');
const progress = $<HTMLProgressElement>('progress');
const form = $<HTMLFormElement>('params');
const filters = $<HTMLFormElement>('filters');

type State = 'reading' | 'working' | 'done' | 'error';
function setState(state: State, message: string): void {
  body.dataset.state = state;
  status.textContent = message;
}
const errorText = (error: unknown) => (error instanceof Error ? error.message : String(error));

/** The user-day table of the files read last (Arrow IPC bytes), and where it came from. */
let data: { table: Uint8Array; source: string } | null = null;
/** The worker of the current hunt: kept after it finishes, to explain rows on demand; replaced by the next hunt. */
let current: { worker: Worker; run: number; finished: boolean } | null = null;
let runs = 0;
let outcome: HuntOutcome | null = null;
let params: HuntParams = DEFAULT_PARAMS;
let selectedKey: string | null = null;
const pinned = new Set<string>();
let shownRows = TABLE_PAGE;

/**
 * A hunt worker, started from code inlined into the page (a classic worker from a blob URL): a page opened from
 * `file://` may not start workers from script URLs.
 */
function startWorker(): Worker {
  return new HuntWorker();
}

/** Replies that report on a request still running. */
type Update = Extract<WorkerReply, { kind: 'progress' | 'fitting' }>;

/** Sends one request to `worker` and resolves with its final reply; progress and fitting replies go to `onUpdate`. */
function ask(worker: Worker, request: WorkerRequest, onUpdate?: (update: Update) => void): Promise<WorkerReply> {
  return new Promise((resolve, reject) => {
    const onMessage = (event: MessageEvent<WorkerReply>) => {
      const reply = event.data;
      if (reply.kind === 'progress' || reply.kind === 'fitting') return onUpdate?.(reply);
      worker.removeEventListener('message', onMessage);
      if (reply.kind === 'error') reject(new Error(reply.message));
      else resolve(reply);
    };
    worker.addEventListener('message', onMessage);
    worker.addEventListener(
      'error',
      (e) => reject(new Error(`the page's worker failed: ${e.message || 'it could not load or crashed'}`)),
      { once: true },
    );
    worker.postMessage(request);
  });
}

async function takeFiles(files: readonly File[]): Promise<void> {
  if (files.length === 0) return;
  stopCurrent();
  const names = files.map((f) => f.name).join(', ');
  const reader = startWorker();
  try {
    progress.hidden = false;
    progress.value = 0;
    setState('reading', `Reading ${names} ...`);
    const inMemory = await readFiles(files, (read, total) => {
      // Bytes read take the first half of the bar, parsing the files the second.
      progress.value = total === 0 ? 0.5 : (0.5 * read) / total;
    });
    setState('reading', `Parsing ${names} ...`);
    const reply = await ask(reader, { kind: 'read', files: inMemory }, (update) => {
      if (update.kind === 'progress') progress.value = 0.5 + (0.5 * update.done) / update.total;
    });
    if (reply.kind !== 'read') throw new Error(`unexpected reply ${reply.kind}`);
    data = { table: reply.table, source: names };
    const { stats } = reply;
    const rejected = stats.rowsRejected > 0 ? `, ${stats.rowsRejected.toLocaleString('en-US')} rejected` : '';
    status.dataset.read = `${stats.rowsRead} records read, ${reply.rows} user-days${rejected}`;
    showInputs(reply.inputs);
    outcome = null;
    selectedKey = null;
    pinned.clear();
    await hunt();
  } catch (error) {
    $('workbench').hidden = true;
    setState('error', errorText(error));
  } finally {
    reader.terminate();
    progress.hidden = true;
  }
}

/**
 * Ends the current hunt's worker. A run that had not finished is cancelled: `<body data-cancelled>` lists such runs,
 * so that a test can tell a superseded run was stopped, not merely outrun.
 */
function stopCurrent(): void {
  if (current === null) return;
  current.worker.terminate();
  if (!current.finished) body.dataset.cancelled = `${body.dataset.cancelled ?? ''} ${current.run}`.trim();
  current = null;
}

/** Hunts the current data with the current parameters; a newer call cancels this one (its worker is terminated). */
async function hunt(): Promise<void> {
  if (data === null) return;
  stopCurrent();
  const run = ++runs;
  const worker = startWorker();
  current = { worker, run, finished: false };
  const threads = threadCount(location.search, navigator.hardwareConcurrency);
  setState('working', `Hunting ${data.source} ...`);
  let reply: WorkerReply;
  try {
    // `data-fitting` names the run whose worker is fitting (a run cancelled from then on stops real work).
    const request: WorkerRequest = { kind: 'hunt', table: data.table, params, threads, source: data.source };
    reply = await ask(worker, request, () => (body.dataset.fitting = String(run)));
  } catch (error) {
    if (current?.run === run) setState('error', errorText(error));
    return;
  }
  if (current?.run !== run || reply.kind !== 'hunted') return;
  current.finished = true;
  const previous = outcome;
  outcome = reply.hunt;
  await show(outcome, previous);
  // A newer run may have started while the charts were drawn: this one's status is stale.
  if (current?.run !== run) return;
  const { report, seconds, threads: used } = outcome;
  body.dataset.run = String(run);
  setState(
    'done',
    `Done in ${seconds.toFixed(2)} s on ${used} thread${used === 1 ? '' : 's'}: ${report.counts.outliers} outlier${report.counts.outliers === 1 ? '' : 's'} among ` +
      `${report.rows.length.toLocaleString('en-US')} user-days (${status.dataset.read}).`,
  );
}

/** What each event input held (`logs.zip!day1/security.xml: XML events, 120 records`) or why it was skipped. */
function showInputs(inputs: readonly InputReport[]): void {
  const list = $('inputs');
  list.replaceChildren(
    ...inputs.map((r) =>
      el(
        'li',
        '',
        `${r.label}: ${r.format === null ? `skipped (${r.skipped ?? 'not read'})` : `${r.format}, ${r.records.toLocaleString('en-US')} records`}`,
      ),
    ),
  );
  list.hidden = inputs.length === 0;
}

async function show(hunted: HuntOutcome, previous: HuntOutcome | null): Promise<void> {
  const { report } = hunted;
  $('workbench').hidden = false;
  // The report's own summary markup (every data string escaped by the report's code).
  $('summary-slot').innerHTML = summarySection(report);
  showFeatureChoices(hunted.numericColumns);
  showChanges(previous, report);
  renderTable();
  renderPinned();
  await drawReportCharts(report);
  const selected = report.rows.find((r) => userDayKey(r) === selectedKey) ?? report.rows[0];
  if (selected) await select(selected);
}

function showChanges(previous: HuntOutcome | null, report: HuntReport): void {
  const changes = $('changes');
  changes.replaceChildren();
  if (previous === null) return;
  const { entered, left } = flaggedChanges(previous.report.rows, report.rows);
  const list = (label: string, rows: readonly UserDayResult[], id: string) => {
    const p = el('span', 'change');
    p.id = id;
    p.append(`${label} (${rows.length}): `);
    rows.forEach((r, i) => {
      const item = el('span', 'change-item', `${r.user} @ ${r.domain}, ${r.date}`);
      item.dataset.key = userDayKey(r);
      p.append(...(i > 0 ? [', '] : []), item);
    });
    return p;
  };
  changes.append(list('entered the flagged set', entered, 'entered'), el('br'), list('left it', left, 'left'));
}

function currentFilter(): RankingFilter {
  const f = new FormData(filters);
  const text = (name: string) => String(f.get(name) ?? '');
  return {
    user: text('user'),
    domain: text('domain'),
    from: text('from'),
    to: text('to'),
    flaggedOnly: f.get('flaggedOnly') !== null,
  };
}

function renderTable(): void {
  if (outcome === null) return;
  const { report } = outcome;
  const ranks = new Map(report.rows.map((r, i) => [r, i + 1]));
  const rows = filterRows(report.rows, currentFilter());
  const shown = rows.slice(0, Math.max(shownRows, report.counts.outliers));
  const events = { select: (r: UserDayResult) => void select(r), togglePin };
  const tbody = $('ranked').querySelector('tbody')!;
  // A row focused before the redraw (P pins it, which redraws) keeps the focus after it.
  const focused = tbody.contains(document.activeElement) ? (document.activeElement as HTMLElement).dataset.key : null;
  tbody.replaceChildren(
    ...shown.map((r) =>
      tableRow(report, r, ranks.get(r)!, pinned.has(userDayKey(r)), userDayKey(r) === selectedKey, events),
    ),
  );
  const rowsShown = [...tbody.querySelectorAll('tr')];
  const stop =
    rowsShown.find((tr) => tr.dataset.key === focused) ??
    rowsShown.find((tr) => tr.getAttribute('aria-selected') === 'true') ??
    rowsShown[0];
  if (stop !== undefined) makeTabStop(stop);
  if (focused !== null && stop?.dataset.key === focused) stop.focus();
  $('table-note').textContent =
    `${shown.length.toLocaleString('en-US')} of ${rows.length.toLocaleString('en-US')} matching user-days shown (${report.rows.length.toLocaleString('en-US')} ranked). Choose a row for its waterfall and timeline (keys: Tab to the table, arrows to move, Enter to choose, P to pin).`;
  $('more-rows').hidden = shown.length >= rows.length;
}

function togglePin(row: UserDayResult): void {
  const key = userDayKey(row);
  if (!pinned.delete(key)) pinned.add(key);
  renderTable();
  renderPinned();
}

function renderPinned(): void {
  if (outcome === null) return;
  const rows = outcome.report.rows.filter((r) => pinned.has(userDayKey(r)));
  $('pinned').hidden = rows.length === 0;
  $('pinned-table').replaceWith(Object.assign(pinnedTable(outcome.report, rows), { id: 'pinned-table' }));
}

/** Shows the waterfall and the timeline of `row`, explaining it first if the explain scope left it out. */
async function select(row: UserDayResult): Promise<void> {
  if (outcome === null || current === null) return;
  const { report } = outcome;
  selectedKey = userDayKey(row);
  for (const tr of $('ranked').querySelectorAll('tbody tr'))
    tr.setAttribute('aria-selected', String((tr as HTMLElement).dataset.key === selectedKey));
  let explained = row;
  if (row.shap === undefined) {
    const rank = report.rows.indexOf(row);
    const reply = await ask(current.worker, { kind: 'explain', rank });
    if (reply.kind !== 'explained') return;
    explained = reply.row;
    (report.rows as UserDayResult[])[rank] = explained;
  }
  await Promise.all([drawWaterfall(report, explained), drawTimeline(report, explained)]);
  // Set once both charts show this row: a test waits on it.
  body.dataset.selected = userDayKey(explained);
}

/** The checkboxes of the numeric columns, ticked for the features of the current parameters. */
function showFeatureChoices(columns: readonly string[]): void {
  const list = $('feature-list');
  const known = [...list.querySelectorAll('input')].map((i) => i.value);
  if (known.join() !== columns.join()) {
    list.replaceChildren(
      ...columns.map((name) => {
        const label = el('label', 'check');
        const box = el('input');
        box.type = 'checkbox';
        box.name = 'feature';
        box.value = name;
        label.append(box, ` ${name}`);
        return label;
      }),
    );
  }
  for (const box of list.querySelectorAll('input')) box.checked = params.features.includes(box.value);
}

/** Fills the form from `params`. */
function showParams(): void {
  const raw = paramsToRaw(params);
  for (const [name, value] of Object.entries(raw)) {
    const input = form.elements.namedItem(name);
    if (input instanceof HTMLInputElement || input instanceof HTMLSelectElement) input.value = value;
  }
  const slider = $<HTMLInputElement>('contamination');
  slider.disabled = params.contamination === 'auto';
  $('contamination-shown').textContent = String(params.contamination);
  for (const box of $('feature-list').querySelectorAll('input')) box.checked = params.features.includes(box.value);
}

/** Reads the form; on a valid change, re-hunts at once (cancelling a hunt still running). */
function paramsChanged(): void {
  const f = new FormData(form);
  // The forest draws its splits over the features in their order: keep the current order, append new ones.
  const checked = new Set(f.getAll('feature').map(String));
  const features = [
    ...params.features.filter((x) => checked.has(x)),
    ...[...checked].filter((x) => !params.features.includes(x)),
  ];
  try {
    const next = parseParams({
      contamination: String(f.get('contamination') ?? params.contamination),
      trees: String(f.get('trees') ?? ''),
      maxSamples: String(f.get('maxSamples') ?? ''),
      maxFeatures: String(f.get('maxFeatures') ?? ''),
      seed: String(f.get('seed') ?? ''),
      explain: String(f.get('explain') ?? ''),
      features: features.join(','),
    });
    if (features.length === 0) throw new Error('choose at least one feature');
    // A slider's release repeats the value its last move already hunted with.
    if (paramsToFragment(next) === paramsToFragment(params) && body.dataset.state !== 'error') return;
    params = next;
  } catch (error) {
    setState('error', errorText(error));
    return;
  }
  $('contamination-shown').textContent = String(params.contamination);
  void hunt();
}

function exportReport(): void {
  if (outcome === null) return;
  // The report inlines the same plotly.js text the page draws with.
  download('report.html', renderHuntReportHtml(outcome.report, PLOTLY_TEXT), 'text/html');
}

function exportLink(): void {
  const fragment = paramsToFragment(params);
  history.replaceState(null, '', `#${fragment}`);
  const url = location.href;
  void navigator.clipboard?.writeText(url).catch(() => undefined);
  status.textContent = `This page's address now restores these parameters: ${url}`;
}

try {
  params = paramsFromFragment(location.hash);
} catch (error) {
  setState('error', `URL fragment: ${errorText(error)}`);
}
showParams();

const input = $<HTMLInputElement>('file-input');
input.addEventListener('change', () => void takeFiles([...(input.files ?? [])]));
const drop = $('drop-zone');
for (const type of ['dragenter', 'dragover'] as const) {
  drop.addEventListener(type, (e) => {
    e.preventDefault();
    drop.classList.add('over');
  });
}
drop.addEventListener('dragleave', () => drop.classList.remove('over'));
drop.addEventListener('drop', (e) => {
  e.preventDefault();
  drop.classList.remove('over');
  void takeFiles([...(e.dataTransfer?.files ?? [])]);
});

form.addEventListener('change', paramsChanged);
$('contamination').addEventListener('input', paramsChanged);
form.addEventListener('submit', (e) => e.preventDefault());
$('notebook-features').addEventListener('click', () => {
  params = { ...params, features: DEFAULT_PARAMS.features };
  showParams();
  void hunt();
});
filters.addEventListener('input', () => {
  shownRows = TABLE_PAGE;
  renderTable();
});
filters.addEventListener('submit', (e) => e.preventDefault());
$('more-rows').addEventListener('click', () => {
  shownRows += TABLE_PAGE;
  renderTable();
});
$('export-report').addEventListener('click', exportReport);
$('export-outliers').addEventListener(
  'click',
  () => outcome && download('outliers.csv', outcome.outliersCsv, 'text/csv'),
);
$('export-scores').addEventListener('click', () => outcome && download('scores.csv', outcome.scoresCsv, 'text/csv'));
$('export-model').addEventListener(
  'click',
  () => outcome && download('model.isoforest', outcome.model as BlobPart, 'application/octet-stream'),
);
$('export-link').addEventListener('click', exportLink);
body.dataset.ready = 'true';
