import type { FitOptions, MaxSamples } from '@isoforest/core';
import { UsageError, type OptionSpecs, type OptionValues } from '../command.js';
import { optionalInteger, optionalList } from './values.js';

/**
 * The one mapping between the options of the core's `fit` (`FitOptions`, named as in code that embeds the core) and
 * the command line: every command that grows a forest (fit, hunt, tune) declares and parses its forest flags from
 * this table, the CLI names the flag when the core refuses an option, and --help and the README show both names.
 */
interface ForestFlag<T> {
  /** The flag, without its dashes. */
  readonly flag: string;
  /** scikit-learn's name for the same parameter of IsolationForest, if it has one. */
  readonly sklearn?: string;
  /** Placeholder of the value in --help; undefined for a boolean flag. */
  readonly placeholder?: string;
  /** What the flag sets, for --help. */
  readonly help: string;
  /** One value, checked: a usage error naming the flag otherwise. */
  parse(text: string): T;
}

type ForestFlags = { readonly [K in keyof FitOptions]-?: ForestFlag<NonNullable<FitOptions[K]>> };

/**
 * What `--max-samples` takes, for --help: scikit-learn's int/float distinction written out, since a command line has
 * only text.
 */
const MAX_SAMPLES_HELP =
  "'auto' = min(256, rows); a whole number is a count of rows (1 = one row; above the rows = all rows, with a warning); " +
  'a decimal or a percentage is a fraction of the rows (0.5, 1.0 = 100% = all rows)';

export const FOREST_FLAGS: ForestFlags = {
  nEstimators: {
    flag: 'trees',
    sklearn: 'n_estimators',
    placeholder: 'N',
    help: 'number of trees',
    parse: (text) => optionalInteger({ trees: text }, 'trees', 1, 100_000)!,
  },
  maxSamples: {
    flag: 'max-samples',
    sklearn: 'max_samples',
    placeholder: 'N|F',
    help: `rows per tree: ${MAX_SAMPLES_HELP}`,
    parse: parseMaxSamples,
  },
  maxFeatures: {
    flag: 'max-features',
    sklearn: 'max_features',
    placeholder: 'N|F',
    help: 'features per tree: a count or a fraction',
    parse: parseCountOrFraction,
  },
  bootstrap: {
    flag: 'bootstrap',
    sklearn: 'bootstrap',
    help: "draw each tree's rows with replacement",
    parse: () => true,
  },
  contamination: {
    flag: 'contamination',
    sklearn: 'contamination',
    placeholder: 'auto|Q',
    help: "expected share of outliers in (0, 0.5], or 'auto' (offset -0.5)",
    parse: parseContamination,
  },
  randomState: {
    flag: 'seed',
    sklearn: 'random_state',
    placeholder: 'N',
    help: 'random seed, 0 to 4294967295: same seed, same forest',
    parse: (text) => optionalInteger({ seed: text }, 'seed', 0, 0xffff_ffff)!,
  },
  features: {
    flag: 'features',
    placeholder: 'A,B,C',
    help: 'feature columns, comma-separated',
    parse: (text) => optionalList({ features: text }, 'features')!,
  },
};

export type ForestOption = keyof FitOptions;

/** The command-line flag of a core option name (`nEstimators` -> `trees`), or undefined if it has none. */
export function flagOfOption(option: string): string | undefined {
  if (option === 'threads') return 'threads';
  return Object.hasOwn(FOREST_FLAGS, option) ? FOREST_FLAGS[option as ForestOption].flag : undefined;
}

/**
 * The option specs of `options` for a command, each described from the table, then `defaults[option]` (the command's
 * own default, in words), then both of its other names. With `list`, each flag takes a comma-separated list of
 * values to try (tune).
 */
export function forestOptionSpecs(
  options: readonly ForestOption[],
  defaults: Partial<Record<ForestOption, string>>,
  { list = false }: { list?: boolean } = {},
): OptionSpecs {
  return Object.fromEntries(
    options.map((option) => {
      const { flag, sklearn, placeholder, help } = FOREST_FLAGS[option];
      const otherNames = `[core ${option}${sklearn === undefined ? '' : `, scikit-learn ${sklearn}`}]`;
      const description = `${list ? `${help}; values to try` : help}${defaults[option] === undefined ? '' : ` (default ${defaults[option]})`} ${otherNames}`;
      return placeholder === undefined
        ? [flag, { type: 'boolean', description }]
        : [flag, { type: 'string', placeholder: list ? `${placeholder},...` : placeholder, description }];
    }),
  );
}

/** The given forest flags among `options`, parsed into the core's option names; absent flags are left out. */
export function parseForestOptions<K extends ForestOption>(
  values: OptionValues,
  options: readonly K[],
): Pick<FitOptions, K> {
  const parsed: Partial<Record<ForestOption, unknown>> = {};
  for (const option of options) {
    const { flag, placeholder, parse } = FOREST_FLAGS[option];
    const value = values[flag];
    if (placeholder === undefined) {
      if (value === true) parsed[option] = true;
    } else if (typeof value === 'string') {
      parsed[option] = parse(value);
    }
  }
  return parsed as Pick<FitOptions, K>;
}

/**
 * A forest flag given as a comma-separated list of values to try (tune), each checked as the flag alone would be;
 * two items with the same `label` (by default their text) are the same value listed twice.
 */
export function parseForestList<K extends ForestOption>(
  values: OptionValues,
  option: K,
  label: (value: NonNullable<FitOptions[K]>, item: string) => string = (_value, item) => item,
): NonNullable<FitOptions[K]>[] | undefined {
  const { flag, parse } = FOREST_FLAGS[option] as ForestFlag<NonNullable<FitOptions[K]>>;
  const items = optionalList(values, flag);
  if (items === undefined) return undefined;
  const parsed = items.map((item) => parse(item));
  const labels = parsed.map((value, i) => label(value, items[i]));
  const repeated = labels.find((item, i) => labels.indexOf(item) !== i);
  if (repeated !== undefined) throw new UsageError(`--${flag} lists ${repeated} twice`);
  return parsed;
}

/**
 * `--max-samples` as scikit-learn's `max_samples` reads it: `auto`; a whole number (its int) is a count; a number
 * with a decimal point (its float) or a percentage is a fraction in (0, 1]. Anything else, `1.5`, `2.0`, `1e3`, `0`,
 * `0.0`, `150%`, is refused naming the flag rather than guessed at.
 */
function parseMaxSamples(text: string): MaxSamples {
  const item = text.trim();
  if (item === 'auto') return 'auto';
  if (/^[1-9]\d*$/.test(item) && Number(item) <= 2 ** 31 - 1) return { count: Number(item) };
  if (/^(\d*\.\d+|\d+\.)$/.test(item)) {
    const fraction = Number(item);
    if (fraction > 0 && fraction <= 1) return { fraction };
  }
  const percent = /^(\d+(?:\.\d+)?)%$/.exec(item);
  if (percent !== null) {
    const share = Number(percent[1]);
    if (share > 0 && share <= 100) return { fraction: share / 100 };
  }
  throw new UsageError(
    `--max-samples must be 'auto', a whole number of rows (e.g. 256; 1 = one row) or a fraction in (0, 1] written ` +
      `with a decimal point or as a percentage (e.g. 0.5, 1.0 or 100% = all rows), not '${text}'`,
  );
}

/** `--max-features`: a whole number (a count) or a fraction in (0, 1] (a share), as scikit-learn takes them. */
function parseCountOrFraction(text: string): number {
  const value = Number(text);
  const isCount = /^\d+$/.test(text.trim()) && value >= 1;
  const isFraction = /^(0?\.\d+|1\.0*)$/.test(text.trim()) && value > 0 && value <= 1;
  if (!isCount && !isFraction)
    throw new UsageError(`--max-features must be a whole number >= 1 or a fraction in (0, 1], not '${text}'`);
  return value;
}

/** `--contamination`: `auto` or a share of outliers in (0, 0.5]. */
function parseContamination(text: string): 'auto' | number {
  if (text === 'auto') return text;
  const value = Number(text);
  if (!(value > 0 && value <= 0.5))
    throw new UsageError(`--contamination must be 'auto' or a number in (0, 0.5], not '${text}'`);
  return value;
}
