import { DEFAULT_BATCH_ROWS, MS_PER_DAY } from '@isoforest/ingest';

/** Options of the synthetic tenant generators. */
export interface SynthOptions {
  /** Number of accounts in the tenant (people, service accounts and admins), 1 to 16,777,216. */
  users: number;
  /** Number of consecutive UTC days, from `startDate`, 1 to 36,500. */
  days: number;
  /** Any integer (used modulo 2^32); the same seed and options give the same tenant, row for row. */
  seed: number;
  /** Probability that a user-day is attacked, 0 to 1; default 0.001 (one user-day in a thousand). */
  attackRate?: number;
  /** First day, `YYYY-MM-DD` (UTC) or milliseconds since the epoch at a UTC midnight; default `2024-01-01` (a Monday). */
  startDate?: string | number;
  /** Rows per record batch of `generateUserDays`; default 65,536. */
  batchRows?: number;
}

/** The options with defaults applied and checked. */
export interface ResolvedSynthOptions {
  readonly users: number;
  readonly days: number;
  readonly seed: number;
  readonly attackRate: number;
  /** Milliseconds since the epoch of the first day's UTC midnight. */
  readonly startMs: number;
  readonly batchRows: number;
}

/** An option of a generator is missing, out of range or of the wrong type; `option` names it. */
export class SynthOptionsError extends Error {
  override readonly name = 'SynthOptionsError';
  /** The option's name as spelt in {@link SynthOptions}. */
  readonly option: string;

  constructor(option: string, problem: string) {
    super(`invalid option ${option}: ${problem}`);
    this.option = option;
  }
}

/** Attacked user-days per user-day when `attackRate` is not given. */
export const DEFAULT_ATTACK_RATE = 0.001;
/** First day when `startDate` is not given: a Monday, so the first weekend is days 5 and 6. */
export const DEFAULT_START_DATE = '2024-01-01';

/** Applies the defaults and checks every option, throwing a {@link SynthOptionsError} naming the first bad one. */
export function resolveSynthOptions(options: SynthOptions): ResolvedSynthOptions {
  return {
    users: integerIn('users', options.users, 1, 1 << 24),
    days: integerIn('days', options.days, 1, 36_500),
    seed: integerIn('seed', options.seed, Number.MIN_SAFE_INTEGER, Number.MAX_SAFE_INTEGER) >>> 0,
    attackRate: rate(options.attackRate ?? DEFAULT_ATTACK_RATE),
    startMs: startOf(options.startDate ?? DEFAULT_START_DATE),
    batchRows: integerIn('batchRows', options.batchRows ?? DEFAULT_BATCH_ROWS, 1, 1 << 24),
  };
}

function integerIn(option: string, value: unknown, min: number, max: number): number {
  if (typeof value !== 'number' || !Number.isInteger(value) || value < min || value > max) {
    throw new SynthOptionsError(option, `expected an integer from ${min} to ${max}, got ${String(value)}`);
  }
  return value;
}

function rate(value: unknown): number {
  if (typeof value !== 'number' || !(value >= 0 && value <= 1)) {
    throw new SynthOptionsError('attackRate', `expected a number from 0 to 1, got ${String(value)}`);
  }
  return value;
}

function startOf(value: unknown): number {
  const ms = typeof value === 'string' && /^\d{4}-\d{2}-\d{2}$/.test(value) ? Date.parse(`${value}T00:00:00Z`) : value;
  if (typeof ms !== 'number' || !Number.isInteger(ms) || ms % MS_PER_DAY !== 0) {
    throw new SynthOptionsError('startDate', `expected YYYY-MM-DD or a UTC midnight in ms, got ${String(value)}`);
  }
  return ms;
}
