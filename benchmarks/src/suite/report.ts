// The run as Markdown (stdout and results.md) and JSON (results.json).
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { RatioRow, ResultRow } from './cell.js';
import type { Budget, Plan } from './grid.js';
import { loadLine, machineLine, type Load, type Machine } from './machine.js';

/** Targets from the project's issue tracker, and the outside figures they were set against (quoted, not measured here). */
export const TARGETS = {
  scoreRowsPerSecond: 600_000,
  scoreVsReference: 2,
  explainRowsPerSecond: 10_000,
  quoted:
    "scikit-learn scores ~74k rows/s on this kind of machine; shap's C++ TreeSHAP ~2,075 rows/s (100 trees x 256), ~1,100 on the notebook's 294-tree forest",
};

/** A target of the issue tracker checked against a run's figures. */
export interface TargetCheck {
  readonly target: string;
  readonly wall: string;
  readonly cpu: string;
  readonly verdict: string;
}

/** A whole comparison run: what results.json holds and the Markdown report shows. */
export interface ComparisonRun {
  readonly title: string;
  readonly command: string | undefined;
  readonly machine: Machine;
  readonly startedAt: string;
  readonly seconds: number;
  readonly loadBefore: Load;
  readonly loadAfter: Load;
  readonly plan: Plan;
  readonly budget: Budget;
  readonly data: string;
  readonly results: readonly ResultRow[];
  readonly ratios: readonly RatioRow[];
  readonly targets: readonly TargetCheck[];
  readonly notes: readonly string[];
}

const int = (x: number | null | undefined) =>
  x === null || x === undefined || !Number.isFinite(x) ? '-' : Math.round(x).toLocaleString('en-US');
const fixed = (x: number | null | undefined, digits: number) =>
  x === null || x === undefined || !Number.isFinite(x) ? '-' : x.toFixed(digits);

function table(header: readonly string[], rows: readonly (readonly (string | number)[])[]): string {
  const line = (cells: readonly (string | number)[]) => `| ${cells.join(' | ')} |`;
  return [line(header), line(header.map(() => '---')), ...rows.map(line)].join('\n');
}

function threadsCell(result: ResultRow): string {
  return result.threads === 1 ? '1' : `${result.threads} (all)`;
}

/** The whole report as Markdown. */
export function toMarkdown(run: ComparisonRun): string {
  const { machine } = run;
  const parts = [
    `## isoforest benchmark: ${run.title}`,
    '',
    `- machine: ${machineLine(machine)}`,
    `- command: \`${run.command}\``,
    `- data: ${run.data}`,
    `- load before: ${loadLine(run.loadBefore)}`,
    `- load after: ${loadLine(run.loadAfter)}`,
    `- started ${run.startedAt}, took ${Math.round(run.seconds)} s; ${run.budget.rounds} interleaved rounds per measurement`,
    '',
    'rows/s = rows processed per second of wall clock at the median call; p25-p75 = the interquartile range of the',
    'calls; ±rme = relative margin of error of the mean (95%); CPU rows/s = the same at the median process CPU time',
    '(one-thread rows only); n = timed calls.',
  ];
  for (const task of ['fit', 'score', 'explain']) {
    const rows = run.results.filter((r) => r.task === task);
    if (rows.length === 0) continue;
    parts.push('', `### ${task}`, '');
    parts.push(
      table(
        [
          'rows',
          'trees',
          'max_samples',
          'implementation',
          'threads',
          'rows/call',
          'rows/s (median)',
          'p25-p75',
          '±rme',
          'CPU rows/s',
          'ms/call',
          'n',
        ],
        rows.map((r) => [
          int(r.rows),
          r.trees,
          r.maxSamples,
          r.impl,
          threadsCell(r),
          int(r.rowsPerCall),
          `**${int(r.rowsPerSecond.median)}**`,
          `${int(r.rowsPerSecond.p25)}-${int(r.rowsPerSecond.p75)}`,
          `${fixed(r.rowsPerSecond.rme, 1)}%`,
          int(r.cpuRowsPerSecond),
          fixed(r.msPerCall.median, r.msPerCall.median < 10 ? 2 : 0),
          r.samples,
        ]),
      ),
    );
  }
  if (run.ratios.length > 0) {
    parts.push('', '### ratios (measured side by side, interleaved, in this run)', '');
    parts.push(
      table(
        ['task', 'rows', 'trees', 'max_samples', 'ratio', 'x (medians)', 'per-round range', 'x (CPU time)'],
        run.ratios.map((r) => [
          r.task,
          int(r.rows),
          r.trees,
          r.maxSamples,
          `${r.numerator} / ${r.denominator}`,
          `**${fixed(r.wall, 2)}**`,
          `${fixed(r.roundMin, 2)}-${fixed(r.roundMax, 2)}`,
          fixed(r.cpu, 2),
        ]),
      ),
    );
  }
  if (run.targets.length > 0) {
    parts.push('', '### targets', '');
    parts.push(
      table(
        ['target', 'measured (wall clock)', 'measured (CPU time)', 'verdict'],
        run.targets.map((t) => [t.target, t.wall, t.cpu, t.verdict]),
      ),
    );
    parts.push('', `Outside figures the targets were set against (quoted, not measured here): ${TARGETS.quoted}.`);
  }
  if (run.notes.length > 0) {
    parts.push('', '### notes', '', ...[...new Set(run.notes)].map((note) => `- ${note}`));
  }
  return `${parts.join('\n')}\n`;
}

/** Writes results.md and results.json into `dir` (created if missing); returns their paths. */
export function writeResults(dir: string, run: ComparisonRun): { md: string; json: string } {
  mkdirSync(dir, { recursive: true });
  const md = join(dir, 'results.md');
  const json = join(dir, 'results.json');
  writeFileSync(md, toMarkdown(run));
  writeFileSync(json, `${JSON.stringify(run, null, 2)}\n`);
  return { md, json };
}
