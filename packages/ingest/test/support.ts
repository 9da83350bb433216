import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { UserDay } from '../src/index.js';
import { fileURLToPath } from 'node:url';

/** The repository root. */
export const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..', '..');
/** Ground truth kept outside the repository. */
export const sharedRoot = path.resolve(repoRoot, '..', 'shared');
export const demoCsv = path.join(repoRoot, 'fixtures', 'demo', 'iforest-demo-data.csv');
export const ingestFixtures = path.join(repoRoot, 'fixtures', 'ingest');

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
