import { describe, expect, it } from 'vitest';
import { buildUserDayKql, MAX_SHARDS, queryWindow, USER_DAY_COLUMNS, userShardKql } from '../src/index.js';
import { inQueriedShard, queriedShard, xxhash64 } from './support.js';

/**
 * The query of the notebook "Guided Hunting - Anomaly detection with Isolation Forest on Windows Logon data For
 * Data Scientist" (Azure/Azure-Sentinel-Notebooks, machine-learning-notebooks, cell 0424ab25; the SOC notebook's
 * is the same), copied as it stands there: the independent truth the builder is checked against.
 */
const NOTEBOOK_KQL = `
let start = 21d;
let end = 1d;
SecurityEvent
| where TimeGenerated >= startofday(ago(start)) and TimeGenerated <= endofday(ago(end))
| where EventID in (4624, 4625)
| where LogonTypeName == "3 - Network"
| extend DstDomain=TargetDomainName, DstUser=TargetUserName, Date = format_datetime(TimeGenerated, 'yyyy-MM-dd')
| where not (EventID == 4624 and (DstDomain =~ "NT AUTHORITY" or DstDomain =~ "ANONYMOUS LOGON") and LogonType == "3")
| where not (EventID == 4624 and (DstDomain =~ "NT AUTHORITY" or DstDomain =~ "SYSTEM") and LogonType == "5")
| where not (EventID == 4624 and DstDomain =~ "WINDOW MANAGER" and DstUser startswith "DWM-" and LogonType == "2")
| where not (EventID == 4624 and DstDomain =~ "NT VIRTUAL MACHINE")
| where DstUser !endswith "$"
| summarize AttemptedLogons = count() , MAX_TimeGenerated = max(TimeGenerated), MIN_TimeGenerated = min(TimeGenerated), SuccessfulLogons=countif(EventID == 4624), FailedLogons=countif(EventID == 4625), ComputerDomainsAccessed=dcount(TargetDomainName), DistinctAuthenticationPackage=dcount(AuthenticationPackageName), ComputersAccessed = dcount(Computer), DistinctSrcIp= dcount(IpAddress), DistinctSrcHostName = dcount(Workstation), ComputersSuccessfulAccess = dcountif(Computer, EventID == 4624),  ComputerDomainsSuccessfulAccess = dcountif(AccountDomain, EventID == 4624), SrcIpSuccessfulAccess = dcountif(IpAddress, EventID == 4624), SrcHostNameSuccessfulAccess = dcountif(WorkstationName, EventID ==4624) by Date, DstDomain, DstUser, LogonTypeName
| extend ActiveMilliseconds = datetime_diff('millisecond', MAX_TimeGenerated, MIN_TimeGenerated)`;

/**
 * KQL with the whitespace outside string literals removed: the layout of a query does not change its meaning
 * (the builder spreads the long summarize over lines), its words and literals do.
 */
function tokens(kql: string): string {
  return kql
    .split(/("[^"]*"|'[^']*')/)
    .map((part, i) => (i % 2 === 1 ? part : part.replace(/\s+/g, '')))
    .join('');
}

/** The query's lines without `//` comment lines. */
function codeLines(kql: string): string[] {
  return kql.split('\n').filter((line) => line.trim() !== '' && !line.trimStart().startsWith('//'));
}

/** The output columns of a user-day query in order: group keys, then aggregates, then the extend. */
function outputColumns(kql: string): string[] {
  const summarize = /\| summarize ([\s\S]*?)\s+by ([^\n]+)/.exec(kql)!;
  const aggregates = [...summarize[1]!.matchAll(/(\w+)\s*=\s*\w+\(/g)].map((m) => m[1]!);
  const keys = summarize[2]!.split(',').map((k) => k.trim());
  const extended = [...kql.slice(summarize.index + summarize[0].length).matchAll(/\| extend (\w+)\s*=/g)].map(
    (m) => m[1]!,
  );
  return [...keys, ...aggregates, ...extended];
}

describe('buildUserDayKql', () => {
  it("is the notebook's query by default, word for word", () => {
    expect(tokens(buildUserDayKql())).toBe(tokens(NOTEBOOK_KQL));
  });

  it('returns the columns of the user-day schema in its order, so it needs no final project', () => {
    const schema = USER_DAY_COLUMNS.map((c) => c.name);
    expect(outputColumns(NOTEBOOK_KQL)).toEqual(schema);
    expect(outputColumns(buildUserDayKql())).toEqual(schema);
  });

  it('parameterises the window and the logon type name, leaving the exclusions as they are', () => {
    const kql = buildUserDayKql({ lookbackDays: 14, endOffsetDays: 2, logonType: 10 });
    const expected = NOTEBOOK_KQL.replace('let start = 21d;', 'let start = 14d;')
      .replace('let end = 1d;', 'let end = 2d;')
      .replace('LogonTypeName == "3 - Network"', 'LogonTypeName == "10 - RemoteInteractive"');
    expect(tokens(kql)).toBe(tokens(expected));
    expect(kql).toContain('LogonType == "3")'); // the first exclusion keeps its own logon type
  });

  it('for a slice: the explicit window and the user bucket are the only changes, each marked', () => {
    const kql = buildUserDayKql({
      window: { startMs: Date.UTC(2022, 8, 19), endMs: Date.UTC(2022, 8, 20) },
      userHash: { buckets: 8, bucket: 3 },
    });
    const notebook = codeLines(NOTEBOOK_KQL).filter((line) => !line.startsWith('let '));
    const expected = notebook.flatMap((line) =>
      line.startsWith('| where TimeGenerated')
        ? [
            '| where TimeGenerated >= datetime(2022-09-19T00:00:00.000Z) and TimeGenerated < datetime(2022-09-20T00:00:00.000Z)',
          ]
        : line.startsWith('| summarize')
          ? ['| where hash(DstUser, 8) == 3', line]
          : [line],
    );
    expect(tokens(codeLines(kql).join('\n'))).toBe(tokens(expected.join('\n')));
    const comments = kql.split('\n').filter((line) => line.startsWith('//'));
    expect(comments).toHaveLength(2);
    expect(comments.every((line) => line.startsWith('// ADDITION (isoforest)'))).toBe(true);
    expect(outputColumns(kql)).toEqual(USER_DAY_COLUMNS.map((c) => c.name));
  });

  it('for a shard of a sharded hunt: one marked line keeps its users, on the raw events before the summarize', () => {
    const kql = buildUserDayKql({ userShard: { index: 1, count: 8 } });
    const expected = codeLines(NOTEBOOK_KQL).flatMap((line) =>
      line.startsWith('| summarize')
        ? ['| where hash_xxhash64(strcat(DstDomain, "\\\\", DstUser), 8) == 1', line]
        : [line],
    );
    expect(tokens(codeLines(kql).join('\n'))).toBe(tokens(expected.join('\n')));
    const comments = kql.split('\n').filter((line) => line.startsWith('//'));
    expect(comments).toEqual(['// ADDITION (isoforest): the users of shard 2 of 8 (hunt --shard), chosen by Kusto']);
    expect(outputColumns(kql)).toEqual(USER_DAY_COLUMNS.map((c) => c.name));
    // With a slice's bucket too, the shard's line comes first and both apply.
    const sliced = buildUserDayKql({ userShard: { index: 0, count: 2 }, userHash: { buckets: 4, bucket: 3 } });
    expect(codeLines(sliced).join('\n')).toContain(
      `| where ${userShardKql({ index: 0, count: 2 })}\n| where hash(DstUser, 4) == 3\n`,
    );
  });

  it('refuses a shard outside 0 <= index < count <= MAX_SHARDS', () => {
    for (const [index, count] of [
      [2, 2],
      [-1, 2],
      [0, 0],
      [0.5, 2],
      [0, MAX_SHARDS + 1],
    ] as const)
      expect(() => buildUserDayKql({ userShard: { index, count } })).toThrow(RangeError);
    expect(userShardKql({ index: MAX_SHARDS - 1, count: MAX_SHARDS })).toContain(`${MAX_SHARDS}) == ${MAX_SHARDS - 1}`);
  });

  it("the local services answer a sharded query with XXH64, which is Kusto's hash_xxhash64", () => {
    const utf8 = (text: string) => new TextEncoder().encode(text);
    // Kusto's documentation: hash_xxhash64("World") is 1846988464401551951, and 51 modulo 100.
    expect(xxhash64(utf8('World'))).toBe(1846988464401551951n);
    expect(inQueriedShard({ DstDomain: 'CONTOSO', DstUser: 'alice' }, { index: 0, count: 1 })).toBe(true);
    // `xxhsum -H1` (xxHash 0.8.1) of the empty string, of inputs under and over 32 bytes, and of non-ASCII UTF-8.
    expect(xxhash64(utf8(''))).toBe(0xef46db3751d8e999n);
    expect(xxhash64(utf8('CONTOSO\\alice'))).toBe(0x4297b257e223c1ccn);
    expect(xxhash64(utf8('FABRIKAM\\svc-backup-replication-agent-01'))).toBe(0x54054602f30d7c57n);
    expect(xxhash64(utf8('CONTOSO\\josé.müller'))).toBe(0x6cb09ab5b3488562n);
    expect(queriedShard(buildUserDayKql({ userShard: { index: 4, count: 7 } }))).toEqual({ index: 4, count: 7 });
    expect(queriedShard(buildUserDayKql())).toBeNull();
  });

  it('refuses a logon type it cannot name and a negative window', () => {
    expect(() => buildUserDayKql({ logonType: 6 })).toThrow(RangeError);
    expect(() => buildUserDayKql({ lookbackDays: -1 })).toThrow(/lookbackDays must be a number of days >= 0/);
    expect(() => buildUserDayKql({ endOffsetDays: Number.NaN })).toThrow(RangeError);
  });
});

describe('queryWindow', () => {
  it('is startofday(ago(21d)) .. endofday(ago(1d)) as whole UTC days', () => {
    const now = Date.UTC(2022, 8, 22, 15, 30);
    // ago(21d) = 2022-09-01 15:30 -> its midnight; ago(1d) = 2022-09-21 15:30 -> the end of that day.
    expect(queryWindow(now, 21, 1)).toEqual({ startMs: Date.UTC(2022, 8, 1), endMs: Date.UTC(2022, 8, 22) });
    expect(queryWindow(now, 3, 0)).toEqual({ startMs: Date.UTC(2022, 8, 19), endMs: Date.UTC(2022, 8, 23) });
  });
});

/**
 * The columns of the other logon tables, from their Microsoft documentation (Azure Monitor table reference for
 * WindowsEvent; Defender XDR advanced hunting schema for DeviceLogonEvents; Sentinel adds TimeGenerated): what
 * the query may read without creating it.
 */
const TABLE_COLUMNS: Record<string, string[]> = {
  WindowsEvent: [
    'TimeGenerated',
    'Computer',
    'EventID',
    'Channel',
    'Provider',
    'EventData',
    'EventLevel',
    'EventLevelName',
    'Task',
    'Type',
  ],
  DeviceLogonEvents: [
    'TimeGenerated',
    'Timestamp',
    'DeviceId',
    'DeviceName',
    'ActionType',
    'LogonType',
    'AccountDomain',
    'AccountName',
    'AccountSid',
    'Protocol',
    'FailureReason',
    'IsLocalAdmin',
    'LogonId',
    'RemoteDeviceName',
    'RemoteIP',
    'RemoteIPType',
    'RemotePort',
    'InitiatingProcessAccountName',
    'ReportId',
  ],
};
/** SecurityEvent columns the notebook's shared steps (from its extend of DstDomain on) read. */
const SHARED_STEP_COLUMNS = [
  'TimeGenerated',
  'EventID',
  'LogonType',
  'LogonTypeName',
  'TargetDomainName',
  'TargetUserName',
  'AuthenticationPackageName',
  'Computer',
  'IpAddress',
  'Workstation',
  'AccountDomain',
  'WorkstationName',
];

describe('buildUserDayKql for WindowsEvent and DeviceLogonEvents', () => {
  const notebookTail = NOTEBOOK_KQL.slice(NOTEBOOK_KQL.indexOf('| extend DstDomain'));
  for (const table of ['WindowsEvent', 'DeviceLogonEvents'] as const) {
    it(`${table}: its additions give SecurityEvent's columns, then the notebook's steps run word for word`, () => {
      const kql = buildUserDayKql({ table });
      expect(tokens(kql.slice(kql.indexOf('| extend DstDomain')))).toBe(tokens(notebookTail));
      expect(codeLines(kql)[2]).toBe(table);
      expect(outputColumns(kql)).toEqual(USER_DAY_COLUMNS.map((c) => c.name));
      const head = kql.slice(0, kql.indexOf('| extend DstDomain'));
      const created = [...head.matchAll(/(?:extend|,)\s+(\w+)\s*=[^=]/g)].map((m) => m[1]!);
      for (const column of SHARED_STEP_COLUMNS)
        expect(TABLE_COLUMNS[table]!.includes(column) || created.includes(column), column).toBe(true);
      // Every line that is not the notebook's is marked, in the query itself.
      const own = codeLines(kql).filter((l) => !codeLines(NOTEBOOK_KQL).includes(l));
      expect(own.length).toBeGreaterThan(0);
      expect(kql.split('\n').filter((l) => l.startsWith('// ADDITION (isoforest)')).length).toBeGreaterThanOrEqual(1);
    });
  }

  it('filters each table on its own spelling of logon type 3', () => {
    expect(buildUserDayKql({ table: 'WindowsEvent' })).toContain(
      '| where LogonType == 3\n| extend LogonTypeName = "3 - Network"',
    );
    expect(buildUserDayKql({ table: 'DeviceLogonEvents' })).toContain(
      '| where LogonType == "Network"\n| extend LogonType = 3, LogonTypeName = "3 - Network"',
    );
    expect(buildUserDayKql({ table: 'DeviceLogonEvents', logonType: 10 })).toContain(
      '| where LogonType == "RemoteInteractive"',
    );
    expect(() => buildUserDayKql({ table: 'Heartbeat' as never })).toThrow(RangeError);
  });
});
