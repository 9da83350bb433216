import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'csv-parse/sync';
import { describe, expect, it } from 'vitest';
import { JSON_SCHEMA_VERSION } from '../src/jsonDocument.js';
import { REPO, runCli, tempDir } from './support/runCli.js';

type Row = Record<string, string>;
const readCsv = (path: string): Row[] => parse(readFileSync(path), { columns: true });
const evtx = join(REPO, '..', 'shared', 'data', 'raw', 'omerbenamram-evtx__Security_with_size_t.evtx');

describe('isoforest investigate', () => {
  // A generated tenant's brute-force user-days: the attacker's failures come from one to three external
  // addresses, every one a wrong password, against the user's first computer (packages/synth's attack plan).
  it('shows a generated brute force as thousands of wrong passwords from a few addresses', async () => {
    const dir = tempDir();
    const synth = ['synth', '--users', '30', '--days', '4', '--seed', '11', '--attack-rate', '0.2', '--quiet'];
    expect((await runCli([...synth, '--output', join(dir, 'days.csv')])).code).toBe(0);
    expect((await runCli([...synth, '--events', '--output', join(dir, 'events.csv')])).code).toBe(0);
    const attacked = readCsv(join(dir, 'days.csv')).filter((row) => row.attack === 'brute_force');
    expect(attacked.length).toBeGreaterThan(0);
    const day = attacked.sort((a, b) => Number(b.FailedLogons) - Number(a.FailedLogons))[0]!;
    const user = `${day.DstDomain}\\${day.DstUser}`;
    const run = await runCli([
      'investigate',
      '--user',
      user,
      '--date',
      day.Date,
      '--source',
      `events:${join(dir, 'events.csv')}`,
      '--json',
      '--quiet',
    ]);
    expect(run.code).toBe(0);
    const document = JSON.parse(run.stdout);
    expect(document.schemaVersion).toBe(JSON_SCHEMA_VERSION);
    expect(document.date).toBe(day.Date);
    expect(document.successes).toBe(Number(day.SuccessfulLogons));
    expect(document.failures).toBe(Number(day.FailedLogons));
    expect(document.failures).toBeGreaterThanOrEqual(50);
    expect(document.failureReasons).toEqual([
      { code: '0xC000006A', reason: 'wrong password', count: Number(day.FailedLogons) },
    ]);
    // The attacker's addresses carry most of the failures: one to three of them, only failures (a last guess may succeed).
    const attackerIps = document.bySourceIp.filter((c: { failures: number }) => c.failures >= 10);
    expect(attackerIps.length).toBeGreaterThanOrEqual(1);
    expect(attackerIps.length).toBeLessThanOrEqual(3);
    expect(document.hours.reduce((sum: number, h: { failures: number }) => sum + h.failures, 0)).toBe(
      Number(day.FailedLogons),
    );
    expect(new Date(document.firstSeenMs).toISOString()).toBe(new Date(day.MIN_TimeGenerated).toISOString());

    const text = await runCli(
      ['investigate', '--user', user, '--date', day.Date, '--source', `events:${join(dir, 'events.csv')}`, '--quiet'],
      REPO,
      { NO_COLOR: '1' },
    );
    expect(text.code).toBe(0);
    expect(text.stdout).toContain(`${Number(day.FailedLogons).toLocaleString('en-US')}  wrong password (0xC000006A)`);
    expect(text.stdout).toContain('Hour (UTC)');
  }, 300_000); // generating and reading a tenant's events: a wide margin for a busy machine, not a speed check

  it("gives each flagged user-day of an event source its raw logons in the hunt's report, linked from the ranking", async () => {
    const dir = tempDir();
    const synth = ['synth', '--users', '20', '--days', '7', '--seed', '3', '--attack-rate', '0.05', '--quiet'];
    expect((await runCli([...synth, '--events', '--output', join(dir, 'events.csv')])).code).toBe(0);
    const out = join(dir, 'out');
    const hunt = await runCli([
      'hunt',
      '--source',
      `events:${join(dir, 'events.csv')}`,
      '--contamination',
      '0.05',
      '--output-dir',
      out,
      '--quiet',
    ]);
    expect(hunt.code, hunt.stderr).toBe(0);
    const outliers = readCsv(join(out, 'outliers.csv'));
    expect(outliers.length).toBeGreaterThan(0);
    const html = readFileSync(join(out, 'report.html'), 'utf8');
    const articles = [
      ...html.matchAll(
        /<article class="drilldown" id="([^"]+)"><h3>([^<]*)<\/h3><p>([\d,]+) successful and ([\d,]+) failed/g,
      ),
    ];
    expect(articles.map((a) => a[2])).toEqual(outliers.map((row) => `${row.DstDomain}\\${row.DstUser} on ${row.Date}`));
    articles.forEach((a, k) => {
      expect(Number(a[3]!.replace(/,/g, ''))).toBe(Number(outliers[k]!.SuccessfulLogons));
      expect(Number(a[4]!.replace(/,/g, ''))).toBe(Number(outliers[k]!.FailedLogons));
      expect(html).toContain(`<a href="#${a[1]}">`);
    });
  }, 300_000);

  it('reads the real .evtx sample: IT104-3\\Student failed four network logons, an unknown user name', async () => {
    const run = await runCli(
      ['investigate', '--user', 'it104-3\\student', '--date', '2015-08-23', '--source', `events:${evtx}`, '--quiet'],
      REPO,
      { NO_COLOR: '1' },
    );
    expect(run.code).toBe(0);
    expect(run.stdout).toContain('0 successful and 4 failed logons');
    expect(run.stdout).toMatch(/\n\s+4 {2}unknown user \(0xC0000064\)\n/);
    expect(run.stdout).toMatch(/10\.20\.0\.118\s+0\s+4/);
  });

  it('prints an attacker-chosen account name without its control characters', async () => {
    const dir = tempDir();
    const name = 'x\u001b]0;pwned\u0007\u001b[2J';
    const events = join(dir, 'events.json');
    writeFileSync(
      events,
      JSON.stringify([
        {
          TimeGenerated: '2024-01-02T03:04:05Z',
          EventID: 4625,
          LogonType: 3,
          TargetDomainName: 'D',
          TargetUserName: name,
          IpAddress: '\u001b[31m1.2.3.4',
          Status: '0xc000006d',
          SubStatus: '0xc0000064',
        },
      ]),
    );
    const run = await runCli(
      ['investigate', '--user', `D\\${name}`, '--date', '2024-01-02', '--source', `events:${events}`, '--quiet'],
      REPO,
      { NO_COLOR: '1' },
    );
    expect(run.code).toBe(0);
    expect(run.stdout).toContain('1 failed logons');
    expect(run.stdout).not.toMatch(/[\u0000-\u0008\u000b-\u001f\u007f-\u009f]/);
  });

  it('refuses a bad account, day or source with a usage error naming the flag', async () => {
    const base = ['investigate', '--source', 'events:x.json'];
    expect(await runCli([...base, '--user', 'alice', '--date', '2024-01-02'])).toMatchObject({
      code: 2,
      stderr: expect.stringContaining('--user must be DOMAIN\\USER'),
    });
    expect(await runCli([...base, '--user', 'D\\alice', '--date', '2024-13-02'])).toMatchObject({
      code: 2,
      stderr: expect.stringContaining('--date must be a day'),
    });
    expect(await runCli(['investigate', '--user', 'D\\a', '--date', '2024-01-02', '--source', 'csv:x'])).toMatchObject({
      code: 2,
      stderr: expect.stringContaining('--source must be'),
    });
    expect(
      await runCli(['investigate', '--user', 'D\\a', '--date', '2024-01-02', '--source', 'sentinel']),
    ).toMatchObject({ code: 2, stderr: expect.stringContaining('--workspace') });
    expect(
      await runCli([
        'investigate',
        '--user',
        'D\\a',
        '--date',
        '2024-01-02',
        '--source',
        'adx',
        '--cluster',
        'https://c.kusto.windows.net',
      ]),
    ).toMatchObject({ code: 2, stderr: expect.stringContaining('--database') });
  });
});
