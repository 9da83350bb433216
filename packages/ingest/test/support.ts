import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { Dictionary, Float64, Int32, makeData, makeVector, type Vector } from 'apache-arrow';
import { parquetWriteFile } from 'hyparquet-writer';
import { expect } from 'vitest';
import {
  formatIsoDate,
  parseUtcTimestamp,
  readCsvRecords,
  readUserDayCsv,
  USER_DAY_COLUMNS,
  writeParquet,
  type UserDay,
} from '../src/index.js';
import { fileURLToPath } from 'node:url';

/** The repository root. */
export const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..', '..');
/** Ground truth kept outside the repository. */
export const sharedRoot = path.resolve(repoRoot, '..', 'shared');
export const demoCsv = path.join(repoRoot, 'fixtures', 'demo', 'iforest-demo-data.csv');
export const ingestFixtures = path.join(repoRoot, 'fixtures', 'ingest');

/** A column whose value at each row is `dictionary[users[row]]`: a feature table's per-user statistic. */
export function perUser(users: Int32Array, dictionary: Vector): Vector {
  const type = new Dictionary(new Float64(), new Int32());
  return makeVector(makeData({ type, length: users.length, nullCount: 0, data: users, dictionary }));
}

/** Writes `content` to a fresh temporary file named `name` and returns its path. */
export function tempFile(name: string, content: string | Uint8Array): string {
  const dir = mkdtempSync(path.join(tmpdir(), 'isoforest-ingest-'));
  const file = path.join(dir, name);
  writeFileSync(file, content);
  return file;
}

/**
 * A fresh self-signed key and certificate for 127.0.0.1 (openssl, valid one day), for the local HTTPS services that
 * stand in for Log Analytics and Azure Data Explorer: the Azure SDKs speak only HTTPS.
 */
export function selfSignedCert(): { key: string; cert: string } {
  const dir = mkdtempSync(path.join(tmpdir(), 'isoforest-tls-'));
  const [key, cert] = [path.join(dir, 'key.pem'), path.join(dir, 'cert.pem')];
  const subject = ['-subj', '/CN=127.0.0.1', '-addext', 'subjectAltName=IP:127.0.0.1'];
  execFileSync(
    'openssl',
    ['req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-keyout', key, '-out', cert, '-days', '1', ...subject],
    {
      stdio: 'ignore',
    },
  );
  return { key: readFileSync(key, 'utf8'), cert: readFileSync(cert, 'utf8') };
}

/** What the local Log Analytics and ADX services hold: one user-day per user on `dayMs`, counts varying by user. */
export function remoteDayRows(dayMs: number, users: string[]): UserDay[] {
  return users.map((user, i) => ({
    Date: dayMs,
    DstDomain: 'CONTOSO',
    DstUser: user,
    LogonTypeName: '3 - Network',
    AttemptedLogons: 10 + i,
    MAX_TimeGenerated: dayMs + 3_600_000 + i,
    MIN_TimeGenerated: dayMs + 60_000,
    SuccessfulLogons: 9 + i,
    FailedLogons: 1,
    ComputerDomainsAccessed: 1,
    DistinctAuthenticationPackage: 1,
    ComputersAccessed: 2,
    DistinctSrcIp: 1,
    DistinctSrcHostName: 1,
    ComputersSuccessfulAccess: 2,
    ComputerDomainsSuccessfulAccess: 1,
    SrcIpSuccessfulAccess: 1,
    SrcHostNameSuccessfulAccess: 1,
    ActiveMilliseconds: 3_540_000 + i,
  }));
}

const MASK64 = (1n << 64n) - 1n;
const XXH_PRIMES = [
  0x9e3779b185ebca87n,
  0xc2b2ae3d27d4eb4fn,
  0x165667b19e3779f9n,
  0x85ebca77c2b2ae63n,
  0x27d4eb2f165667c5n,
] as const;
const [P1, P2, P3, P4, P5] = XXH_PRIMES;
const rotl64 = (x: bigint, r: bigint) => ((x << r) | (x >> (64n - r))) & MASK64;
const xxhRound = (acc: bigint, lane: bigint) => (rotl64((acc + lane * P2) & MASK64, 31n) * P1) & MASK64;

/**
 * XXH64 with seed 0 of `bytes` (the xxHash specification, in BigInt): what Kusto's `hash_xxhash64` computes of a
 * string's UTF-8 bytes, so the local services can answer a sharded query as Kusto would. Checked against Kusto's
 * documented example and against `xxhsum -H1`.
 */
export function xxhash64(bytes: Uint8Array): bigint {
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const len = bytes.length;
  let p = 0;
  let h: bigint;
  if (len >= 32) {
    const v = [(P1 + P2) & MASK64, P2, 0n, (MASK64 + 1n - P1) & MASK64];
    for (; p + 32 <= len; p += 32)
      for (let i = 0; i < 4; i++) v[i] = xxhRound(v[i]!, view.getBigUint64(p + 8 * i, true));
    h = (rotl64(v[0]!, 1n) + rotl64(v[1]!, 7n) + rotl64(v[2]!, 12n) + rotl64(v[3]!, 18n)) & MASK64;
    for (const lane of v) h = (((h ^ xxhRound(0n, lane)) * P1 + P4) & MASK64) as bigint;
  } else {
    h = P5;
  }
  h = (h + BigInt(len)) & MASK64;
  for (; p + 8 <= len; p += 8) h = (rotl64(h ^ xxhRound(0n, view.getBigUint64(p, true)), 27n) * P1 + P4) & MASK64;
  if (p + 4 <= len) {
    h = (rotl64(h ^ ((BigInt(view.getUint32(p, true)) * P1) & MASK64), 23n) * P2 + P3) & MASK64;
    p += 4;
  }
  for (; p < len; p++) h = (rotl64(h ^ ((BigInt(bytes[p]!) * P5) & MASK64), 11n) * P1) & MASK64;
  h = ((h ^ (h >> 33n)) * P2) & MASK64;
  h = ((h ^ (h >> 29n)) * P3) & MASK64;
  return h ^ (h >> 32n);
}

/** The shard a sharded query (`userShardKql`) keeps, or null: what a local service reads from the query text. */
export function queriedShard(query: string): { index: number; count: number } | null {
  const match = /hash_xxhash64\(strcat\(DstDomain, "\\\\", DstUser\), (\d+)\) == (\d+)/.exec(query);
  return match === null ? null : { count: Number(match[1]), index: Number(match[2]) };
}

/** Whether Kusto keeps a user-day under `userShardKql(shard)`: `hash_xxhash64(DOMAIN\user, count) == index`. */
export function inQueriedShard(row: { DstDomain: string; DstUser: string }, shard: { index: number; count: number }) {
  const hash = xxhash64(new TextEncoder().encode(`${row.DstDomain}\\${row.DstUser}`));
  return hash % BigInt(shard.count) === BigInt(shard.index);
}

/** The body of a Log Analytics query response holding `rows` (Date as the string of format_datetime), and an error. */
export function logAnalyticsBody(rows: UserDay[], error?: unknown): unknown {
  const kind = (k: string) => (k === 'string' || k === 'date' ? 'string' : k === 'count' ? 'long' : 'datetime');
  const cell = (r: UserDay, name: keyof UserDay, k: string) =>
    k === 'date'
      ? formatIsoDate(r[name] as number)
      : k === 'timestamp'
        ? new Date(r[name] as number).toISOString()
        : r[name];
  return {
    tables: [
      {
        name: 'PrimaryResult',
        columns: USER_DAY_COLUMNS.map((c) => ({ name: c.name, type: kind(c.kind) })),
        rows: rows.map((r) => USER_DAY_COLUMNS.map((c) => cell(r, c.name, c.kind))),
      },
    ],
    ...(error === undefined ? {} : { error }),
  };
}

/** The demo user-days written as Parquet, a row group per `batchRows` rows (the CSV reader's batches); its path. */
export async function demoParquet(batchRows?: number): Promise<string> {
  const file = tempFile('demo.parquet', '');
  await writeParquet(file, readUserDayCsv(demoCsv, batchRows === undefined ? {} : { batchRows }));
  return file;
}

/**
 * The SecurityEvent CSV export fixture written as Parquet (as a data-lake export of the table would be: timestamps,
 * int32 event IDs and logon types, strings); returns the file's path.
 */
export async function securityEventsParquet(): Promise<string> {
  const records: string[][] = [];
  for await (const { fields } of readCsvRecords(path.join(ingestFixtures, 'securityevent-export.csv')))
    records.push(fields);
  const [header, ...rows] = records;
  const file = tempFile('events.parquet', '');
  parquetWriteFile({
    filename: file,
    columnData: header!.map((name, k) =>
      name.startsWith('TimeGenerated')
        ? {
            name: 'TimeGenerated',
            data: rows.map((r) => new Date(parseUtcTimestamp(r[k]!)!)),
            type: 'TIMESTAMP' as const,
          }
        : name === 'EventID' || name === 'LogonType'
          ? { name, data: rows.map((r) => Number(r[k])), type: 'INT32' as const }
          : { name, data: rows.map((r) => r[k]!), type: 'STRING' as const },
    ),
  });
  return file;
}

/**
 * Checks that the user-days pulled shard by shard are together exactly the unsharded ones, and that each of the
 * `users` users is in one shard only.
 */
export function expectShardsPartition(whole: readonly UserDay[], shards: readonly UserDay[][], users: number): void {
  const key = (r: UserDay) => `${r.Date}/${r.DstDomain}/${r.DstUser}`;
  const byKey = (a: UserDay, b: UserDay) => (key(a) < key(b) ? -1 : 1);
  expect(shards.flat().sort(byKey)).toEqual([...whole].sort(byKey));
  const usersOf = shards.map((rows) => new Set(rows.map((r) => r.DstUser)));
  expect(usersOf.reduce((n, u) => n + u.size, 0)).toBe(users);
}
