import { createServer, type Server } from 'node:https';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  buildUserDayKql,
  readAll,
  readLogAnalytics,
  SourceUnavailableError,
  toUserDays,
  type LogAnalyticsOptions,
  type SliceReport,
  type UserDay,
} from '../src/index.js';
import {
  expectShardsPartition,
  inQueriedShard,
  logAnalyticsBody,
  queriedShard,
  remoteDayRows as dayRows,
  selfSignedCert,
} from './support.js';

const WORKSPACE = '00000000-1111-2222-3333-444444444444';
const DAY = 86_400_000;
const NOW = Date.UTC(2022, 8, 22, 13, 45); // with lookback 3 and end offset 1: days 09-19, 09-20, 09-21

/** The test's stand-in for Kusto's hash(): any function works as long as hash(x, n) = h(x) % n. */
function fakeHash(user: string, buckets: number): number {
  let h = 7;
  for (const c of user) h = (h * 31 + c.charCodeAt(0)) % 1_000_003;
  return h % buckets;
}

interface Request {
  query: string;
  timespan: string;
  authorization: string | undefined;
  day: number;
  bucket: { n: number; k: number } | null;
  shard: { index: number; count: number } | null;
}

type Reply = { status: number; headers?: Record<string, string>; body?: unknown };
/** Decides the reply to a request; `attempt` counts requests for the same slice (1-based). */
type Script = (req: Request, attempt: number) => Reply | null;

let server: Server;
let endpoint: string;
let ca: string;
let script: Script = () => null;
let users: string[] = ['alice', 'bob'];
let requests: Request[] = [];
let inFlight = 0;
let maxInFlight = 0;
/** Replies are held until this many requests are waiting (or a short fallback passes), to observe concurrency. */
let barrier = 1;
let held: (() => void)[] = [];
let fallback: NodeJS.Timeout | undefined;

function hold(reply: () => void): void {
  held.push(reply);
  clearTimeout(fallback);
  const release = () => {
    const now = held;
    held = [];
    for (const r of now) r();
  };
  if (held.length >= barrier) release();
  else fallback = setTimeout(release, 200);
}

/** A result table as the service sends it. */
function tableReply(rows: UserDay[], error?: unknown): Reply {
  return { status: 200, body: logAnalyticsBody(rows, error) };
}

/** The service's normal answer: the day's users, in the requested hash bucket and shard. */
function normalReply(req: Request): Reply {
  const chosen = dayRows(req.day, users).filter(
    (r) =>
      (req.bucket === null || fakeHash(r.DstUser, req.bucket.n) === req.bucket.k) &&
      (req.shard === null || inQueriedShard(r, req.shard)),
  );
  return tableReply(chosen.reverse()); // reversed: the client must not rely on row order
}

beforeAll(async () => {
  const tls = selfSignedCert();
  ca = tls.cert;
  const attempts = new Map<string, number>();
  server = createServer({ key: tls.key, cert: ca }, (req, res) => {
    let body = '';
    req.on('data', (c) => (body += c));
    req.on('end', () => {
      inFlight++;
      maxInFlight = Math.max(maxInFlight, inFlight);
      hold(() => {
        inFlight--;
        const match = /^\/v1\/workspaces\/([^/]+)\/query$/.exec(req.url ?? '');
        if (req.method !== 'POST' || match === null || match[1] !== WORKSPACE) {
          res.writeHead(404).end();
          return;
        }
        const { query, timespan } = JSON.parse(body) as { query: string; timespan: string };
        const start = /TimeGenerated >= datetime\(([^)]+)\)/.exec(query)![1]!;
        const hash = /hash\(DstUser, (\d+)\) == (\d+)/.exec(query);
        const request: Request = {
          query,
          timespan,
          authorization: req.headers.authorization,
          day: Date.parse(start) - (Date.parse(start) % DAY),
          bucket: hash === null ? null : { n: Number(hash[1]), k: Number(hash[2]) },
          shard: queriedShard(query),
        };
        requests.push(request);
        const key = `${request.day}/${hash?.[0] ?? ''}/${request.shard?.index ?? ''}`;
        const attempt = (attempts.get(key) ?? 0) + 1;
        attempts.set(key, attempt);
        const reply = script(request, attempt) ?? normalReply(request);
        res.writeHead(reply.status, { 'content-type': 'application/json', ...reply.headers });
        res.end(reply.body === undefined ? '' : JSON.stringify(reply.body));
      });
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  endpoint = `https://127.0.0.1:${(server.address() as AddressInfo).port}/v1`;
  // Each test resets the attempt counts through a fresh map.
  resetAttempts = () => attempts.clear();
});

let resetAttempts = () => {};

afterAll(async () => {
  await new Promise<void>((resolve) => server.close(() => resolve()));
});

function setup(s: Script, u = ['alice', 'bob'], wait = 1): void {
  script = s;
  users = u;
  requests = [];
  inFlight = 0;
  maxInFlight = 0;
  barrier = wait;
  resetAttempts();
}

const sleeps: number[] = [];
function options(extra: Partial<LogAnalyticsOptions> = {}): LogAnalyticsOptions {
  sleeps.length = 0;
  return {
    workspaceId: WORKSPACE,
    credential: { getToken: async () => ({ token: 'fake-token', expiresOnTimestamp: Date.now() + 3_600_000 }) },
    endpoint,
    clientOptions: { tlsOptions: { ca } },
    nowMs: NOW,
    lookbackDays: 3,
    endOffsetDays: 1,
    maxAttempts: 3,
    sleep: async (ms) => {
      sleeps.push(ms);
    },
    ...extra,
  };
}

function expectedTable(days: number[], u = ['alice', 'bob']): UserDay[] {
  return days.flatMap((d) => dayRows(d, u).sort((a, b) => (a.DstUser < b.DstUser ? -1 : 1)));
}

const DAYS = [Date.UTC(2022, 8, 19), Date.UTC(2022, 8, 20), Date.UTC(2022, 8, 21)];

describe('readLogAnalytics through the real SDK against a local HTTPS Log Analytics', () => {
  it('queries one day per request and returns every user-day in order', async () => {
    setup(() => null);
    const progress: SliceReport[] = [];
    const source = readLogAnalytics(options({ onProgress: (r) => progress.push(r) }));
    const rows = toUserDays(await readAll(source));
    expect(rows).toEqual(expectedTable(DAYS));
    expect(requests).toHaveLength(3);
    expect(requests.map((r) => r.timespan).sort()).toEqual(
      DAYS.map((d) => `${new Date(d).toISOString()}/${new Date(d + DAY).toISOString()}`),
    );
    expect(requests.every((r) => r.authorization === 'Bearer fake-token')).toBe(true);
    // Each request is the notebook's query over one whole UTC day of startofday(ago(3d)) .. endofday(ago(1d)).
    for (const r of requests) expect(r.query).toBe(buildUserDayKql({ window: { startMs: r.day, endMs: r.day + DAY } }));
    expect(
      progress
        .filter((p) => p.event === 'done')
        .map((p) => [p.label, p.rows])
        .sort(),
    ).toEqual([
      ['2022-09-19', 2],
      ['2022-09-20', 2],
      ['2022-09-21', 2],
    ]);
    expect(source.stats).toMatchObject({ rowsRead: 6, rowsKept: 6, rowsOut: 6, rowsRejected: 0 });
  });

  it('queries the WindowsEvent and DeviceLogonEvents tables with their KQL', async () => {
    for (const table of ['WindowsEvent', 'DeviceLogonEvents'] as const) {
      setup(() => null);
      expect(toUserDays(await readAll(readLogAnalytics(options({ table }))))).toEqual(expectedTable(DAYS));
      for (const r of requests)
        expect(r.query).toBe(buildUserDayKql({ table, window: { startMs: r.day, endMs: r.day + DAY } }));
    }
  });

  it('waits out a 429 for its Retry-After, then succeeds', async () => {
    setup((req, attempt) =>
      req.day === DAYS[1] && attempt === 1
        ? {
            status: 429,
            headers: { 'retry-after': '7' },
            body: { error: { code: 'ThrottledError', message: 'slow down' } },
          }
        : null,
    );
    const source = readLogAnalytics(options());
    expect(toUserDays(await readAll(source))).toEqual(expectedTable(DAYS));
    expect(sleeps).toEqual([7000]);
    expect(requests).toHaveLength(4);
    expect(source.slices.find((s) => s.event === 'retry')).toMatchObject({ attempt: 1, delayMs: 7000 });
  });

  it('treats a partial result as a failed attempt and retries it (no rows lost or doubled)', async () => {
    setup((req, attempt) =>
      req.day === DAYS[0] && attempt === 1
        ? tableReply(dayRows(req.day, users).slice(0, 1), {
            code: 'PartialError',
            message: 'There were some errors when processing your query.',
          })
        : null,
    );
    const source = readLogAnalytics(options({ baseDelayMs: 250 }));
    expect(toUserDays(await readAll(source))).toEqual(expectedTable(DAYS));
    expect(sleeps).toEqual([250]);
    expect(source.slices.find((s) => s.event === 'retry')?.reason).toMatch(/^partial result: /);
  });

  it('fails naming the slice when a slice keeps failing', async () => {
    setup((req) =>
      req.day === DAYS[2] ? { status: 503, body: { error: { code: 'ServiceUnavailable', message: 'down' } } } : null,
    );
    const failure = readAll(readLogAnalytics(options({ baseDelayMs: 100 })));
    await expect(failure).rejects.toBeInstanceOf(SourceUnavailableError);
    await expect(failure).rejects.toThrow(
      `workspace ${WORKSPACE} slice 2022-09-21: failed after 3 attempts; last: HTTP 503`,
    );
    expect(sleeps).toEqual([100, 200]);
    expect(requests.filter((r) => r.day === DAYS[2])).toHaveLength(3);
  });

  it('does not retry a request the service refuses (400)', async () => {
    setup((req) =>
      req.day === DAYS[0] ? { status: 400, body: { error: { code: 'BadArgumentError', message: 'bad query' } } } : null,
    );
    const refused = readAll(readLogAnalytics(options()));
    await expect(refused).rejects.toBeInstanceOf(SourceUnavailableError);
    await expect(refused).rejects.toThrow(/slice 2022-09-19: query failed: HTTP 400/);
    expect(requests.filter((r) => r.day === DAYS[0])).toHaveLength(1);
  });

  it('splits a too-large day by user hash, stably, losing no one', async () => {
    const many = ['ann', 'ben', 'cat', 'dan', 'eve', 'fay', 'gus', 'hal', 'ida'];
    setup(
      (req) =>
        req.day === DAYS[1] && req.bucket === null
          ? tableReply([], {
              code: 'PartialError',
              message: 'Response contained partial errors',
              details: [
                {
                  code: 'EngineError',
                  message:
                    'Query result set has exceeded the internal data size limit 67108864 (E_QUERY_RESULT_SET_TOO_LARGE).',
                },
              ],
            })
          : null,
      many,
    );
    const source = readLogAnalytics(options({ maxRowsPerSlice: 4, splitFactor: 2 }));
    const rows = toUserDays(await readAll(source));
    expect(rows).toEqual(expectedTable(DAYS, many));
    // Days 0 and 2 return 9 rows >= 4 and split too; every split request names its bucket.
    const splits = source.slices.filter((s) => s.event === 'split');
    expect(splits.length).toBeGreaterThanOrEqual(3);
    for (const r of requests.filter((q) => q.bucket !== null)) {
      expect(r.query).toContain(`| where hash(DstUser, ${r.bucket!.n}) == ${r.bucket!.k}`);
    }
    expect(source.slices.filter((s) => s.event === 'done').every((s) => (s.rows ?? 0) < 4)).toBe(true);
  });

  it('pulls only the users of a shard, chosen in the KQL; the shards of a run partition the users', async () => {
    const many = Array.from({ length: 12 }, (_, i) => `user${i}`);
    setup(() => null, many);
    const whole = toUserDays(await readAll(readLogAnalytics(options())));
    const count = 3;
    const shards: UserDay[][] = [];
    for (let index = 0; index < count; index++) {
      setup(() => null, many);
      shards.push(toUserDays(await readAll(readLogAnalytics(options({ shard: { index, count } })))));
      // Each request is the sliced query with the shard's line, and the service sent only that shard's rows.
      expect(requests).toHaveLength(3);
      for (const r of requests)
        expect(r.query).toBe(
          buildUserDayKql({ window: { startMs: r.day, endMs: r.day + DAY }, userShard: { index, count } }),
        );
      expect(shards[index]!.length).toBeGreaterThan(0);
      expect(shards[index]!.length).toBeLessThan(whole.length);
    }
    expectShardsPartition(whole, shards, many.length);
  });

  it('refuses an unknown logon type before any request', () => {
    setup(() => null);
    expect(() => readLogAnalytics(options({ logonType: 6 }))).toThrow(RangeError);
    expect(requests).toHaveLength(0);
  });

  it('keeps at most 5 requests in flight', async () => {
    setup(() => null, ['alice'], 6); // the server would hold up to 6; the client must stop at 5
    const rows = toUserDays(await readAll(readLogAnalytics(options({ lookbackDays: 12 }))));
    expect(rows).toHaveLength(12);
    expect(maxInFlight).toBe(5);
  });
});
