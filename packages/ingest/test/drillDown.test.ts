import path from 'node:path';
import { describe, expect, it } from 'vitest';
import {
  drillDownEventRecords,
  drillDownEventRecordsMany,
  kqlStringLiteral,
  logonFailureReason,
  parseNtStatus,
  parseUtcDate,
  readEventRecords,
  type LocatedRecord,
  type UserDayKey,
} from '../src/index.js';
import { sharedRoot } from './support.js';

const raw = path.join(sharedRoot, 'data', 'raw');
const evtx = path.join(raw, 'omerbenamram-evtx__Security_with_size_t.evtx');
const otrfSecurity = path.join(raw, 'derived', 'otrf__covenant_psremoting_grunt__host.security.jsonl');

const key = (domain: string, user: string, date: string): UserDayKey => ({ domain, user, dayMs: parseUtcDate(date)! });

async function* located(records: Record<string, unknown>[]): AsyncGenerator<LocatedRecord> {
  let row = 0;
  for (const record of records) yield { record, where: { file: 'events.json', row: ++row } };
}

describe('NTSTATUS of failed logons', () => {
  it('reads every way sources write the code', () => {
    expect(parseNtStatus('0xc000006a')).toBe(0xc000006a);
    expect(parseNtStatus('0xC000006A')).toBe(0xc000006a);
    expect(parseNtStatus('3221225578')).toBe(0xc000006a);
    expect(parseNtStatus('-1073741718')).toBe(0xc000006a); // the same bits as a signed 32-bit integer
    expect(parseNtStatus('0x0')).toBe(0);
    for (const junk of ['-', '', '0x', '0x1ffffffff', 'wrong', '99999999999']) expect(parseNtStatus(junk)).toBeNull();
  });

  it('takes the precise SubStatus when there is one, else Status, as Windows fills them', () => {
    expect(logonFailureReason('0xc000006d', '0xc000006a')).toEqual({ code: '0xC000006A', reason: 'wrong password' });
    expect(logonFailureReason('0xc000006d', '0xc0000064')).toEqual({ code: '0xC0000064', reason: 'unknown user' });
    expect(logonFailureReason('0xc0000234', '0x0')).toEqual({ code: '0xC0000234', reason: 'account locked out' });
    expect(logonFailureReason('0xC000006E', '0xC0000072')).toEqual({ code: '0xC0000072', reason: 'account disabled' });
    expect(logonFailureReason('0xc000006e', '0xc000006f')).toMatchObject({ reason: 'outside logon hours' });
    expect(logonFailureReason('0xc000006e', '0xc0000070')).toMatchObject({ reason: 'workstation not allowed' });
    expect(logonFailureReason('0xc0000133', '-')).toMatchObject({ reason: 'clock skew with the domain controller' });
    expect(logonFailureReason('0xc0000071', '-')).toMatchObject({ reason: 'password expired' });
    expect(logonFailureReason('0xc0000193', '-')).toMatchObject({ reason: 'account expired' });
    expect(logonFailureReason('0xc00000aa', '-')).toEqual({ code: '0xC00000AA', reason: 'other (0xC00000AA)' });
    expect(logonFailureReason('-', '-')).toBeNull();
  });
});

describe('kqlStringLiteral', () => {
  it('escapes what Kusto escapes and spells anything else as code points', () => {
    expect(kqlStringLiteral('CONTOSO')).toBe('"CONTOSO"');
    expect(kqlStringLiteral('a"b\\c')).toBe('"a\\"b\\\\c"');
    expect(kqlStringLiteral('tab\there')).toBe('"tab\\there"');
    // An attacker's name that would end the literal and add a clause stays one literal.
    expect(kqlStringLiteral('x" or 1==1 //')).toBe('"x\\" or 1==1 //"');
    expect(kqlStringLiteral('\u001b[2Jevil')).toBe(
      'unicode_codepoints_to_string(dynamic([27, 91, 50, 74, 101, 118, 105, 108]))',
    );
  });
});

describe('drillDownEventRecords', () => {
  const base = {
    TimeGenerated: '2022-09-16T10:15:00Z',
    EventID: 4625,
    LogonType: 3,
    TargetDomainName: 'CONTOSO',
    TargetUserName: 'alice',
    Computer: 'SRV1',
    IpAddress: '203.0.113.9',
    WorkstationName: 'KALI',
    AuthenticationPackageName: 'NTLM',
    Status: '0xc000006d',
    SubStatus: '0xc000006a',
  };

  it('counts by value, reason and hour, computed by hand', async () => {
    const records = [
      base,
      { ...base, TimeGenerated: '2022-09-16T10:59:59.999Z' },
      { ...base, TimeGenerated: '2022-09-16T11:00:00Z', SubStatus: '0xc0000234', Status: '0xc000006e' },
      {
        ...base,
        TimeGenerated: '2022-09-16T23:00:01Z',
        EventID: 4624,
        Status: '',
        SubStatus: '',
        IpAddress: '10.0.0.4',
        AuthenticationPackageName: 'Kerberos',
      },
      {
        ...base,
        TargetUserName: 'ALICE',
        TargetDomainName: 'contoso',
        TimeGenerated: '2022-09-16T00:00:00Z',
        Status: '',
        SubStatus: '',
      },
      { ...base, TimeGenerated: '2022-09-17T00:00:00Z' }, // next day
      { ...base, TargetUserName: 'bob' }, // another account
      { ...base, LogonType: 2 }, // another logon type
      { ...base, EventID: 4634 }, // a logoff
    ];
    const { drillDown, stats } = await drillDownEventRecords(located(records), key('CONTOSO', 'alice', '2022-09-16'));
    expect(stats).toMatchObject({ rowsRead: 9, rowsKept: 5, filtered: { otherUserDay: 4 } });
    expect(drillDown).toMatchObject({
      successes: 1,
      failures: 4,
      firstSeenMs: Date.UTC(2022, 8, 16, 0, 0, 0),
      lastSeenMs: Date.UTC(2022, 8, 16, 23, 0, 1),
      bySourceIp: [
        { value: '203.0.113.9', successes: 0, failures: 4 },
        { value: '10.0.0.4', successes: 1, failures: 0 },
      ],
      byAuthenticationPackage: [
        { value: 'NTLM', successes: 0, failures: 4 },
        { value: 'Kerberos', successes: 1, failures: 0 },
      ],
      failureReasons: [
        { code: '0xC000006A', reason: 'wrong password', count: 2 },
        { code: '-', reason: 'not recorded', count: 1 },
        { code: '0xC0000234', reason: 'account locked out', count: 1 },
      ],
    });
    const busy = drillDown.hours.filter((h) => h.successes + h.failures > 0);
    expect(busy).toEqual([
      { hour: 0, successes: 0, failures: 1 },
      { hour: 10, successes: 0, failures: 2 },
      { hour: 11, successes: 0, failures: 1 },
      { hour: 23, successes: 1, failures: 0 },
    ]);
  });

  it('drills into several user-days in one pass, each as alone', async () => {
    const records = [
      base,
      { ...base, TargetUserName: 'bob' },
      { ...base, TargetUserName: 'Bob', EventID: 4624, Status: '', SubStatus: '' },
      { ...base, TimeGenerated: '2022-09-17T01:00:00Z' },
    ];
    const keys = [
      key('CONTOSO', 'alice', '2022-09-16'),
      key('contoso', 'BOB', '2022-09-16'),
      key('CONTOSO', 'alice', '2022-09-17'),
    ];
    const many = await drillDownEventRecordsMany(located(records), keys);
    for (const [k, one] of keys.entries())
      expect(many.drillDowns[k]).toEqual((await drillDownEventRecords(located(records), one)).drillDown);
    expect(many.drillDowns.map((d) => [d.successes, d.failures])).toEqual([
      [0, 1],
      [1, 1],
      [0, 1],
    ]);
    expect(many.stats).toMatchObject({ rowsRead: 4, rowsKept: 4 });
  });

  it('stops at a malformed record naming it, or counts it with lenient', async () => {
    const records = [base, { ...base, EventID: 'x' }];
    await expect(drillDownEventRecords(located(records), key('CONTOSO', 'alice', '2022-09-16'))).rejects.toThrow(
      'events.json:2:EventID: not an integer: "x"',
    );
    const { stats } = await drillDownEventRecords(located(records), key('CONTOSO', 'alice', '2022-09-16'), {
      lenient: true,
    });
    expect(stats).toMatchObject({ rowsRead: 2, rowsKept: 1, rowsRejected: 1 });
  });

  // The raw samples' README lists their network-logon user-days (python-evtx and libevtx agree on the records).
  it('shows the failed network logons of IT104-3\\Student in the real .evtx sample', async () => {
    const { drillDown } = await drillDownEventRecords(
      readEventRecords([evtx]),
      key('IT104-3', 'Student', '2015-08-23'),
    );
    expect(drillDown.successes).toBe(0);
    expect(drillDown.failures).toBe(4);
    expect(drillDown.byWorkstation).toEqual([{ value: 'IT104-3', successes: 0, failures: 4 }]);
    expect(drillDown.byComputer).toEqual([{ value: 'WIN-L0ZZQ76PMUF', successes: 0, failures: 4 }]);
    expect(drillDown.byAuthenticationPackage.map((c) => c.value)).toEqual(['NTLM']);
    // python-evtx's JSON lines of the same log (../shared/data/raw/derived) carry Status 0xc000006d, SubStatus
    // 0xc0000064 on these four records: a user name the machine does not know.
    expect(drillDown.failureReasons).toEqual([{ code: '0xC0000064', reason: 'unknown user', count: 4 }]);
    expect(drillDown.bySourceIp).toEqual([{ value: '10.20.0.118', successes: 0, failures: 4 }]);
    // The README's ActiveMilliseconds is 63: Kusto's whole milliseconds of these sub-millisecond times.
    expect(Math.abs(drillDown.lastSeenMs! - drillDown.firstSeenMs! - 63)).toBeLessThan(1);
  });

  it("shows pgustavo's three Kerberos logons on HR001 in the OTRF lateral-movement log", async () => {
    const { drillDown } = await drillDownEventRecords(
      readEventRecords([otrfSecurity]),
      key('SHIRE.COM', 'pgustavo', '2019-12-05'),
    );
    expect(drillDown).toMatchObject({
      successes: 3,
      failures: 0,
      bySourceIp: [{ value: '-', successes: 3, failures: 0 }],
      byAuthenticationPackage: [{ value: 'Kerberos', successes: 3, failures: 0 }],
      failureReasons: [],
    });
    expect(drillDown.byComputer).toHaveLength(1);
    expect(drillDown.byComputer[0]!.value.toUpperCase()).toContain('HR001');
    expect(drillDown.lastSeenMs! - drillDown.firstSeenMs!).toBe(1068);
  });
});
