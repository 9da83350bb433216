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
