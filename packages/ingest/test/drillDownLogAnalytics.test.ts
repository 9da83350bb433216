import { Agent, createServer, type Server } from 'node:https';
import type { AddressInfo } from 'node:net';
import { CloudSettings } from 'azure-kusto-data';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  buildDrillDownKql,
  drillDownAdx,
  drillDownLogAnalytics,
  parseUtcDate,
  SourceUnavailableError,
  type UserDayKey,
} from '../src/index.js';
import { selfSignedCert } from './support.js';

const WORKSPACE = '00000000-1111-2222-3333-444444444444';
const KEY: UserDayKey = { domain: 'CONTOSO', user: 'x" or 1==1 //', dayMs: parseUtcDate('2022-09-16')! };

type Reply = { status: number; headers?: Record<string, string>; body?: unknown };

let server: Server;
let endpoint: string;
let ca: string;
let replies: Reply[] = [];
let queries: { query: string; timespan: string }[] = [];

/** The groups as the service sends them for the drill-down query: one row per hour and field combination. */
const GROUPS = [
  [
    '4625',
    '203.0.113.9',
    'KALI',
    'SRV1',
    'NTLM',
    '0xc000006d',
    '0xc000006a',
    1200,
    '2022-09-16T02:00:01Z',
    '2022-09-16T02:59:59Z',
  ],
  [
    '4625',
    '203.0.113.9',
    'KALI',
    'SRV1',
    'NTLM',
    '0xc000006d',
    '0xc000006a',
    56,
    '2022-09-16T03:00:00Z',
    '2022-09-16T03:01:00Z',
  ],
  ['4624', '203.0.113.9', 'KALI', 'SRV1', 'NTLM', '', '', 1, '2022-09-16T03:01:30Z', '2022-09-16T03:01:30Z'],
  ['4624', '10.0.0.8', 'WKS1', 'SRV2', 'Kerberos', '', '', 40, '2022-09-16T08:00:00Z', '2022-09-16T17:00:00Z'],
];
const COLUMNS = [
  ['EventID', 'int'],
  ['IpAddress', 'string'],
  ['WorkstationName', 'string'],
  ['Computer', 'string'],
  ['AuthenticationPackageName', 'string'],
  ['Status', 'string'],
  ['SubStatus', 'string'],
  ['LogonCount', 'long'],
  ['FirstSeen', 'datetime'],
  ['LastSeen', 'datetime'],
];
const table: Reply = {
  status: 200,
  body: { tables: [{ name: 'PrimaryResult', columns: COLUMNS.map(([name, type]) => ({ name, type })), rows: GROUPS }] },
};

beforeAll(async () => {
  const tls = selfSignedCert();
  ca = tls.cert;
  server = createServer({ key: tls.key, cert: ca }, (req, res) => {
    let body = '';
    req.on('data', (c) => (body += c));
    req.on('end', () => {
      if (req.method !== 'POST' || req.url !== `/v1/workspaces/${WORKSPACE}/query`) {
        res.writeHead(404).end();
        return;
      }
      queries.push(JSON.parse(body));
      const reply = replies.shift() ?? table;
      res.writeHead(reply.status, { 'content-type': 'application/json', ...reply.headers });
      res.end(reply.body === undefined ? '' : JSON.stringify(reply.body));
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  endpoint = `https://127.0.0.1:${(server.address() as AddressInfo).port}/v1`;
});

afterAll(async () => {
  await new Promise<void>((resolve) => server.close(() => resolve()));
});

function run(sleeps: number[] = []) {
  return drillDownLogAnalytics({
    workspaceId: WORKSPACE,
    key: KEY,
    credential: { getToken: async () => ({ token: 'fake-token', expiresOnTimestamp: Date.now() + 3_600_000 }) },
    endpoint,
    clientOptions: { tlsOptions: { ca } },
    maxAttempts: 3,
    sleep: async (ms) => {
      sleeps.push(ms);
    },
  });
}

describe('drillDownLogAnalytics (through the Azure SDK, against a local service)', () => {
  it('sends one summarizing query for the user-day, with the account as a literal it cannot escape', async () => {
    replies = [];
    queries = [];
    await run();
    expect(queries).toHaveLength(1);
    expect(queries[0]!.query).toBe(buildDrillDownKql(KEY));
    expect(queries[0]!.query).toContain('TargetUserName =~ "x\\" or 1==1 //"');
    expect(queries[0]!.query).toContain(
      '| where TimeGenerated >= datetime(2022-09-16T00:00:00.000Z) and TimeGenerated < datetime(2022-09-17T00:00:00.000Z)',
    );
    expect(queries[0]!.timespan).toBe('2022-09-16T00:00:00.000Z/2022-09-17T00:00:00.000Z');
  });

  it('builds the drill-down from the counted groups', async () => {
    replies = [];
    const drillDown = await run();
    expect(drillDown).toMatchObject({
      successes: 41,
      failures: 1256,
      firstSeenMs: Date.UTC(2022, 8, 16, 2, 0, 1),
      lastSeenMs: Date.UTC(2022, 8, 16, 17),
      bySourceIp: [
        { value: '203.0.113.9', successes: 1, failures: 1256 },
        { value: '10.0.0.8', successes: 40, failures: 0 },
      ],
      byComputer: [
        { value: 'SRV1', successes: 1, failures: 1256 },
        { value: 'SRV2', successes: 40, failures: 0 },
      ],
      failureReasons: [{ code: '0xC000006A', reason: 'wrong password', count: 1256 }],
    });
    expect(drillDown.hours[2]).toEqual({ hour: 2, successes: 0, failures: 1200 });
    expect(drillDown.hours[3]).toEqual({ hour: 3, successes: 1, failures: 56 });
    expect(drillDown.hours[8]).toEqual({ hour: 8, successes: 40, failures: 0 });
  });

  it('waits out throttling and a partial result, then answers', async () => {
    const sleeps: number[] = [];
    replies = [
      {
        status: 429,
        headers: { 'retry-after': '7' },
        body: { error: { code: 'ThrottledError', message: 'slow down' } },
      },
      {
        status: 200,
        body: { ...(table.body as object), error: { code: 'PartialError', message: 'one shard failed' } },
      },
    ];
    const drillDown = await run(sleeps);
    expect(drillDown.failures).toBe(1256);
    expect(sleeps).toEqual([7000, 2000]);
  });

  it('names the workspace when the service keeps failing', async () => {
    const unavailable = { status: 503, body: { error: { code: 'ServiceUnavailable', message: 'try later' } } };
    replies = [unavailable, unavailable, unavailable];
    const failure = run();
    await expect(failure).rejects.toBeInstanceOf(SourceUnavailableError);
    await expect(failure).rejects.toThrow(`workspace ${WORKSPACE}: failed after 3 attempts`);
  });
});

describe('drillDownAdx (through azure-kusto-data, against a local cluster)', () => {
  let adx: Server;
  let cluster: string;
  let adxReplies: Reply[] = [];
  const csls: string[] = [];
  const frames = (): Reply => ({
    status: 200,
    body: [
      { FrameType: 'DataSetHeader', IsProgressive: false, Version: 'v2.0' },
      {
        FrameType: 'DataTable',
        TableId: 1,
        TableKind: 'PrimaryResult',
        TableName: 'PrimaryResult',
        Columns: COLUMNS.map(([name, type]) => ({ ColumnName: name, ColumnType: type })),
        Rows: GROUPS,
      },
      { FrameType: 'DataSetCompletion', HasErrors: false, Cancelled: false },
    ],
  });

  beforeAll(async () => {
    const tls = selfSignedCert();
    const cert = tls.cert;
    adx = createServer({ key: tls.key, cert }, (req, res) => {
      let body = '';
      req.on('data', (c) => (body += c));
      req.on('end', () => {
        if (req.method !== 'POST' || req.url !== '/v2/rest/query') {
          res.writeHead(404).end();
          return;
        }
        csls.push((JSON.parse(body) as { csl: string }).csl);
        const reply = adxReplies.shift() ?? frames();
        res.writeHead(reply.status, { 'content-type': 'application/json', ...reply.headers });
        res.end(reply.body === undefined ? '' : JSON.stringify(reply.body));
      });
    });
    await new Promise<void>((resolve) => adx.listen(0, '127.0.0.1', resolve));
    cluster = `https://127.0.0.1:${(adx.address() as AddressInfo).port}`;
    // As in adx.test.ts: the SDK's cloud metadata lookup cannot be given the test's certificate authority.
    CloudSettings.writeToCache(cluster);
    adxAgent = new Agent({ ca: cert });
  });
  let adxAgent: Agent;

  afterAll(async () => {
    await new Promise<void>((resolve) => adx.close(() => resolve()));
  });

  it('sends the same query and builds the same drill-down as from Log Analytics, after throttling', async () => {
    const sleeps: number[] = [];
    adxReplies = [
      {
        status: 429,
        headers: { 'retry-after': '3' },
        body: { error: { code: 'TooManyRequests', message: 'slow down' } },
      },
    ];
    const drillDown = await drillDownAdx({
      cluster,
      database: 'Security',
      key: KEY,
      httpsAgent: adxAgent,
      maxAttempts: 3,
      credential: { getToken: async () => ({ token: 'fake-token', expiresOnTimestamp: Date.now() + 3_600_000 }) },
      sleep: async (ms) => {
        sleeps.push(ms);
      },
    });
    expect(csls.at(-1)).toBe(buildDrillDownKql(KEY));
    expect(sleeps).toEqual([3000]);
    replies = [];
    expect(drillDown).toEqual(await run());
  });
});
