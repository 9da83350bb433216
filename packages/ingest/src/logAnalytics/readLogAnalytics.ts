import type * as MonitorQueryLogs from '@azure/monitor-query-logs';
import type { LogsQueryClientOptions } from '@azure/monitor-query-logs';
import { IngestError, SourceUnavailableError } from '../errors.js';
import {
  buildUserDayKql,
  DEFAULT_END_OFFSET_DAYS,
  DEFAULT_LOGON_TYPE,
  DEFAULT_LOOKBACK_DAYS,
} from '../logonDay.js';
import { makeSource, type UserDaySource } from '../source.js';
import { MS_PER_DAY, type UserDay } from '../schema.js';
import { createStats } from '../stats.js';
import { utcDayStart } from '../timeFormats.js';
import { appendRows, DEFAULT_BATCH_ROWS, flushBatch, UserDayBatchBuilder } from '../userDayBatch.js';
import { createCredential, requireAzure, type CredentialKind, type TokenCredential } from './credential.js';
import { backoffMs, describeFailure, isTransient, retryAfterMs } from './retry.js';
import { daySlices, sliceLabel, splitSlice, type QuerySlice } from './slices.js';
import { tableToUserDays } from './tableRows.js';

/** Log Analytics query API limits per request (documented service limits). */
export const LOG_ANALYTICS_MAX_ROWS = 500_000;
/** Requests in flight at most. */
export const DEFAULT_MAX_CONCURRENCY = 5;
/** Attempts per slice before it fails. */
const DEFAULT_MAX_ATTEMPTS = 5;
/** Backoff before the first retry, doubled on each further one up to the cap, ms. */
const DEFAULT_BASE_DELAY_MS = 1000;
const DEFAULT_MAX_DELAY_MS = 60_000;
/** Buckets a too-large slice splits into, and the finest split before giving up on it. */
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

/** Options of the Log Analytics / Sentinel source. */
export interface LogAnalyticsOptions {
  /** Log Analytics workspace id (a GUID). */
  workspaceId: string;
  /** A ready credential; else one of `credentialKind` is created from the `AZURE_*` variables. */
  credential?: TokenCredential;
  credentialKind?: CredentialKind;
  /** Query endpoint including the API version, e.g. `https://api.loganalytics.io/v1` (the default). */
  endpoint?: string;
  /** Extra SDK client options (e.g. `tlsOptions`); the SDK's own retries are turned off, this source retries. */
  clientOptions?: LogsQueryClientOptions;
  /**
   * Query window, as the notebook: whole UTC days from the day `lookbackDays` ago (default 21) to the day
   * `endOffsetDays` ago (default 1), both included; logon type kept (default 3).
   */
  lookbackDays?: number;
  endOffsetDays?: number;
  logonType?: number;
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

/** A Log Analytics source also reports rows per slice. */
export interface LogAnalyticsSource extends UserDaySource {
  readonly slices: SliceReport[];
}

/**
 * The notebook's window `startofday(ago(lookback)) .. endofday(ago(endOffset))` as a half-open `[startMs, endMs)`
 * in ms UTC: whole UTC days, from the midnight that starts the day `lookbackDays` before `nowMs` to the midnight
 * that ends the day `endOffsetDays` before it (`endofday` is the day's last tick, and `<=` keeps it).
 */
export function queryWindow(nowMs: number, lookbackDays: number, endOffsetDays: number): { startMs: number; endMs: number } {
  return {
    startMs: utcDayStart(nowMs - lookbackDays * MS_PER_DAY),
    endMs: utcDayStart(nowMs - endOffsetDays * MS_PER_DAY) + MS_PER_DAY,
  };
}

/** Signals that a slice's result is too large and must be split, not retried. */
class SliceTooLarge extends Error {}

/** True when a partial error says the result passed the size limits (E_QUERY_RESULT_SET_TOO_LARGE etc.). */
function isResultTooLarge(partialError: unknown): boolean {
  const text = JSON.stringify(partialError ?? '').toLowerCase();
  return text.includes('too_large') || text.includes('too large') || (text.includes('exceed') && text.includes('limit'));
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
 * Pulls user-days from a Log Analytics workspace (Microsoft Sentinel's `SecurityEvent` table) with the notebook's
 * query (`buildUserDayKql`), one UTC day of its window (`queryWindow`) per request.
 *
 * - A day whose result reaches `maxRowsPerSlice` rows, or whose partial error says the result is too large, is
 *   split by a stable hash of the user (`| where hash(DstUser, n) == k`), again and again up to `maxBuckets`.
 * - At most `maxConcurrency` requests are in flight. 429, 408, 5xx and network errors are retried with
 *   exponential backoff, waiting the server's `Retry-After` when given. A partial result (status
 *   `PartialFailure`) counts as a failed attempt of that slice. A slice that still fails after `maxAttempts`
 *   throws an `IngestError` naming it; no slice is ever dropped silently.
 * - Batches come out in slice order (day, then bucket), each slice's rows sorted by DstDomain, DstUser,
 *   LogonTypeName, so the same data gives the same table.
 *
 * @throws RangeError at once for an unknown `logonType` or a negative number of days.
 */
export function readLogAnalytics(options: LogAnalyticsOptions): LogAnalyticsSource {
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
  const workspace = `workspace ${options.workspaceId}`;
  // Refuses an unknown logon type or a bad number of days now (RangeError), not in the first request.
  buildUserDayKql({ logonType: options.logonType, lookbackDays: options.lookbackDays, endOffsetDays: options.endOffsetDays });

  const { LogsQueryClient, LogsQueryResultStatus } = requireAzure<typeof MonitorQueryLogs>('@azure/monitor-query-logs');
  const client = new LogsQueryClient(options.credential ?? createCredential(options.credentialKind), {
    ...options.clientOptions,
    ...(options.endpoint !== undefined ? { endpoint: options.endpoint } : {}),
    retryOptions: { maxRetries: 0 },
  });
  const limit = createLimiter(options.maxConcurrency ?? DEFAULT_MAX_CONCURRENCY);

  /** One request for one slice, with retries. Throws `SliceTooLarge` when it must be split. */
  async function querySlice(slice: QuerySlice): Promise<UserDay[]> {
    const label = `${workspace} slice ${sliceLabel(slice)}`;
    const query = buildUserDayKql({
      logonType: options.logonType ?? DEFAULT_LOGON_TYPE,
      window: { startMs: slice.startMs, endMs: slice.endMs },
      userHash: slice.buckets > 1 ? { buckets: slice.buckets, bucket: slice.bucket } : undefined,
    });
    const timespan = { startTime: new Date(slice.startMs), endTime: new Date(slice.endMs) };
    let lastFailure = '';
    for (let attempt = 1; attempt <= maxAttempts; attempt++) {
      let delay: number;
      try {
        const result = await limit(() => client.queryWorkspace(options.workspaceId, query, timespan));
        if (result.status === LogsQueryResultStatus.Success) {
          const table = result.tables[0];
          const rows = table === undefined ? [] : tableToUserDays(table, label);
          if (rows.length >= maxRows) throw new SliceTooLarge(`${rows.length} rows reach the ${maxRows}-row limit`);
          return rows;
        }
        if (isResultTooLarge(result.partialError)) throw new SliceTooLarge(describeFailure(result.partialError));
        lastFailure = `partial result: ${describeFailure(result.partialError)}`;
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
      const label = `${workspace} slice ${sliceLabel(slice)}`;
      if (slice.buckets * splitFactor > maxBuckets) {
        throw new SourceUnavailableError(label, null, null, `result too large even split into ${slice.buckets} user buckets: ${error.message}`);
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
