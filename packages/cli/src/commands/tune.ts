import { writeFile } from 'node:fs/promises';
import { resolve } from 'node:path';
import type { Table } from 'apache-arrow';
import { loadIsoforest } from '@isoforest/core';
import {
  MODEL_FEATURES,
  RAW_MODEL_FEATURES,
  USER_KEY_COLUMNS,
  ZSCORE_SOURCES,
  buildFeatureTable,
} from '@isoforest/features';
import { IngestError } from '@isoforest/ingest';
import {
  DEFAULT_EXPLAIN_ROWS,
  DEFAULT_GRID,
  DEFAULT_SEEDS,
  DEFAULT_TOP_K,
  TUNE_METRICS,
  TuneError,
  maxSamplesLabel,
  tune,
  tuneReportJson,
  tuneReportMarkdown,
  type TuneGrid,
} from '@isoforest/tune';
import { UsageError, type Command, type OptionValues } from '../command.js';
import { writeAtomically } from '../io/atomicOutput.js';
import { refuseOutputOverInput } from '../io/outputIsNotInput.js';
import { readTable, readTableBatches } from '../io/tableReader.js';
import { forestOptionSpecs, parseForestList } from './forestOptions.js';
import { optionalInteger, optionalList, optionalString, requiredString } from './values.js';
import { groupThousands } from '@isoforest/common';

const FORMATS = ['markdown', 'json'] as const;

/** The user-day columns the hunting features are computed from: a table with all of them is tuned on those features. */
const FEATURE_SOURCE_COLUMNS: readonly string[] = [...USER_KEY_COLUMNS, ...ZSCORE_SOURCES, ...RAW_MODEL_FEATURES];

const list = (values: readonly unknown[]) => values.join(',');

export const tuneCommand: Command = {
  synopsis:
    'tune --input DATA.csv|DATA.arrow|DATA.parquet [--label COLUMN] [--trees 50,100,200] [--max-samples 128,256,512] [options]',
  options: {
    input: {
      type: 'string',
      placeholder: 'FILE',
      stdio: 'in-table',
      description:
        'rows to tune on (CSV, Arrow IPC or Parquet); a user-day table (e.g. from synth) is tuned on the six hunting features',
    },
    label: {
      type: 'string',
      placeholder: 'COLUMN',
      description:
        'ground-truth column, 1 = anomaly and 0 = normal: adds ROC AUC, average precision and precision at the cut',
    },
    features: {
      type: 'string',
      placeholder: 'A,B,C',
      description:
        'feature columns (default: the six hunting features of a user-day table, else every numeric column but the label)',
    },
    ...forestOptionSpecs(
      ['nEstimators', 'maxSamples', 'maxFeatures', 'contamination'],
      {
        nEstimators: list(DEFAULT_GRID.trees),
        maxSamples: list(DEFAULT_GRID.maxSamples.map(maxSamplesLabel)),
        maxFeatures: list(DEFAULT_GRID.maxFeatures),
        contamination: list(DEFAULT_GRID.contamination),
      },
      { list: true },
    ),
    seeds: {
      type: 'string',
      placeholder: 'N',
      description: `seeds per setting, 0 to N-1 (default ${DEFAULT_SEEDS.length}); two or more measure stability`,
    },
    'top-k': {
      type: 'string',
      placeholder: 'K',
      description: `rows on top whose overlap across seeds measures stability (default ${DEFAULT_TOP_K})`,
    },
    'explain-rows': {
      type: 'string',
      placeholder: 'N',
      description: `rows explained per run to time TreeSHAP, 0 to skip (default ${DEFAULT_EXPLAIN_ROWS})`,
    },
    metric: {
      type: 'string',
      placeholder: 'METRIC',
      description: `what picks the best setting: ${TUNE_METRICS.join(', ')} (default auc with --label, else stability)`,
    },
    format: { type: 'string', placeholder: 'FORMAT', description: 'markdown (default) or json' },
    output: {
      type: 'string',
      placeholder: 'FILE',
      stdio: 'out',
      description: 'write the report here instead of to stdout',
    },
  },
  async run(values, context, { info, progress, json, report: reportJson }) {
    const input = resolve(context.cwd, requiredString(values, 'input'));
    const label = optionalString(values, 'label');
    const givenFeatures = optionalList(values, 'features');
    const grid = gridOf(values);
    const seedCount = optionalInteger(values, 'seeds', 1, 1000) ?? DEFAULT_SEEDS.length;
    const topK = optionalInteger(values, 'top-k', 1);
    const explainRows = optionalInteger(values, 'explain-rows', 0);
    const metric = oneOf(values, 'metric', TUNE_METRICS);
    const format = oneOf(values, 'format', FORMATS) ?? 'markdown';
    const output = optionalString(values, 'output');
    if (output !== undefined) await refuseOutputOverInput([resolve(context.cwd, output)], [input]);

    const reading = progress.start('reading');
    const { table, userDays } = await readTuneTable(input, label, givenFeatures);
    reading.finish(`${groupThousands(table.numRows)} rows${userDays ? ' of user-days, features computed' : ''}`);
    const features = givenFeatures ?? (userDays ? [...MODEL_FEATURES] : undefined);
    const seeds = Array.from({ length: seedCount }, (_, i) => i);

    const isoforest = await loadIsoforest();
    const settings = Object.values(grid).reduce((product, options: readonly unknown[]) => product * options.length, 1);
    info(
      `tuning ${plural(settings, 'setting')} x ${plural(seeds.length, 'seed')} on ${groupThousands(table.numRows)} rows of ${input}`,
    );
    const tuning = progress.start('tuning', settings);
    const report = inFile(input, () =>
      tune(isoforest, table, {
        features,
        label,
        grid,
        seeds,
        topK,
        explainRows,
        metric,
        onSetting: (done) => tuning.update(done),
      }),
    );
    tuning.finish(`${report.results.length} settings`);
    for (const result of report.results) {
      for (const warning of result.warnings)
        context.stderr.write(
          `isoforest tune: warning: max samples ${maxSamplesLabel(result.setting.maxSamples)}: ${warning}\n`,
        );
    }

    const text = format === 'json' ? tuneReportJson(report) : tuneReportMarkdown(report);
    reportJson({ report: JSON.parse(tuneReportJson(report)) as unknown });
    if (output === undefined) {
      if (!json) context.stdout.write(text);
      return;
    }
    const path = resolve(context.cwd, output);
    await writeAtomically(path, (temp) => writeFile(temp, text));
    info(`wrote the ${format} report to ${path}`);
  },
};

/**
 * Reads the input. A table holding every column the hunting features need is a user-day table: from a CSV only its
 * count columns (and the label) are read as numbers, so user names that look like numbers stay names, and the
 * features are computed per user.
 */
async function readTuneTable(
  path: string,
  label: string | undefined,
  features: readonly string[] | undefined,
): Promise<{ table: Table; userDays: boolean }> {
  const columns = await columnNames(path);
  const userDays = FEATURE_SOURCE_COLUMNS.every((name) => columns.includes(name));
  if (label !== undefined && !columns.includes(label))
    throw new IngestError(path, null, null, `missing label column '${label}'`);
  const extra = [...(features ?? []), ...(label === undefined ? [] : [label])];
  if (!userDays) {
    return { table: await readTable(path, { numericColumns: features === undefined ? undefined : extra }), userDays };
  }
  const counts = [...ZSCORE_SOURCES, ...RAW_MODEL_FEATURES];
  // Features may also name columns the feature table adds; only those in the file are read as numbers.
  const numeric = [...new Set([...counts, ...extra.filter((name) => columns.includes(name))])];
  return { table: buildFeatureTable(await readTable(path, { numericColumns: numeric })), userDays };
}

/** The column names of a CSV or Arrow file, from its first record batch. */
async function columnNames(path: string): Promise<string[]> {
  for await (const batch of readTableBatches(path, { batchRows: 1 }))
    return batch.schema.fields.map((field) => field.name);
  throw new IngestError(path, null, null, 'has no record batches');
}

function gridOf(values: OptionValues): TuneGrid {
  return {
    trees: parseForestList(values, 'nEstimators') ?? DEFAULT_GRID.trees,
    maxSamples: parseForestList(values, 'maxSamples', maxSamplesLabel) ?? DEFAULT_GRID.maxSamples,
    maxFeatures: parseForestList(values, 'maxFeatures') ?? DEFAULT_GRID.maxFeatures,
    contamination: parseForestList(values, 'contamination') ?? DEFAULT_GRID.contamination,
  };
}

/** Runs `work`, naming `path` in a TuneError about the data (a bad label value), which only knows its column and row. */
function inFile<T>(path: string, work: () => T): T {
  try {
    return work();
  } catch (error) {
    if (error instanceof TuneError && error.column !== undefined)
      throw new IngestError(path, null, null, error.message);
    throw error;
  }
}

function plural(count: number, noun: string): string {
  return `${groupThousands(count)} ${noun}${count === 1 ? '' : 's'}`;
}

function oneOf<T extends string>(values: OptionValues, name: string, allowed: readonly T[]): T | undefined {
  const value = optionalString(values, name);
  if (value === undefined) return undefined;
  if (!(allowed as readonly string[]).includes(value))
    throw new UsageError(`--${name} must be one of ${allowed.join(', ')}, not '${value}'`);
  return value as T;
}
