import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import {
  aggregateLogonEvents,
  IngestError,
  logonDayFilter,
  normalizeEventRecord,
  readAll,
  readRawEventFiles,
  toUserDays,
  totalFiltered,
  type LogonEvent,
  type UserDay,
} from '../src/index.js';
import { COVENANT_SECURITY_LINES, derived, expectedUserDays, README_COLUMN, SAMPLE_EVTX_RECORDS } from './rawReadme.js';
import { ingestFixtures, tempFile } from './support.js';

async function userDaysOf(file: string, countPlaceholders = true): Promise<UserDay[]> {
  return toUserDays(await readAll(readRawEventFiles([file], { countPlaceholders })));
}

describe('raw events -> user-days, against the data README', () => {
  const expected = expectedUserDays();

  it('the README table was found', () => {
    expect(expected).toHaveLength(5);
    expect(Object.keys(expected[0]!.numbers)).toEqual(Object.keys(README_COLUMN));
  });

  for (const [countPlaceholders, which] of [
    [true, 0],
    [false, 1],
  ] as const) {
    it(`matches every number with placeholders ${countPlaceholders ? 'counted (Kusto dcount)' : 'ignored'}`, async () => {
      for (const [name, file] of Object.entries(derived)) {
        const got = await userDaysOf(file, countPlaceholders);
        const want = expected.filter((e) => e.file === name);
        expect(got.map((r) => [r.Date, r.DstDomain, r.DstUser])).toEqual(want.map((e) => [e.date, e.domain, e.user]));
        got.forEach((row, i) => {
          for (const [readmeName, pair] of Object.entries(want[i]!.numbers)) {
            expect(row[README_COLUMN[readmeName]!], `${name} ${row.DstUser} ${readmeName}`).toBe(pair[which]);
          }
          // "Each has ComputersAccessed 1 and DistinctAuthenticationPackage 1."
          expect(row.ComputersAccessed).toBe(1);
          expect(row.DistinctAuthenticationPackage).toBe(1);
          expect(row.LogonTypeName).toBe('3 - Network');
          expect(row.AttemptedLogons).toBe(row.SuccessfulLogons + row.FailedLogons);
        });
      }
    });
  }

  it('counts the absent Workstation of raw 4624/4625 records as one value: DistinctSrcHostName 1, or 0 without placeholders', async () => {
    // The truth comes from the files themselves: no logon record carries a Workstation field (4776 does), so
    // dcount(Workstation) sees one (empty) value per user-day, whatever the WorkstationName values.
    const hostNames = new Set<unknown>();
    for (const file of Object.values(derived)) {
      const logons = readFileSync(file, 'utf8')
        .trim()
        .split('\n')
        .map((l) => JSON.parse(l) as Record<string, unknown>)
        .filter((r) => r.EventID === 4624 || r.EventID === 4625);
      expect(logons.length).toBeGreaterThan(0);
      expect(logons.filter((r) => 'Workstation' in r)).toEqual([]);
      for (const r of logons) hostNames.add(r.WorkstationName);
      expect((await userDaysOf(file, true)).map((r) => r.DistinctSrcHostName)).toEqual(
        expected.filter((e) => derived[e.file] === file).map(() => 1),
      );
      expect((await userDaysOf(file, false)).map((r) => r.DistinctSrcHostName)).toEqual(
        expected.filter((e) => derived[e.file] === file).map(() => 0),
      );
    }
    // WorkstationName has values besides `-`: had it stood in for Workstation, some count above would not be 0.
    expect([...hostNames].filter((h) => typeof h === 'string' && h !== '-').length).toBeGreaterThan(0);
  });

  it('accounts for every record: read = kept + filtered + rejected', async () => {
    const source = readRawEventFiles([derived.Security_with_size_t, derived.covenant_psremoting_grunt]);
    const table = await readAll(source);
    const s = source.stats;
    expect(s.rowsRead).toBe(SAMPLE_EVTX_RECORDS + COVENANT_SECURITY_LINES);
    expect(s.rowsRead).toBe(s.rowsKept + s.rowsRejected + totalFiltered(s));
    // README: 46 + 0 LT3 successes/failures in the zip (43 of them machine accounts), 9 + 10 in the evtx.
    expect(s.rowsKept).toBe(3 + 10);
    expect(s.filtered.machineAccount).toBe(43);
    expect(s.filtered.excludedDomain).toBe(9);
    expect(table.numRows).toBe(s.rowsOut);
  });
});

describe('file formats of raw events', () => {
  const lines = readFileSync(derived.Security_with_size_t, 'utf8').trim().split('\n');
  const records = lines.map((l) => JSON.parse(l) as Record<string, unknown>);

  it('a JSON array and a CSV of the same records aggregate like the NDJSON', async () => {
    const want = await userDaysOf(derived.Security_with_size_t);
    const jsonFile = tempFile('events.json', '[\n' + lines.join(',\n') + '\n]\n');
    expect(await userDaysOf(jsonFile)).toEqual(want);

    const names = [...new Set(records.flatMap((r) => Object.keys(r)))];
    const quote = (v: unknown) => (v === undefined || v === null ? '' : `"${String(v).replace(/"/g, '""')}"`);
    const csvText = [names.join(','), ...records.map((r) => names.map((n) => quote(r[n])).join(','))].join('\r\n');
    expect(await userDaysOf(tempFile('events.csv', '\uFEFF' + csvText))).toEqual(want);
  });

  it('names the line of invalid JSON in NDJSON', async () => {
    const file = tempFile('bad.ndjson', lines[0] + '\n{"EventID": 4624,\n');
    await expect(readAll(readRawEventFiles([file]))).rejects.toThrow(new RegExp(`^${file}:2: invalid JSON`));
  });

  it('names a file that does not exist', async () => {
    const failure = readAll(readRawEventFiles(['no-such-events.xml']));
    await expect(failure).rejects.toBeInstanceOf(IngestError);
    await expect(failure).rejects.toThrow('no-such-events.xml: no such file');
  });
});

describe('normalizeEventRecord', () => {
  const where = { file: 'f.jsonl', row: 7 };

  it('maps a python-evtx record', () => {
    const result = normalizeEventRecord(
      {
        Provider: 'Microsoft-Windows-Security-Auditing',
        EventID: 4625,
        TimeCreated: '2015-08-23 10:53:26.137861',
        Channel: 'Security',
        Computer: 'WIN-L0ZZQ76PMUF',
        LogonType: '3',
        TargetUserName: 'Student',
        TargetDomainName: 'IT104-3',
        IpAddress: '10.0.0.5',
        WorkstationName: 'IT104-3',
        AuthenticationPackageName: 'NTLM',
      },
      where,
    );
    expect(result).toEqual({
      kind: 'event',
      event: {
        timeMs: Date.UTC(2015, 7, 23, 10, 53, 26, 137) + 0.861,
        eventId: 4625,
        logonType: 3,
        logonTypeName: '3 - Network',
        targetDomainName: 'IT104-3',
        targetUserName: 'Student',
        computer: 'WIN-L0ZZQ76PMUF',
        ipAddress: '10.0.0.5',
        // a raw record has no Workstation, which is then `-`; it has no AccountDomain either, for which TargetDomainName stands in
        workstation: '-',
        workstationName: 'IT104-3',
        accountDomain: 'IT104-3',
        authenticationPackageName: 'NTLM',
        status: '-',
        subStatus: '-',
        channel: 'Security',
        provider: 'Microsoft-Windows-Security-Auditing',
      },
    });
  });

  it('maps an NXLog record: Hostname, lower-case channel, @timestamp, SourceName; missing fields become -', () => {
    const result = normalizeEventRecord(
      {
        '@timestamp': '2019-12-05T01:49:41.151Z',
        EventTime: '2019-12-04 20:49:41',
        Hostname: 'HR001.shire.com',
        host: 'collector.internal',
        Channel: 'security',
        SourceName: 'Microsoft-Windows-Security-Auditing',
        EventID: 4624,
        LogonType: '3',
        TargetUserName: 'pgustavo',
        TargetDomainName: 'SHIRE.COM',
        IpAddress: '-',
      },
      where,
    );
    expect(result.kind).toBe('event');
    const event = (result as { event: LogonEvent }).event;
    expect(event.timeMs).toBe(Date.UTC(2019, 11, 5, 1, 49, 41, 151));
    expect(event.computer).toBe('HR001.shire.com');
    expect(event.workstationName).toBe('-');
    expect(event.workstation).toBe('-');
    expect(event.accountDomain).toBe('SHIRE.COM');
    expect(event.authenticationPackageName).toBe('-');
  });

  it('maps a Sentinel SecurityEvent export row', () => {
    const result = normalizeEventRecord(
      {
        TimeGenerated: '9/19/2022, 11:29:46.297 PM',
        EventID: '4624',
        Computer: 'SRV1.contoso.com',
        LogonType: '3',
        LogonTypeName: '3 - Network',
        AccountType: 'User',
        TargetUserName: 'ACC-01',
        TargetDomainName: 'CONTOSO',
        IpAddress: '10.1.1.1',
        Workstation: 'WKS1',
        AuthenticationPackageName: 'Kerberos',
      },
      where,
    );
    // No WorkstationName column: it is `-`, as Workstation is another column; no AccountDomain: TargetDomainName stands in.
    expect(result).toMatchObject({
      kind: 'event',
      event: {
        timeMs: Date.UTC(2022, 8, 19, 23, 29, 46, 297),
        workstation: 'WKS1',
        workstationName: '-',
        accountDomain: 'CONTOSO',
        channel: '-',
        provider: '-',
      },
    });
  });

  it('keeps SecurityEvent columns apart: an empty Workstation or AccountDomain is a value, not a reason to fall back', () => {
    const row = {
      TimeGenerated: '2022-09-19T10:00:00Z',
      EventID: 4624,
      LogonType: 3,
      TargetUserName: 'ACC-01',
      TargetDomainName: 'CONTOSO',
      WorkstationName: 'WKS7',
      Workstation: '',
      AccountDomain: '',
    };
    expect(normalizeEventRecord(row, where)).toMatchObject({
      kind: 'event',
      event: {
        workstation: '-',
        workstationName: 'WKS7',
        accountDomain: '-',
        targetDomainName: 'CONTOSO',
      },
    });
    expect(normalizeEventRecord({ ...row, AccountDomain: 'contoso.com' }, where)).toMatchObject({
      event: { accountDomain: 'contoso.com' },
    });
  });

  it('skips Sysmon records even when their EventID is a Security one', () => {
    const sysmon = {
      Channel: 'Microsoft-Windows-Sysmon/Operational',
      EventID: 4624,
      '@timestamp': '2019-12-05T01:49:41Z',
    };
    expect(normalizeEventRecord(sysmon, where)).toEqual({ kind: 'skipped', rule: 'channel' });
    expect(normalizeEventRecord({ SourceName: 'Microsoft-Windows-Sysmon', EventID: 3 }, where)).toEqual({
      kind: 'skipped',
      rule: 'channel',
    });
  });

  it('rejects records without a usable time, EventID or LogonType, naming file:row:field', () => {
    expect(normalizeEventRecord({ Channel: 'Security', EventID: 4624 }, where)).toMatchObject({
      kind: 'rejected',
      field: 'TimeGenerated',
      message: 'f.jsonl:7:TimeGenerated: no event time (TimeGenerated, TimeCreated or @timestamp)',
    });
    expect(
      normalizeEventRecord({ Channel: 'Security', EventID: 'x', TimeCreated: '2015-08-23 10:53:26' }, where),
    ).toMatchObject({
      kind: 'rejected',
      message: 'f.jsonl:7:EventID: not an integer: "x"',
    });
    expect(
      normalizeEventRecord({ EventID: 4624, TimeCreated: '2015-08-23 10:53:26', LogonType: 'network' }, where),
    ).toMatchObject({
      kind: 'rejected',
      field: 'LogonType',
    });
  });
});

describe('aggregateLogonEvents (the local twin of the KQL)', () => {
  const base: LogonEvent = {
    timeMs: Date.UTC(2022, 0, 3, 10),
    eventId: 4624,
    logonType: 3,
    logonTypeName: '3 - Network',
    targetDomainName: 'CONTOSO',
    targetUserName: 'alice',
    computer: 'srv1.contoso.com',
    ipAddress: '10.0.0.1',
    workstation: '-',
    workstationName: 'WKS1',
    accountDomain: 'CONTOSO',
    authenticationPackageName: 'Kerberos',
    status: '-',
    subStatus: '-',
    channel: 'Security',
    provider: '-',
  };
  async function* from(events: LogonEvent[]) {
    yield* events;
  }

  it('applies each KQL filter and computes every aggregate by hand', async () => {
    const events: LogonEvent[] = [
      base,
      {
        ...base,
        timeMs: base.timeMs + 1500,
        computer: 'srv2.fabrikam.com',
        ipAddress: '10.0.0.2',
        workstation: 'WKS9',
        accountDomain: 'FABRIKAM',
      },
      {
        ...base,
        timeMs: base.timeMs + 500,
        eventId: 4625,
        computer: 'srv3.contoso.com',
        workstationName: 'WKS2',
        accountDomain: 'OTHER',
        authenticationPackageName: 'NTLM',
      },
      { ...base, timeMs: base.timeMs + 700, workstationName: 'WKS3' },
      { ...base, eventId: 4634 }, // eventId
      { ...base, logonType: 2, logonTypeName: '2 - Interactive' }, // logonType
      { ...base, targetDomainName: 'nt authority' }, // excludedDomain (=~ ignores case)
      { ...base, eventId: 4625, targetDomainName: 'NT AUTHORITY', targetUserName: 'x' }, // kept: failures are not excluded
      { ...base, targetUserName: 'SRV1$' }, // machineAccount
      { ...base, targetUserName: 'gmsa$' }, // machineAccount: the notebook drops every name ending in $
      { ...base, timeMs: Date.UTC(2022, 0, 4, 0, 0, 0, 0) }, // next day
    ];
    const source = aggregateLogonEvents(from(events));
    const rows = toUserDays(await readAll(source));
    expect(source.stats).toMatchObject({
      rowsRead: 11,
      rowsKept: 6,
      filtered: { eventId: 1, logonType: 1, excludedDomain: 1, machineAccount: 2 },
    });
    expect(rows.map((r) => [r.Date, r.DstDomain, r.DstUser])).toEqual([
      [Date.UTC(2022, 0, 3), 'CONTOSO', 'alice'],
      [Date.UTC(2022, 0, 3), 'NT AUTHORITY', 'x'],
      [Date.UTC(2022, 0, 4), 'CONTOSO', 'alice'],
    ]);
    expect(rows[0]).toEqual({
      Date: Date.UTC(2022, 0, 3),
      DstDomain: 'CONTOSO',
      DstUser: 'alice',
      LogonTypeName: '3 - Network',
      AttemptedLogons: 4,
      SuccessfulLogons: 3,
      FailedLogons: 1,
      MIN_TimeGenerated: base.timeMs,
      MAX_TimeGenerated: base.timeMs + 1500,
      ActiveMilliseconds: 1500,
      ComputerDomainsAccessed: 1, // dcount(TargetDomainName): a group key, so always 1
      DistinctAuthenticationPackage: 2, // Kerberos, NTLM
      ComputersAccessed: 3, // srv1, srv2, srv3
      DistinctSrcIp: 2, // 10.0.0.1, 10.0.0.2
      DistinctSrcHostName: 2, // dcount(Workstation): -, WKS9
      ComputersSuccessfulAccess: 2, // srv1, srv2
      ComputerDomainsSuccessfulAccess: 2, // dcountif(AccountDomain): CONTOSO, FABRIKAM (OTHER is on the failure)
      SrcIpSuccessfulAccess: 2, // 10.0.0.1, 10.0.0.2
      SrcHostNameSuccessfulAccess: 2, // dcountif(WorkstationName): WKS1, WKS3 (WKS2 is on the failure)
    });
    // A user-day of failures only: the success-only counts are 0.
    expect(rows[1]).toMatchObject({
      AttemptedLogons: 1,
      FailedLogons: 1,
      ComputersSuccessfulAccess: 0,
      ComputerDomainsSuccessfulAccess: 0,
      SrcIpSuccessfulAccess: 0,
      SrcHostNameSuccessfulAccess: 0,
      ComputerDomainsAccessed: 1,
    });

    const withoutPlaceholders = toUserDays(
      await readAll(aggregateLogonEvents(from(events), { countPlaceholders: false })),
    );
    expect(withoutPlaceholders[0]!.DistinctSrcHostName).toBe(1); // WKS9 only
  });

  it('applies the four exclusions exactly as the notebook writes them', () => {
    const success = { ...base, targetUserName: 'u' };
    const asType = (logonType: number, name: string): LogonEvent => ({ ...success, logonType, logonTypeName: name });
    const cases: [LogonEvent, number, string | null][] = [
      [{ ...success, targetDomainName: 'NT Authority' }, 3, 'excludedDomain'],
      [{ ...success, targetDomainName: 'anonymous logon' }, 3, 'excludedDomain'],
      [{ ...success, eventId: 4625, targetDomainName: 'NT AUTHORITY' }, 3, null],
      // LogonType == "3" is false on a record without a LogonType, even when its LogonTypeName says network
      [{ ...success, logonType: null, targetDomainName: 'NT AUTHORITY' }, 3, null],
      // the logon type 5 and 2 rules cannot act under the network filter ...
      [{ ...asType(5, '5 - Service'), targetDomainName: 'SYSTEM' }, 3, 'logonType'],
      // ... but do for their own logon types
      [{ ...asType(5, '5 - Service'), targetDomainName: 'system' }, 5, 'excludedDomain'],
      [{ ...asType(5, '5 - Service'), targetDomainName: 'NT AUTHORITY' }, 5, 'excludedDomain'],
      [{ ...asType(5, '5 - Service'), targetDomainName: 'ANONYMOUS LOGON' }, 5, null],
      [
        { ...asType(2, '2 - Interactive'), targetDomainName: 'Window Manager', targetUserName: 'dwm-3' },
        2,
        'excludedDomain',
      ],
      [{ ...asType(2, '2 - Interactive'), targetDomainName: 'WINDOW MANAGER', targetUserName: 'UMFD-3' }, 2, null],
      [{ ...asType(10, '10 - RemoteInteractive'), targetDomainName: 'nt virtual machine' }, 10, 'excludedDomain'],
      [{ ...success, targetDomainName: 'NT VIRTUAL MACHINE' }, 3, 'excludedDomain'],
      [{ ...success, eventId: 4625, targetDomainName: 'NT VIRTUAL MACHINE' }, 3, null],
    ];
    for (const [event, logonType, want] of cases) {
      expect(
        logonDayFilter(event, { logonType }),
        `${event.eventId} ${event.targetDomainName}\\${event.targetUserName} type ${logonType}`,
      ).toBe(want);
    }
  });

  it('refuses a logon type without a SecurityEvent name', async () => {
    await expect(readAll(aggregateLogonEvents(from([base]), { logonType: 6 }))).rejects.toThrow(
      /^unknown logon type 6; known: 0, 2, 3/,
    );
    expect(() => logonDayFilter(base, { logonType: 6 })).toThrow(RangeError);
  });

  it('rounds the exact span once: 62.502 ms -> 63, 13515.625 ms -> 13516, a .5 tie up', async () => {
    const t = Date.UTC(2015, 7, 23);
    for (const [span, want] of [
      [62.502, 63],
      [13515.625, 13516],
      [0.5, 1],
      [0.499, 0],
    ] as const) {
      const rows = toUserDays(
        await readAll(
          aggregateLogonEvents(
            from([
              { ...base, timeMs: t + 0.137 },
              { ...base, timeMs: t + 0.137 + span },
            ]),
          ),
        ),
      );
      expect(rows[0]!.ActiveMilliseconds, String(span)).toBe(want);
    }
  });

  it('honours a half-open time window', async () => {
    const source = aggregateLogonEvents(from([base, { ...base, timeMs: base.timeMs + 10 }]), {
      window: { startMs: base.timeMs, endMs: base.timeMs + 10 },
    });
    expect(toUserDays(await readAll(source))[0]!.AttemptedLogons).toBe(1);
    expect(source.stats.filtered).toEqual({ timeWindow: 1 });
  });
});

describe('a Sentinel SecurityEvent CSV export (fixtures/ingest/securityevent-export.csv)', () => {
  const file = path.join(ingestFixtures, 'securityevent-export.csv');

  it('aggregates to the hand-computed user-days', async () => {
    const source = readRawEventFiles([file]);
    const rows = toUserDays(await readAll(source));
    expect(source.stats).toMatchObject({
      rowsRead: 7,
      rowsKept: 4,
      rowsRejected: 0,
      rowsOut: 2,
      filtered: { machineAccount: 1, excludedDomain: 1, logonType: 1 },
    });
    expect(rows).toEqual([
      {
        Date: Date.UTC(2022, 9, 3),
        DstDomain: 'CONTOSO',
        DstUser: 'alice',
        LogonTypeName: '3 - Network',
        AttemptedLogons: 3,
        SuccessfulLogons: 2,
        FailedLogons: 1,
        MIN_TimeGenerated: Date.UTC(2022, 9, 3, 9),
        MAX_TimeGenerated: Date.UTC(2022, 9, 3, 17),
        ActiveMilliseconds: 8 * 3_600_000,
        ComputerDomainsAccessed: 1,
        DistinctAuthenticationPackage: 2,
        ComputersAccessed: 2,
        DistinctSrcIp: 2,
        DistinctSrcHostName: 2,
        ComputersSuccessfulAccess: 1,
        ComputerDomainsSuccessfulAccess: 1,
        SrcIpSuccessfulAccess: 1,
        SrcHostNameSuccessfulAccess: 1,
      },
      {
        Date: Date.UTC(2022, 9, 4),
        DstDomain: 'CONTOSO',
        DstUser: 'bob',
        LogonTypeName: '3 - Network',
        AttemptedLogons: 1,
        SuccessfulLogons: 0,
        FailedLogons: 1,
        MIN_TimeGenerated: Date.UTC(2022, 9, 4, 2, 15),
        MAX_TimeGenerated: Date.UTC(2022, 9, 4, 2, 15),
        ActiveMilliseconds: 0,
        ComputerDomainsAccessed: 1,
        DistinctAuthenticationPackage: 1,
        ComputersAccessed: 1,
        DistinctSrcIp: 1,
        DistinctSrcHostName: 1,
        ComputersSuccessfulAccess: 0,
        ComputerDomainsSuccessfulAccess: 0,
        SrcIpSuccessfulAccess: 0,
        SrcHostNameSuccessfulAccess: 0,
      },
    ]);
  });

  it('leaves empty cells out of the distinct counts when placeholders are not counted', async () => {
    const bob = toUserDays(await readAll(readRawEventFiles([file], { countPlaceholders: false }))).find(
      (r) => r.DstUser === 'bob',
    )!;
    expect([bob.DistinctSrcIp, bob.DistinctSrcHostName, bob.ComputersAccessed]).toEqual([0, 0, 1]);
  });
});
