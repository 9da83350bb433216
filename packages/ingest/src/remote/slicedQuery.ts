/**
 * What the Log Analytics and Azure Data Explorer sources share: the notebook's window cut into one-day slices,
 * a slice split by user hash while its result is too large, at most a few requests in flight, retries with
 * backoff (the server's `Retry-After` first), partial results retried, and a slice that keeps failing named in
 * the error. Each service only says how to run one query (`SliceRunner`).
 */
import { IngestError, SourceUnavailableError } from '../errors.js';
import {
  buildUserDayKql,
  DEFAULT_END_OFFSET_DAYS,
  DEFAULT_LOOKBACK_DAYS,
  type LogonTable,
  type UserShard,
} from '../logonDay.js';
import { MS_PER_DAY, type UserDay } from '../schema.js';
import { makeSource, type UserDaySource } from '../source.js';
import { createStats } from '../stats.js';
import { utcDayStart } from '../timeFormats.js';
import { appendRows, DEFAULT_BATCH_ROWS, flushBatch, UserDayBatchBuilder } from '../userDayBatch.js';
import { DEFAULT_LOGON_TYPE } from '../windows.js';
import { backoffMs, describeFailure, isTransient, retryAfterMs } from './retry.js';
import { daySlices, sliceLabel, splitSlice, type QuerySlice } from './slices.js';

/** Query API limit of rows per request (Log Analytics; Azure Data Explorer's default truncation is the same). */
export const LOG_ANALYTICS_MAX_ROWS = 500_000;
/** Requests in flight at most. */
export const DEFAULT_MAX_CONCURRENCY = 5;
const DEFAULT_MAX_ATTEMPTS = 5;
const DEFAULT_BASE_DELAY_MS = 1000;
const DEFAULT_MAX_DELAY_MS = 60_000;
const DEFAULT_SPLIT_FACTOR = 4;
const DEFAULT_MAX_BUCKETS = 4096;

/** What happened to one slice, reported through `onProgress` and kept in `source.slices`. */
export interface SliceReport {
  readonly label: string;
  readonly slice: QuerySlice;
  /** `done` with its row count; `retry` before waiting `delayMs`; `split` into finer user-hash buckets. */
  readonly event: 'done' | 'retry' | 'split';
  readonly rows?: number;
  readonly attempt?: number;
  readonly delayMs?: number;
  readonly reason?: string;
}

/** The options every sliced source takes. */
export interface SlicedQueryOptions {
  /** The table logons are read from (default `SecurityEvent`); see `buildUserDayKql`. */
  table?: LogonTable;
  /**
   * Query window, as the notebook: whole UTC days from the day `lookbackDays` ago (default 21) to the day
   * `endOffsetDays` ago (default 1), both included; logon type kept (default 3).
   */
  lookbackDays?: number;
  endOffsetDays?: number;
  logonType?: number;
  /**
   * Only the users of this shard, chosen by the service (`userShardKql`), so a worker of a sharded hunt pulls only its
   * users' user-days; default every user.
   */
  shard?: UserShard;
  /** The current time in ms (defaults to `Date.now()`), which the window is measured back from. */
  nowMs?: number;
  /** Requests in flight at most; default 5. */
  maxConcurrency?: number;
  /** Attempts per slice before failing; default 5. */
  maxAttempts?: number;
  /** Backoff of the first retry, doubled each time, capped at `maxDelayMs`; defaults 1 s and 60 s. */
  baseDelayMs?: number;
  maxDelayMs?: number;
  /** A slice returning this many rows is assumed truncated and split; default 500,000 (the API limit). */
  maxRowsPerSlice?: number;
  /** How many buckets a too-large slice splits into; default 4. */
  splitFactor?: number;
  /** Finest split allowed before giving up on a slice; default 4096 buckets. */
  maxBuckets?: number;
  /** Rows per emitted batch; default 65,536. */
  batchRows?: number;
  /** Progress per slice (the CLI prints it to stderr). */
  onProgress?: (report: SliceReport) => void;
  /** How to wait between retries; tests pass a fake. */
  sleep?: (ms: number) => Promise<void>;
}

/** A sliced source also reports rows per slice. */
export interface SlicedSource extends UserDaySource {
  readonly slices: SliceReport[];
}

/** One query's outcome: its rows, or the partial error the service returned with an incomplete result. */
export type SliceOutcome = { readonly rows: UserDay[] } | { readonly partialError: unknown };

/** Runs one query for one slice; throws the SDK's error for a failed request. `label` names the slice. */
export type SliceRunner = (query: string, slice: QuerySlice, label: string) => Promise<SliceOutcome>;

/**
 * The notebook's window `startofday(ago(lookback)) .. endofday(ago(endOffset))` as a half-open `[startMs, endMs)`
 * in ms UTC: whole UTC days, from the midnight that starts the day `lookbackDays` before `nowMs` to the midnight
 * that ends the day `endOffsetDays` before it (`endofday` is the day's last tick, and `<=` keeps it).
 */
export function queryWindow(
  nowMs: number,
  lookbackDays: number,
  endOffsetDays: number,
): { startMs: number; endMs: number } {
  return {
    startMs: utcDayStart(nowMs - lookbackDays * MS_PER_DAY),
    endMs: utcDayStart(nowMs - endOffsetDays * MS_PER_DAY) + MS_PER_DAY,
  };
}

/** Signals that a slice's result is too large and must be split, not retried. */
class SliceTooLarge extends Error {}

/** True when a partial error says the result passed the size limits (E_QUERY_RESULT_SET_TOO_LARGE etc.). */
function isResultTooLarge(partialError: unknown): boolean {
  const text = (
    partialError instanceof Error ? partialError.message : JSON.stringify(partialError ?? '')
  ).toLowerCase();
  return (
    text.includes('too_large') || text.includes('too large') || (text.includes('exceed') && text.includes('limit'))
  );
}

/** A counting semaphore for requests in flight. */
function createLimiter(max: number): <T>(task: () => Promise<T>) => Promise<T> {
  let active = 0;
  const waiting: (() => void)[] = [];
  return async (task) => {
    if (active >= max) await new Promise<void>((resolve) => waiting.push(resolve));
    active++;
    try {
      return await task();
    } finally {
      active--;
      waiting.shift()?.();
    }
  };
}

/**
 * User-days from a Kusto-speaking service, one UTC day of the window per request (see the module comment).
 * `target` names the workspace or database in errors (`workspace <id>`); batches come out in slice order (day,
 * then bucket), each slice's rows sorted by DstDomain, DstUser, LogonTypeName.
 *
 * @throws RangeError at once for an unknown `logonType` or table, a negative number of days, or a bad `shard`.
 */
export function slicedUserDays(target: string, run: SliceRunner, options: SlicedQueryOptions): SlicedSource {
  const stats = createStats();
  const slices: SliceReport[] = [];
  const report = (r: SliceReport): void => {
    slices.push(r);
    options.onProgress?.(r);
  };
  const maxAttempts = options.maxAttempts ?? DEFAULT_MAX_ATTEMPTS;
  const baseDelayMs = options.baseDelayMs ?? DEFAULT_BASE_DELAY_MS;
  const maxDelayMs = options.maxDelayMs ?? DEFAULT_MAX_DELAY_MS;
  const maxRows = options.maxRowsPerSlice ?? LOG_ANALYTICS_MAX_ROWS;
  const splitFactor = options.splitFactor ?? DEFAULT_SPLIT_FACTOR;
  const maxBuckets = options.maxBuckets ?? DEFAULT_MAX_BUCKETS;
  const sleep = options.sleep ?? ((ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms)));
  // Refuses an unknown logon type or table, or a bad number of days, now (RangeError), not in the first request.
  buildUserDayKql({
    table: options.table,
    logonType: options.logonType,
    lookbackDays: options.lookbackDays,
    endOffsetDays: options.endOffsetDays,
    userShard: options.shard,
  });
  const limit = createLimiter(options.maxConcurrency ?? DEFAULT_MAX_CONCURRENCY);

  /** One request for one slice, with retries. Throws `SliceTooLarge` when it must be split. */
  async function querySlice(slice: QuerySlice): Promise<UserDay[]> {
    const label = `${target} slice ${sliceLabel(slice)}`;
    const query = buildUserDayKql({
      table: options.table,
      logonType: options.logonType ?? DEFAULT_LOGON_TYPE,
      window: { startMs: slice.startMs, endMs: slice.endMs },
      userHash: slice.buckets > 1 ? { buckets: slice.buckets, bucket: slice.bucket } : undefined,
      userShard: options.shard,
    });
    let lastFailure = '';
    for (let attempt = 1; attempt <= maxAttempts; attempt++) {
      let delay: number;
      try {
        const outcome = await limit(() => run(query, slice, label));
        if ('rows' in outcome) {
          if (outcome.rows.length >= maxRows)
            throw new SliceTooLarge(`${outcome.rows.length} rows reach the ${maxRows}-row limit`);
          return outcome.rows;
        }
        if (isResultTooLarge(outcome.partialError)) throw new SliceTooLarge(describeFailure(outcome.partialError));
        lastFailure = `partial result: ${describeFailure(outcome.partialError)}`;
        delay = backoffMs(attempt, baseDelayMs, maxDelayMs);
      } catch (error) {
        if (error instanceof SliceTooLarge || error instanceof IngestError) throw error;
        lastFailure = describeFailure(error);
        if (!isTransient(error)) throw new SourceUnavailableError(label, null, null, `query failed: ${lastFailure}`);
        delay = retryAfterMs(error, Date.now()) ?? backoffMs(attempt, baseDelayMs, maxDelayMs);
      }
      if (attempt < maxAttempts) {
        report({ label, slice, event: 'retry', attempt, delayMs: delay, reason: lastFailure });
        await sleep(delay);
      }
    }
    throw new SourceUnavailableError(label, null, null, `failed after ${maxAttempts} attempts; last: ${lastFailure}`);
  }

  /** A slice's user-days, splitting it by user hash while it is too large. */
  async function fetchSlice(slice: QuerySlice): Promise<UserDay[]> {
    try {
      const rows = await querySlice(slice);
      report({ label: sliceLabel(slice), slice, event: 'done', rows: rows.length });
      return rows;
    } catch (error) {
      if (!(error instanceof SliceTooLarge)) throw error;
      const label = `${target} slice ${sliceLabel(slice)}`;
      if (slice.buckets * splitFactor > maxBuckets) {
        throw new SourceUnavailableError(
          label,
          null,
          null,
          `result too large even split into ${slice.buckets} user buckets: ${error.message}`,
        );
      }
      report({ label: sliceLabel(slice), slice, event: 'split', reason: error.message });
      const parts = await Promise.all(splitSlice(slice, splitFactor).map(fetchSlice));
      return parts.flat();
    }
  }

  const source = makeSource(stats, async function* () {
    const { startMs, endMs } = queryWindow(
      options.nowMs ?? Date.now(),
      options.lookbackDays ?? DEFAULT_LOOKBACK_DAYS,
      options.endOffsetDays ?? DEFAULT_END_OFFSET_DAYS,
    );
    const pending = daySlices(startMs, endMs);
    // Start a few days ahead of the one being emitted, so requests overlap but results stay bounded.
    const lookahead = (options.maxConcurrency ?? DEFAULT_MAX_CONCURRENCY) * 2;
    const inFlight: Promise<UserDay[]>[] = [];
    const startNext = (): void => {
      const slice = pending.shift();
      if (slice !== undefined) {
        const p = fetchSlice(slice);
        p.catch(() => undefined); // awaited below in order; avoid an unhandled rejection meanwhile
        inFlight.push(p);
      }
    };
    while (inFlight.length < lookahead && pending.length > 0) startNext();
    const builder = new UserDayBatchBuilder(options.batchRows ?? DEFAULT_BATCH_ROWS);
    while (inFlight.length > 0) {
      const rows = await inFlight.shift()!;
      startNext();
      rows.sort(
        (a, b) =>
          (a.DstDomain < b.DstDomain ? -1 : a.DstDomain > b.DstDomain ? 1 : 0) ||
          (a.DstUser < b.DstUser ? -1 : a.DstUser > b.DstUser ? 1 : 0) ||
          (a.LogonTypeName < b.LogonTypeName ? -1 : a.LogonTypeName > b.LogonTypeName ? 1 : 0) ||
          a.Date - b.Date,
      );
      stats.rowsRead += rows.length;
      stats.rowsKept += rows.length;
      yield* appendRows(builder, rows, stats);
    }
    yield* flushBatch(builder, stats);
  });
  return Object.assign(source, { slices });
}
