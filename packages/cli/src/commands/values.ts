import type { MaxSamples } from '@isoforest/core';
import { UsageError, type OptionSpecs, type OptionValues } from '../command.js';

/** A required string option, or a usage error naming it. */
export function requiredString(values: OptionValues, name: string): string {
  const value = values[name];
  if (typeof value !== 'string' || value === '') throw new UsageError(`--${name} is required`);
  return value;
}

export function optionalString(values: OptionValues, name: string): string | undefined {
  const value = values[name];
  return typeof value === 'string' ? value : undefined;
}

/** An integer option within [min, max], or undefined when absent. */
export function optionalInteger(
  values: OptionValues,
  name: string,
  min: number,
  max = Number.MAX_SAFE_INTEGER,
): number | undefined {
  const text = optionalString(values, name);
  if (text === undefined) return undefined;
  const value = Number(text);
  if (!/^\d+$/.test(text.trim()) || value < min || value > max) {
    throw new UsageError(
      `--${name} must be a whole number from ${min}${max === Number.MAX_SAFE_INTEGER ? ' up' : ` to ${max}`}, not '${text}'`,
    );
  }
  return value;
}

/** An option that is either a whole number (a count) or a fraction in (0, 1] (a share), as scikit-learn takes them. */
export function optionalCountOrFraction(values: OptionValues, name: string): number | undefined {
  const text = optionalString(values, name);
  if (text === undefined) return undefined;
  const value = Number(text);
  const isCount = /^\d+$/.test(text.trim()) && value >= 1;
  const isFraction = /^(0?\.\d+|1\.0*)$/.test(text.trim()) && value > 0 && value <= 1;
  if (!isCount && !isFraction)
    throw new UsageError(`--${name} must be a whole number >= 1 or a fraction in (0, 1], not '${text}'`);
  return value;
}

/**
 * What `--max-samples` takes, for --help: scikit-learn's int/float distinction written out, since a command line has
 * only text.
 */
export const MAX_SAMPLES_HELP =
  "'auto' = min(256, rows); a whole number is a count of rows (1 = one row; above the rows = all rows, with a warning); " +
  'a decimal or a percentage is a fraction of the rows (0.5, 1.0 = 100% = all rows)';

/**
 * `--max-samples` as scikit-learn's `max_samples` reads it: `auto`; a whole number (its int) is a count; a number
 * with a decimal point (its float) or a percentage is a fraction in (0, 1]. Anything else, `1.5`, `2.0`, `1e3`, `0`,
 * `0.0`, `150%`, is refused naming the flag rather than guessed at.
 */
export function parseMaxSamples(text: string, name = 'max-samples'): MaxSamples {
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
    `--${name} must be 'auto', a whole number of rows (e.g. 256; 1 = one row) or a fraction in (0, 1] written with a ` +
      `decimal point or as a percentage (e.g. 0.5, 1.0 or 100% = all rows), not '${text}'`,
  );
}

/** `--max-samples` (see {@link parseMaxSamples}), or undefined when absent. */
export function optionalMaxSamples(values: OptionValues, name = 'max-samples'): MaxSamples | undefined {
  const text = optionalString(values, name);
  return text === undefined ? undefined : parseMaxSamples(text, name);
}

/** A comma-separated list option. */
export function optionalList(values: OptionValues, name: string): string[] | undefined {
  const text = optionalString(values, name);
  if (text === undefined) return undefined;
  const items = text
    .split(',')
    .map((item) => item.trim())
    .filter((item) => item !== '');
  if (items.length === 0) throw new UsageError(`--${name} needs at least one name`);
  return items;
}

/** `auto` or a share of outliers in (0, 0.5]. */
export function optionalContamination(values: OptionValues, name = 'contamination'): 'auto' | number | undefined {
  const text = optionalString(values, name);
  if (text === undefined || text === 'auto') return text;
  const value = Number(text);
  if (!(value > 0 && value <= 0.5))
    throw new UsageError(`--${name} must be 'auto' or a number in (0, 0.5], not '${text}'`);
  return value;
}

/** `--lenient`, for the commands that read user-day CSV or raw event files. */
export const LENIENT_OPTION: OptionSpecs = {
  lenient: {
    type: 'boolean',
    description: 'skip malformed rows and count them (the first reason is printed) instead of stopping at the first',
  },
};

/** `--threads`, for the commands that score or explain on a worker pool. */
export const THREADS_OPTION: OptionSpecs = {
  threads: {
    type: 'string',
    placeholder: 'N',
    description: 'worker threads, each with its own WebAssembly instance (default: all cores); results are identical',
  },
};

/** The `--threads` value, or undefined for the default (all cores). */
export function optionalThreads(values: OptionValues): number | undefined {
  return optionalInteger(values, 'threads', 1, 1024);
}
