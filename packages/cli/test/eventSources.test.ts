/**
 * Raw events from wherever they are, through the CLI: a folder mixing export formats and an archive for
 * `hunt --source events:`, the per-input report, one-line errors naming file, member and line, and the KQL of
 * every logon table.
 */
import { copyFileSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { parse } from 'csv-parse/sync';
import { buildUserDayKql, LOGON_TABLES } from '@isoforest/ingest';
import { describe, expect, it, vi } from 'vitest';
import { EXIT } from '../src/exitCodes.js';
import { REPO, runCli, tempDir } from './support/runCli.js';

// Whole files are read and archives expanded: generous limits, as the suite may share two cores with another copy.
vi.setConfig({ testTimeout: 300_000, hookTimeout: 300_000 });

const OTRF_ZIP = join(REPO, '..', 'shared', 'data', 'raw', 'otrf__covenant_psremoting_grunt__host.zip');
const OTRF_MEMBER = 'covenant_psremoting_grunt_2019-12-05014931.json';

function csvRows(text: string | Buffer): Record<string, string>[] {
  return parse(text, { bom: true, columns: true }) as Record<string, string>[];
}

/** A SecurityEvent-shaped event as Winlogbeat ships it. */
function winlogbeat(e: Record<string, string>): Record<string, unknown> {
  const { TimeGenerated, EventID, Computer, LogonTypeName: _name, ...data } = e;
  return {
    '@timestamp': new Date(TimeGenerated!).toISOString(),
    host: { name: Computer },
    winlog: {
      channel: 'Security',
      event_id: EventID,
      provider_name: 'Microsoft-Windows-Security-Auditing',
      computer_name: Computer,
      event_data: data,
    },
  };
}

/** A SecurityEvent-shaped event as a Defender XDR DeviceLogonEvents row. */
function deviceLogon(e: Record<string, string>): Record<string, unknown> {
  return {
    Timestamp: new Date(e.TimeGenerated!).toISOString(),
    DeviceName: e.Computer,
    ActionType: e.EventID === '4624' ? 'LogonSuccess' : 'LogonFailed',
    LogonType: e.LogonType === '3' ? 'Network' : 'Interactive',
    AccountDomain: e.TargetDomainName,
    AccountName: e.TargetUserName,
    Protocol: e.AuthenticationPackageName,
    RemoteIP: e.IpAddress,
    RemoteDeviceName: e.WorkstationName,
  };
}

describe('hunt --source events: and aggregate on every format', () => {
  it('hunts a folder mixing CSV, gzipped JSON lines, Winlogbeat, DeviceLogonEvents and the OTRF .zip', async () => {
    const dir = tempDir();
    const synth = await runCli([
      'synth',
      '--users',
      '15',
      '--days',
      '6',
      '--seed',
      '5',
      '--events',
      '--output',
      join(dir, 'events.csv'),
    ]);
    expect(synth.code, synth.stderr).toBe(EXIT.ok);
    const oneFile = await runCli(['aggregate', '--input', join(dir, 'events.csv'), '--output', join(dir, 'days.csv')]);
    expect(oneFile.code, oneFile.stderr).toBe(EXIT.ok);
    const want = csvRows(readFileSync(join(dir, 'days.csv')));

    const text = readFileSync(join(dir, 'events.csv'), 'utf8');
    const lines = text.trim().split(/\r?\n/);
    const events = csvRows(text);
    const quarter = Math.ceil(events.length / 4);
    const folder = join(dir, 'logs');
    mkdirSync(folder);
    writeFileSync(join(folder, 'a.csv'), [lines[0], ...lines.slice(1, 1 + quarter)].join('\n'));
    writeFileSync(
      join(folder, 'b.json.gz'),
      gzipSync(
        events
          .slice(quarter, 2 * quarter)
          .map((e) => JSON.stringify(e))
          .join('\n'),
      ),
    );
    writeFileSync(
      join(folder, 'c.ndjson'),
      events
        .slice(2 * quarter, 3 * quarter)
        .map((e) => JSON.stringify(winlogbeat(e)))
        .join('\n'),
    );
    writeFileSync(join(folder, 'd.json'), JSON.stringify(events.slice(3 * quarter).map(deviceLogon), null, 1));
    copyFileSync(OTRF_ZIP, join(folder, 'otrf.zip'));

    const aggregated = await runCli(['aggregate', '--input', folder, '--output', join(dir, 'mixed.csv')]);
    expect(aggregated.code, aggregated.stderr).toBe(EXIT.ok);
    const got = csvRows(readFileSync(join(dir, 'mixed.csv')));
    const pgustavo = got.filter((d) => d.DstUser === 'pgustavo');
    expect(pgustavo.map((d) => [d.Date, d.AttemptedLogons])).toEqual([['2019-12-05', '3']]);
    expect(got.filter((d) => d.DstUser !== 'pgustavo')).toEqual(want);
    expect(aggregated.stderr).toContain(
      `${join(folder, 'b.json.gz')}: JSON objects, ${quarter.toLocaleString('en-US')} records`,
    );
    expect(aggregated.stderr).toContain(`${join(folder, 'otrf.zip')}!${OTRF_MEMBER}: JSON objects, 4,305 records`);

    const hunt = await runCli([
      'hunt',
      '--source',
      `events:${folder}`,
      '--output-dir',
      join(dir, 'hunt'),
      '--json',
      '--trees',
      '50',
    ]);
    expect(hunt.code, hunt.stderr).toBe(EXIT.ok);
    const doc = JSON.parse(hunt.stdout) as { source: string; counts: { rowsScored: number } };
    expect(doc.source).toBe(`events:${folder}`);
    expect(doc.counts.rowsScored).toBe(want.length + 1);
  });

  it('stops with one line naming the archive member and line of bad input (exit 1)', async () => {
    const dir = tempDir();
    const bad = join(dir, 'bad.json.gz');
    writeFileSync(
      bad,
      gzipSync('{"EventID": 4624, "TimeGenerated": "2024-01-01T00:00:00Z", "Channel": "Security"}\n{"EventID": \n'),
    );
    const run = await runCli(['aggregate', '--input', bad, '--output', join(dir, 'days.csv')]);
    expect(run.code).toBe(EXIT.badInput);
    expect(run.stderr).toMatch(new RegExp(`${bad.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}:2: invalid JSON`));
    expect(
      run.stderr
        .trim()
        .split('\n')
        .filter((l) => l.includes('invalid JSON')),
    ).toHaveLength(1);
  });
});

describe('query --print-kql --table', () => {
  it('prints the one KQL definition of each logon table', async () => {
    for (const table of LOGON_TABLES) {
      const run = await runCli(['query', '--print-kql', '--table', table]);
      expect(run.code, run.stderr).toBe(EXIT.ok);
      expect(run.stdout.trim()).toBe(buildUserDayKql({ table }).trim());
    }
    const bad = await runCli(['query', '--print-kql', '--table', 'Heartbeat']);
    expect(bad.code).toBe(EXIT.usage);
    expect(bad.stderr).toContain('--table must be one of SecurityEvent, WindowsEvent, DeviceLogonEvents');
  });

  it('asks for what Azure Data Explorer needs before signing in', async () => {
    const run = await runCli(['hunt', '--source', 'adx', '--cluster', 'https://help.kusto.windows.net']);
    expect(run.code).toBe(EXIT.usage);
    expect(run.stderr).toContain('--source adx needs --cluster URL and --database DB');
    const endpoint = await runCli([
      'query',
      '--cluster',
      'https://help.kusto.windows.net',
      '--database',
      'Samples',
      '--endpoint',
      'https://api.loganalytics.us/v1',
      '--output',
      'x.csv',
    ]);
    expect(endpoint.code).toBe(EXIT.usage);
    expect(endpoint.stderr).toContain('--endpoint is for Log Analytics');
    const http = await runCli([
      'query',
      '--workspace',
      'w',
      '--endpoint',
      'http://api.loganalytics.us/v1',
      '--output',
      'x.csv',
    ]);
    expect(http.code).toBe(EXIT.usage);
    expect(http.stderr).toContain('--endpoint must be an https:// URL');
  });
});
