/**
 * Azure Data Explorer end to end through the real `azure-kusto-data` SDK, against a local HTTPS server that
 * answers as a cluster does: v2 query responses (DataSetHeader, DataTable frames, DataSetCompletion), 429 with
 * Retry-After, partial failures in the completion frame, and a query refused.
 */
import { Agent, createServer, type Server } from 'node:https';
import type { AddressInfo } from 'node:net';
import { CloudSettings } from 'azure-kusto-data';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import {
  buildUserDayKql,
  formatIsoDate,
  readAdx,
  readAll,
  SourceUnavailableError,
  toUserDays,
  USER_DAY_COLUMNS,
  type AdxOptions,
  type LogonTable,
  type UserDay,
} from '../src/index.js';
import {
  expectShardsPartition,
  inQueriedShard,
  queriedShard,
  remoteDayRows as dayRows,
  selfSignedCert,
} from './support.js';

// Whole files are read and archives expanded: generous limits, as the suite may share two cores with another copy.
vi.setConfig({ testTimeout: 120_000, hookTimeout: 120_000 });

const DATABASE = 'SecurityLogs';
const DAY = 86_400_000;
const NOW = Date.UTC(2022, 8, 22, 13, 45); // lookback 3, end offset 1: days 09-19, 09-20, 09-21
const DAYS = [Date.UTC(2022, 8, 19), Date.UTC(2022, 8, 20), Date.UTC(2022, 8, 21)];

interface Request {
  db: string;
  csl: string;
  authorization: string | undefined;
  day: number;
}
type Reply = { status: number; headers?: Record<string, string>; body?: unknown };

/** A v2 response as a cluster sends it: the user-days as PrimaryResult, then the completion frame. */
function v2Reply(rows: UserDay[], oneApiErrors?: unknown[]): Reply {
  const type = (k: string) => (k === 'string' || k === 'date' ? 'string' : k === 'count' ? 'long' : 'datetime');
  const cell = (r: UserDay, name: keyof UserDay, k: string) =>
    k === 'date'
      ? formatIsoDate(r[name] as number)
      : k === 'timestamp'
        ? new Date(r[name] as number).toISOString()
        : r[name];
  const frames: unknown[] = [
    { FrameType: 'DataSetHeader', IsProgressive: false, Version: 'v2.0' },
    {
      FrameType: 'DataTable',
      TableId: 0,
      TableKind: 'QueryProperties',
      TableName: '@ExtendedProperties',
      Columns: [
        { ColumnName: 'TableId', ColumnType: 'int' },
        { ColumnName: 'Key', ColumnType: 'string' },
        { ColumnName: 'Value', ColumnType: 'dynamic' },
      ],
      Rows: [[1, 'Visualization', '{"Visualization":null}']],
    },
    {
      FrameType: 'DataTable',
      TableId: 1,
      TableKind: 'PrimaryResult',
      TableName: 'PrimaryResult',
      Columns: USER_DAY_COLUMNS.map((c) => ({ ColumnName: c.name, ColumnType: type(c.kind) })),
      Rows: rows.reverse().map((r) => USER_DAY_COLUMNS.map((c) => cell(r, c.name, c.kind))),
    },
    {
      FrameType: 'DataTable',
      TableId: 2,
      TableKind: 'QueryCompletionInformation',
      TableName: 'QueryCompletionInformation',
      Columns: [
        { ColumnName: 'Timestamp', ColumnType: 'datetime' },
        { ColumnName: 'Level', ColumnType: 'int' },
        { ColumnName: 'LevelName', ColumnType: 'string' },
        { ColumnName: 'Payload', ColumnType: 'string' },
      ],
      Rows: [['2022-09-22T13:45:01.000Z', 4, 'Info', '{"Count":1,"Text":"Query completed successfully"}']],
    },
    oneApiErrors === undefined
      ? { FrameType: 'DataSetCompletion', HasErrors: false, Cancelled: false }
      : { FrameType: 'DataSetCompletion', HasErrors: true, Cancelled: false, OneApiErrors: oneApiErrors },
  ];
  return { status: 200, body: frames };
}

let server: Server;
let cluster: string;
let ca: string;
let script: (req: Request, attempt: number) => Reply | null = () => null;
let requests: Request[] = [];
/** The users the cluster holds on each day. */
let users = ['alice', 'bob'];
const attempts = new Map<number, number>();

beforeAll(async () => {
  const tls = selfSignedCert();
  ca = tls.cert;
  server = createServer({ key: tls.key, cert: ca }, (req, res) => {
    let body = '';
    req.on('data', (c) => (body += c));
    req.on('end', () => {
      if (req.method !== 'POST' || req.url !== '/v2/rest/query') {
        res.writeHead(404).end();
        return;
      }
      const { db, csl } = JSON.parse(body) as { db: string; csl: string };
      const start = /TimeGenerated >= datetime\(([^)]+)\)/.exec(csl)![1]!;
      const request: Request = { db, csl, authorization: req.headers.authorization, day: Date.parse(start) };
      requests.push(request);
      const attempt = (attempts.get(request.day) ?? 0) + 1;
      attempts.set(request.day, attempt);
      const shard = queriedShard(csl);
      const rows = dayRows(request.day, users).filter((r) => shard === null || inQueriedShard(r, shard));
      const reply = script(request, attempt) ?? v2Reply(rows);
      res.writeHead(reply.status, { 'content-type': 'application/json', ...reply.headers });
      res.end(reply.body === undefined ? '' : JSON.stringify(reply.body));
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  cluster = `https://127.0.0.1:${(server.address() as AddressInfo).port}`;
  // The SDK reads a cluster's sign-in metadata through its own global axios, which cannot be given the test's
  // certificate authority; the public cloud's, which a cluster without metadata gets, is put in its cache.
  CloudSettings.writeToCache(cluster);
});

afterAll(async () => {
  await new Promise<void>((resolve) => server.close(() => resolve()));
});

const sleeps: number[] = [];
function setup(s: typeof script, u = ['alice', 'bob']): void {
  script = s;
  users = u;
  requests = [];
  attempts.clear();
  sleeps.length = 0;
}

function options(extra: Partial<AdxOptions> = {}): AdxOptions {
  return {
    cluster,
    database: DATABASE,
    credential: { getToken: async () => ({ token: 'fake-token', expiresOnTimestamp: Date.now() + 3_600_000 }) },
    httpsAgent: new Agent({ ca }),
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

const expected = DAYS.flatMap((d) => dayRows(d, ['alice', 'bob']));

describe('readAdx through azure-kusto-data against a local HTTPS cluster', () => {
  for (const table of ['SecurityEvent', 'WindowsEvent', 'DeviceLogonEvents'] as LogonTable[]) {
    it(`queries ${table} one day per request with the same KQL as Log Analytics`, async () => {
      setup(() => null);
      const source = readAdx(options({ table }));
      expect(toUserDays(await readAll(source))).toEqual(expected);
      expect(requests.map((r) => r.day).sort()).toEqual(DAYS);
      for (const r of requests) {
        expect(r.db).toBe(DATABASE);
        expect(r.authorization).toBe('Bearer fake-token');
        expect(r.csl).toBe(buildUserDayKql({ table, window: { startMs: r.day, endMs: r.day + DAY } }));
      }
      expect(source.stats).toMatchObject({ rowsRead: 6, rowsKept: 6, rowsOut: 6 });
    });
  }

  it('pulls only the users of a shard, chosen in the KQL; the shards of a run partition the users', async () => {
    const many = Array.from({ length: 12 }, (_, i) => `user${i}`);
    setup(() => null, many);
    const whole = toUserDays(await readAll(readAdx(options())));
    const count = 3;
    const shards: UserDay[][] = [];
    for (let index = 0; index < count; index++) {
      setup(() => null, many);
      shards.push(toUserDays(await readAll(readAdx(options({ shard: { index, count } })))));
      expect(requests).toHaveLength(3);
      for (const r of requests)
        expect(r.csl).toBe(
          buildUserDayKql({ window: { startMs: r.day, endMs: r.day + DAY }, userShard: { index, count } }),
        );
      expect(shards[index]!.length).toBeGreaterThan(0);
      expect(shards[index]!.length).toBeLessThan(whole.length);
    }
    expectShardsPartition(whole, shards, many.length);
  });

  it('waits out a 429 for its Retry-After, then succeeds', async () => {
    setup((req, attempt) =>
      req.day === DAYS[1] && attempt === 1
        ? {
            status: 429,
            headers: { 'retry-after': '4' },
            body: { error: { code: 'TooManyRequests', message: 'throttled' } },
          }
        : null,
    );
    const source = readAdx(options());
    expect(toUserDays(await readAll(source))).toEqual(expected);
    expect(sleeps).toEqual([4000]);
    expect(source.slices.find((s) => s.event === 'retry')).toMatchObject({ attempt: 1, delayMs: 4000 });
  });

  it('retries a partial failure in the completion frame, and splits a result that is too large', async () => {
    const partial = [
      {
        error: {
          code: 'LimitsExceeded',
          '@message': 'Query execution lacks memory resources to complete (80DA0007): Partial query failure',
        },
      },
    ];
    const tooLarge = [
      {
        error: {
          code: 'LimitsExceeded',
          '@message':
            'The results of this query exceed the set limit of 500000 records, so not all records were returned (E_QUERY_RESULT_SET_TOO_LARGE, 0x80DA0003)',
        },
      },
    ];
    setup((req, attempt) => {
      if (req.day === DAYS[0] && attempt === 1) return v2Reply(dayRows(req.day, ['alice']), partial);
      if (req.day === DAYS[2] && !req.csl.includes('hash(DstUser'))
        return v2Reply(dayRows(req.day, ['alice']), tooLarge);
      if (req.day === DAYS[2]) {
        const [, n, k] = /hash\(DstUser, (\d+)\) == (\d+)/.exec(req.csl)!;
        return v2Reply(dayRows(req.day, ['alice', 'bob']).filter((_, i) => i % Number(n) === Number(k)));
      }
      return null;
    });
    const source = readAdx(options({ baseDelayMs: 300, splitFactor: 2 }));
    expect(toUserDays(await readAll(source))).toEqual(expected);
    expect(sleeps).toEqual([300]);
    expect(source.slices.find((s) => s.event === 'retry')?.reason).toMatch(/^partial result: .*Partial query failure/);
    expect(source.slices.filter((s) => s.event === 'split').map((s) => s.label)).toEqual(['2022-09-21']);
  });

  it('fails naming the cluster, database and slice when a slice keeps failing, and does not retry a refused query', async () => {
    setup((req) =>
      req.day === DAYS[2]
        ? { status: 503, body: { error: { code: 'ServiceUnavailable', message: 'cluster is busy' } } }
        : null,
    );
    const failing = readAll(readAdx(options({ baseDelayMs: 100 })));
    await expect(failing).rejects.toBeInstanceOf(SourceUnavailableError);
    await expect(failing).rejects.toThrow(
      `cluster ${cluster} database ${DATABASE} slice 2022-09-21: failed after 3 attempts; last: HTTP 503: cluster is busy`,
    );
    expect(sleeps).toEqual([100, 200]);

    setup((req) =>
      req.day === DAYS[0]
        ? {
            status: 400,
            body: {
              error: { code: 'General_BadRequest', message: "Semantic error: 'SecurityEvent' could not be resolved" },
            },
          }
        : null,
    );
    const refused = readAll(readAdx(options()));
    await expect(refused).rejects.toThrow(
      /slice 2022-09-19: query failed: HTTP 400: Semantic error: 'SecurityEvent' could not be resolved/,
    );
    expect(requests.filter((r) => r.day === DAYS[0])).toHaveLength(1);
  });
});
