/**
 * A sharded hunt over Log Analytics: each worker's query carries its shard's filter (`userShardKql`), the service
 * answers it as Kusto would (XXH64, the algorithm of `hash_xxhash64`), and the shards' hunts with one model together
 * are the unsharded hunt, row for row and bit for bit. Through the real `@azure/monitor-query-logs` SDK against a
 * local HTTPS service holding a generated tenant.
 */
import { createServer, type Server } from 'node:https';
import type { AddressInfo } from 'node:net';
import type { RecordBatch, Table } from 'apache-arrow';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { loadIsoforest, type IsolationForestModel } from '@isoforest/core';
import { huntUserDayPasses } from '@isoforest/hunt';
import {
  MS_PER_DAY,
  readAll,
  readLogAnalytics,
  toUserDays,
  userShardKql,
  utcDayStart,
  type UserDay,
  type UserShard,
} from '@isoforest/ingest';
import { generateUserDays } from '@isoforest/synth';
import { inQueriedShard, logAnalyticsBody, queriedShard, selfSignedCert } from '../../ingest/test/support.js';

vi.setConfig({ testTimeout: 120_000, hookTimeout: 120_000 });

const WORKSPACE = '00000000-1111-2222-3333-444444444444';
const SHARDS = 3;
const tenant: UserDay[] = [...generateUserDays({ users: 80, days: 12, seed: 21, attackRate: 0.02 })].flatMap((b) =>
  toUserDays(b as never),
);
const firstDay = Math.min(...tenant.map((r) => r.Date));
const lastDay = Math.max(...tenant.map((r) => r.Date));
/** Noon of the day after the last: the notebook's window (ending with yesterday) covers the whole tenant. */
const NOW = lastDay + MS_PER_DAY + MS_PER_DAY / 2;

let server: Server;
let endpoint: string;
let ca: string;
const queries: string[] = [];

beforeAll(async () => {
  const tls = selfSignedCert();
  ca = tls.cert;
  server = createServer({ key: tls.key, cert: ca }, (req, res) => {
    let body = '';
    req.on('data', (chunk) => (body += chunk));
    req.on('end', () => {
      const { query } = JSON.parse(body) as { query: string };
      queries.push(query);
      const day = utcDayStart(Date.parse(/TimeGenerated >= datetime\(([^)]+)\)/.exec(query)![1]!));
      const shard = queriedShard(query);
      const rows = tenant.filter((r) => r.Date === day && (shard === null || inQueriedShard(r, shard)));
      res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify(logAnalyticsBody(rows)));
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  endpoint = `https://127.0.0.1:${(server.address() as AddressInfo).port}/v1`;
});

afterAll(async () => {
  await new Promise<void>((resolve) => server.close(() => resolve()));
});

/** The user-days a hunt worker pulls: all of them, or one shard's. */
async function pull(shard?: UserShard): Promise<Table> {
  queries.length = 0;
  return readAll(
    readLogAnalytics({
      workspaceId: WORKSPACE,
      credential: { getToken: async () => ({ token: 'fake-token', expiresOnTimestamp: Date.now() + 3_600_000 }) },
      endpoint,
      clientOptions: { tlsOptions: { ca } },
      nowMs: NOW,
      lookbackDays: (utcDayStart(NOW) - firstDay) / MS_PER_DAY,
      endOffsetDays: 1,
      shard,
    }),
  );
}

/** Every scored row of a hunt with `model` (input columns, features, scores), by user-day: what scores.csv holds. */
async function scoredRows(
  isoforest: Awaited<ReturnType<typeof loadIsoforest>>,
  table: Table,
  model: IsolationForestModel,
): Promise<Map<string, string>> {
  const rows = new Map<string, string>();
  await huntUserDayPasses(
    isoforest,
    async function* () {
      yield* table.batches;
    },
    {
      model,
      threads: 1,
      scoredBatches: async (batches: AsyncIterable<RecordBatch>) => {
        for await (const batch of batches) {
          for (let i = 0; i < batch.numRows; i++) {
            const row = batch.get(i)!.toJSON();
            const key = `${row.Date}|${row.DstDomain}|${row.DstUser}|${row.LogonTypeName}`;
            rows.set(
              key,
              JSON.stringify(row, (_, v: unknown) => (typeof v === 'bigint' ? v.toString() : v)),
            );
          }
        }
      },
    },
  );
  return rows;
}

describe('hunt --source sentinel --shard K/N', () => {
  it('pulls each shard with the filter in its KQL, and the shards together are the unsharded hunt', async () => {
    const isoforest = await loadIsoforest();
    const whole = await pull();
    expect(whole.numRows).toBe(tenant.length);
    const { model } = await huntUserDayPasses(isoforest, async function* () {
      yield* whole.batches;
    });
    const expected = await scoredRows(isoforest, whole, model);

    const union = new Map<string, string>();
    for (let index = 0; index < SHARDS; index++) {
      const shard = await pull({ index, count: SHARDS });
      expect(queries.length).toBeGreaterThan(0);
      for (const query of queries) expect(query).toContain(`| where ${userShardKql({ index, count: SHARDS })}\n`);
      expect(shard.numRows).toBeGreaterThan(0);
      expect(shard.numRows).toBeLessThan(whole.numRows);
      for (const [key, row] of await scoredRows(isoforest, shard, model)) {
        expect(union.has(key), `${key} is in two shards`).toBe(false);
        union.set(key, row);
      }
    }
    expect(union.size).toBe(expected.size);
    for (const [key, row] of expected) expect(union.get(key), key).toBe(row);
  });
});
