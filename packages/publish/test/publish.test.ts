import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync } from 'node:fs';
import { createServer, type Server } from 'node:https';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { gunzipSync } from 'node:zlib';
import { makeVector, Table, vectorFromArray, Utf8 } from 'apache-arrow';
import { MODEL_FEATURES } from '@isoforest/features';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  ANOMALY_COLUMNS,
  ANOMALY_STREAM,
  anomalyRecords,
  AnomalyTableError,
  publishAnomalies,
  type AnomalyRecord,
} from '../src/index.js';

const RULE = 'dcr-00112233445566778899aabbccddeeff';

describe('anomalyRecords', () => {
  const features = (base: number) =>
    Object.fromEntries(MODEL_FEATURES.map((name, c) => [name, makeVector(Float64Array.of(base + c))]));
  const shap = Object.fromEntries(
    MODEL_FEATURES.map((name, c) => [
      `shap_${name}`,
      makeVector(Float64Array.of([-4.9, 0.4, -1.1, 0, -0.4, -2.5][c]!)),
    ]),
  );
  const table = new Table({
    Date: vectorFromArray(['2022-09-16'], new Utf8()),
    DstDomain: vectorFromArray(['CONTOSO'], new Utf8()),
    DstUser: vectorFromArray(['=cmd|calc'], new Utf8()),
    ...features(1),
    decision_function: makeVector(Float64Array.of(-0.0097)),
    score: makeVector(Float64Array.of(0.0097)),
    ...shap,
    expected_value: makeVector(Float64Array.of(10.831)),
  });

  it('makes one row per flagged user-day with its three strongest pushes toward anomalous', () => {
    const [record] = anomalyRecords(table, {
      timeGeneratedMs: Date.UTC(2022, 8, 17, 6),
      modelId: 'abc',
      runId: 'run-1',
    });
    expect(Object.keys(record!)).toEqual(ANOMALY_COLUMNS.map((c) => c.name));
    expect(record).toEqual({
      TimeGenerated: '2022-09-17T06:00:00.000Z',
      UserDay: '2022-09-16T00:00:00.000Z',
      DstDomain: 'CONTOSO',
      DstUser: '=cmd|calc', // a table value, not a spreadsheet cell: kept exactly
      FailedLogons_zscore: 1,
      SuccessfulLogons_zscore: 2,
      ComputersSuccessfulAccess_zscore: 3,
      ComputerDomainsSuccessfulAccess: 4,
      SrcIpSuccessfulAccess_zscore: 5,
      SrcHostNameSuccessfulAccess: 6,
      Score: 0.0097,
      DecisionFunction: -0.0097,
      TopContributions: [
        { feature: 'FailedLogons_zscore', value: 1, shap: -4.9 },
        { feature: 'SrcHostNameSuccessfulAccess', value: 6, shap: -2.5 },
        { feature: 'ComputersSuccessfulAccess_zscore', value: 3, shap: -1.1 },
      ],
      ExpectedValue: 10.831,
      ModelId: 'abc',
      RunId: 'run-1',
    });
  });

  it('names a missing column', () => {
    const noScore = new Table(
      Object.fromEntries(
        table.schema.fields
          .filter((f) => f.name !== 'score')
          .map((f) => [f.name, table.getChildAt(table.schema.fields.indexOf(f))!]),
      ),
    );
    expect(() => anomalyRecords(noScore, { timeGeneratedMs: 0, modelId: 'm', runId: 'r' })).toThrow(
      new AnomalyTableError("missing column 'score'"),
    );
  });
});

/** What the fake Logs Ingestion endpoint received, batch by batch (gunzipped). */
let batches: AnomalyRecord[][] = [];
let throttleNext = 0;
let server: Server;
let endpoint: string;
let ca: string;

beforeAll(async () => {
  const dir = mkdtempSync(path.join(tmpdir(), 'isoforest-publish-'));
  execFileSync(
    'openssl',
    [
      'req',
      '-x509',
      '-newkey',
      'rsa:2048',
      '-nodes',
      '-keyout',
      path.join(dir, 'key.pem'),
      '-out',
      path.join(dir, 'cert.pem'),
      '-days',
      '1',
      '-subj',
      '/CN=127.0.0.1',
      '-addext',
      'subjectAltName=IP:127.0.0.1',
    ],
    { stdio: 'ignore' },
  );
  ca = readFileSync(path.join(dir, 'cert.pem'), 'utf8');
  server = createServer({ key: readFileSync(path.join(dir, 'key.pem')), cert: ca }, (req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const url = new URL(req.url ?? '', 'https://x');
      if (
        req.method !== 'POST' ||
        url.pathname !== `/dataCollectionRules/${RULE}/streams/${ANOMALY_STREAM}` ||
        !url.searchParams.has('api-version')
      ) {
        res.writeHead(404).end();
        return;
      }
      if (throttleNext > 0) {
        throttleNext--;
        res.writeHead(429, { 'retry-after': '0', 'content-type': 'application/json' });
        res.end(JSON.stringify({ error: { code: 'TooManyRequests', message: 'slow down' } }));
        return;
      }
      const body =
        req.headers['content-encoding'] === 'gzip' ? gunzipSync(Buffer.concat(chunks)) : Buffer.concat(chunks);
      const rows = JSON.parse(body.toString('utf8')) as AnomalyRecord[];
      // As the service does with rows that do not fit the stream: the whole request is refused.
      if (rows.some((row) => row.DstUser === 'poison')) {
        res.writeHead(400, { 'content-type': 'application/json' });
        res.end(JSON.stringify({ error: { code: 'InvalidStream', message: 'column DstUser: bad value' } }));
        return;
      }
      batches.push(rows);
      res.writeHead(204).end();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  endpoint = `https://127.0.0.1:${(server.address() as AddressInfo).port}`;
});

afterAll(async () => {
  await new Promise<void>((resolve) => server.close(() => resolve()));
});

function rows(count: number, poisonAt = -1): AnomalyRecord[] {
  return Array.from({ length: count }, (_, i) => ({
    TimeGenerated: '2022-09-17T06:00:00.000Z',
    UserDay: '2022-09-16T00:00:00.000Z',
    DstDomain: 'CONTOSO',
    DstUser: i === poisonAt ? 'poison' : `user-${i}-${'x'.repeat(400)}`,
    Score: i,
    RunId: 'r',
  }));
}

const credential = { getToken: async () => ({ token: 'fake', expiresOnTimestamp: Date.now() + 3_600_000 }) };
const publish = (records: AnomalyRecord[]) =>
  publishAnomalies(records, {
    endpoint,
    ruleId: RULE,
    credential,
    maxConcurrency: 1,
    clientOptions: { tlsOptions: { ca } },
  });

describe('publishAnomalies (through @azure/monitor-ingestion, against a local service)', () => {
  it('sends every row once, in batches under 1 MB, waiting out throttling', async () => {
    batches = [];
    throttleNext = 2;
    const records = rows(5000);
    const result = await publish(records);
    expect(result).toEqual({ sent: 5000, rejected: [], failures: [] });
    expect(batches.length).toBeGreaterThan(1);
    expect(batches.flat().map((r) => r.Score)).toEqual(records.map((r) => r.Score));
    expect(throttleNext).toBe(0);
  });

  it('hands back the rows of a refused batch with the reason, and sends the rest', async () => {
    batches = [];
    const records = rows(5000, 3000);
    const result = await publish(records);
    const received = batches.flat();
    expect(result.failures).toHaveLength(1);
    expect(result.failures[0]).toContain('HTTP 400');
    expect(result.rejected.some((r) => r.DstUser === 'poison')).toBe(true);
    // Nothing lost, nothing twice: every row was either received or handed back.
    expect(result.sent).toBe(received.length);
    expect([...received, ...result.rejected].map((r) => r.Score).sort((a, b) => Number(a) - Number(b))).toEqual(
      records.map((r) => r.Score),
    );
  });
});
