import { maxSamplesLabel, type TuneSetting } from './grid.js';
import type { MeanStd } from './metrics/summary.js';
import type { SettingResult, TuneMetric, TuneReport } from './result.js';
import { groupThousands } from '@isoforest/common';

/** The `format` field of a JSON tuning report. */
export const TUNE_REPORT_FORMAT = 'isoforest-tune-report';
/**
 * The version of the JSON tuning report; it changes when a field changes meaning or goes away. 2: a setting's
 * `maxSamples` may be `{ "count": n }` or `{ "fraction": f }` (the CLI's `1` and `1.0` differ, as in scikit-learn),
 * and each result lists its fit `warnings`.
 */
export const TUNE_REPORT_VERSION = 2;

const METRIC_NAMES: Record<TuneMetric, string> = {
  auc: 'ROC AUC',
  ap: 'average precision',
  stability: 'top-k overlap across seeds',
  speed: 'fit + score time',
};

/** Feature names the summary line lists before it elides the middle of a long list (the JSON has them all). */
const SHOWN_FEATURES = 8;

/** The marker of the best row in the Markdown table. */
const BEST_MARK = '★';

/**
 * The report as Markdown: a sentence on the data and the sweep, then one table row per setting (times are medians
 * over seeds in ms; stability is the mean over seed pairs; ROC AUC, AP and precision at the cut are mean ± std over
 * seeds), the best setting marked with ★. Label columns appear only when the sweep had a label.
 */
export function tuneReportMarkdown(report: TuneReport): string {
  const labelled = report.label !== null;
  const header = [
    'best',
    'trees',
    'max samples',
    'max features',
    'contamination',
    'fit ms',
    'score ms',
    report.explainRows > 0 ? `explain ms (${report.explainRows} rows)` : 'explain ms',
    `top-${report.topK} overlap`,
    'Spearman',
    ...(labelled ? ['ROC AUC', 'AP', 'precision at cut', 'flagged'] : []),
  ];
  const align = header.map((_, c) => (c === 0 ? ':-:' : c <= 4 ? '---' : '--:'));
  const rows = report.results.map((result, i) => [
    i === report.best ? BEST_MARK : '',
    ...settingCells(result),
    fixed(result.fitMs, 1),
    fixed(result.scoreMs, 1),
    result.explainMs === null ? '-' : fixed(result.explainMs, 1),
    result.stability === null ? '-' : fixed(result.stability.topKOverlap, 3),
    result.stability === null ? '-' : fixed(result.stability.spearman, 3),
    ...(result.quality === null
      ? []
      : [
          meanStdCell(result.quality.rocAuc),
          meanStdCell(result.quality.averagePrecision),
          meanStdCell(result.quality.precisionAtCut),
          fixed(result.quality.flagged, 1),
        ]),
  ]);
  const table = [header, align, ...rows].map((cells) => `| ${cells.join(' | ')} |`);
  return [summaryLine(report), '', ...table, '', ...warningLines(report)].join('\n');
}

/**
 * The report as JSON text: `{format, version, ...TuneReport}` (see `TuneReport` for every field; `best` indexes
 * `results`). Numbers JSON cannot hold (NaN) are written as null.
 */
export function tuneReportJson(report: TuneReport): string {
  const document = { format: TUNE_REPORT_FORMAT, version: TUNE_REPORT_VERSION, ...report };
  return `${JSON.stringify(document, (_key, value: unknown) => (typeof value === 'number' && !Number.isFinite(value) ? null : value), 2)}\n`;
}

/** One line per setting whose fits warned (scikit-learn's UserWarnings, e.g. max samples above the rows). */
function warningLines(report: TuneReport): string[] {
  const lines = report.results.flatMap((result) =>
    result.warnings.map((warning) => `- ${settingText(result.setting)}: ${warning}`),
  );
  return lines.length === 0 ? [] : ['Warnings:', '', ...lines, ''];
}

function summaryLine(report: TuneReport): string {
  const names =
    report.features.length <= SHOWN_FEATURES
      ? report.features
      : [...report.features.slice(0, SHOWN_FEATURES - 1), '...', report.features.at(-1)];
  const features = `${report.features.length} feature${report.features.length === 1 ? '' : 's'} (${names.join(', ')})`;
  const label =
    report.label === null ? 'no label' : `label \`${report.label}\` (${count(report.positives ?? 0)} rows labelled 1)`;
  const best = settingText(report.results[report.best].setting);
  return (
    `${count(report.rows)} rows x ${features}, ${label}; seeds ${report.seeds.join(', ')}. ` +
    `Best by ${METRIC_NAMES[report.metric]} (${BEST_MARK}): ${best}.`
  );
}

function settingCells({ setting, resolved }: SettingResult): string[] {
  return [
    String(setting.trees),
    withResolved(maxSamplesLabel(setting.maxSamples), resolved.maxSamples),
    withResolved(setting.maxFeatures, resolved.maxFeatures),
    String(setting.contamination),
  ];
}

/** The value as given, followed by the count it resolved to when they differ (`auto (256)`, `0.5 (3)`). */
function withResolved(given: string | number, count: number): string {
  return String(given) === String(count) ? String(count) : `${String(given)} (${count})`;
}

function settingText(setting: TuneSetting): string {
  return `trees ${setting.trees}, max samples ${maxSamplesLabel(setting.maxSamples)}, max features ${setting.maxFeatures}, contamination ${setting.contamination}`;
}

function meanStdCell({ mean, std }: MeanStd): string {
  return `${fixed(mean, 3)} ± ${fixed(std, 3)}`;
}

function fixed(value: number, digits: number): string {
  return Number.isFinite(value) ? value.toFixed(digits) : 'n/a';
}

function count(value: number): string {
  return groupThousands(value);
}
