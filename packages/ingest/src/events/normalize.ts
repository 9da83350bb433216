/**
 * Flat event record (any supported shape) -> `LogonEvent`. The aliases below are the field mapping table of the
 * package README: for each `LogonEvent` field, the source field names tried in order; the first present,
 * non-empty one wins, except for the fields of `ONLY_WHEN_ABSENT`.
 */
import { formatLocation } from '../errors.js';
import { parseUtcTimestamp } from '../timeFormats.js';
import type { LogonEvent, NormalizeResult, RecordLocation } from '../logonEvent.js';
import { flattenRecordShape } from './recordShapes.js';
import { logonTypeName, PLACEHOLDER, SECURITY_PROVIDER } from '../windows.js';

/** Source field names per `LogonEvent` field, tried in order. */
export const FIELD_ALIASES = {
  // NXLog's `EventTime` is the collector's local time without a zone, so it is deliberately not an alias.
  timeMs: ['TimeGenerated', 'TimeCreated', '@timestamp', 'Timestamp'],
  eventId: ['EventID', 'EventId', 'event_id'],
  logonType: ['LogonType'],
  logonTypeName: ['LogonTypeName'],
  targetDomainName: ['TargetDomainName'],
  targetUserName: ['TargetUserName'],
  // NXLog's `host` is the shipper's own host, not the Windows host, so it is not an alias.
  computer: ['Computer', 'Hostname', 'ComputerName'],
  ipAddress: ['IpAddress'],
  // Two different columns, each counted by its own aggregate, so neither stands in for the other. A raw 4624/4625
  // (python-evtx, NXLog, .evtx) has no Workstation (4776 has one); it is then `-`, one distinct value, as Sentinel
  // counts its empty Workstation column on these events.
  workstation: ['Workstation'],
  workstationName: ['WorkstationName'],
  // SecurityEvent's AccountDomain is the domain of its Account column, which for logon events is the target
  // account; a raw record has no AccountDomain.
  accountDomain: ['AccountDomain', 'TargetDomainName'],
  authenticationPackageName: ['AuthenticationPackageName'],
  status: ['Status'],
  subStatus: ['SubStatus'],
  channel: ['Channel'],
  provider: ['Provider', 'SourceName', 'ProviderName', 'EventSourceName'],
} as const satisfies Record<keyof LogonEvent, readonly string[]>;

/**
 * Fields whose later aliases stand in only for a field the record does not have at all. A SecurityEvent row has
 * `AccountDomain` as a column, and an empty one is what the notebook's query counts (an empty string is a value to
 * `dcount`), so it must not be replaced by `TargetDomainName`.
 */
export const ONLY_WHEN_ABSENT: ReadonlySet<keyof LogonEvent> = new Set(['accountDomain']);

function pick(record: Record<string, unknown>, names: readonly string[]): unknown {
  for (const name of names) {
    const value = record[name];
    if (value !== undefined && value !== null && value !== '') return value;
  }
  return undefined;
}

/** The value of the first of `names` the record has at all (`undefined` and `null` are absent), empty or not. */
function pickPresent(record: Record<string, unknown>, names: readonly string[]): unknown {
  for (const name of names) {
    const value = record[name];
    if (value !== undefined && value !== null) return value;
  }
  return undefined;
}

function text(record: Record<string, unknown>, field: keyof typeof FIELD_ALIASES): string {
  const names = FIELD_ALIASES[field];
  const value = ONLY_WHEN_ABSENT.has(field) ? pickPresent(record, names) : pick(record, names);
  if (value === undefined) return PLACEHOLDER;
  const s = typeof value === 'string' ? value : String(value);
  return s.trim() === '' ? PLACEHOLDER : s;
}

function integer(value: unknown): number | null {
  if (typeof value === 'number') return Number.isInteger(value) ? value : null;
  if (typeof value === 'string' && /^\s*\d+\s*$/.test(value)) return Number(value);
  return null;
}

function time(value: unknown): number | null {
  if (typeof value === 'string') return parseUtcTimestamp(value.trim());
  if (value instanceof Date) return Number.isNaN(value.getTime()) ? null : value.getTime();
  return null;
}

/**
 * Is this record from the Security event log? A record naming its channel must name `Security` (any letter
 * case, as NXLog writes `security`); one naming only a provider must name the Security-Auditing provider; a
 * record naming neither (a SecurityEvent export) is taken as Security. Sysmon and other logs reuse EventIDs, so
 * this check comes before any EventID test.
 */
function isSecurityRecord(channel: string, provider: string): boolean {
  if (channel !== PLACEHOLDER) return channel.toLowerCase() === 'security';
  if (provider !== PLACEHOLDER) return provider.toLowerCase() === SECURITY_PROVIDER.toLowerCase();
  return true;
}

function reject(where: RecordLocation, field: string, problem: string): NormalizeResult {
  return { kind: 'rejected', field, problem, message: formatLocation(where.file, where.row, field) + problem };
}

/**
 * Normalises one flat event record to a `LogonEvent`.
 *
 * The record has the field names of python-evtx's flattening (System fields `EventID`, `TimeCreated`,
 * `Computer`, `Channel`, `Provider`, `EventRecordID`, plus EventData names such as `TargetUserName`,
 * `LogonType`), of NXLog/Logstash JSON (`@timestamp`, `Hostname`, `SourceName`), or of a Sentinel
 * `SecurityEvent` export (`TimeGenerated`, `Computer`, `LogonTypeName`, `Workstation`, `AccountDomain`); see
 * `FIELD_ALIASES`. Winlogbeat / Elastic Agent documents, Splunk `XmlWinEventLog` `_raw` events, Sentinel
 * `WindowsEvent` rows and Defender XDR `DeviceLogonEvents` rows are first turned into that shape
 * (`flattenRecordShape`).
 *
 * @returns `{kind: 'event'}` for a Security-channel record, `{kind: 'skipped', rule: 'channel'}` for a record
 *   from another log (e.g. Sysmon), `{kind: 'rejected'}` with a one-line `file:row:field: problem` message when a
 *   Security record has no parsable time, no integer EventID, or a non-integer LogonType. Missing or empty
 *   string fields become `-` (`PLACEHOLDER`).
 */
export function normalizeEventRecord(input: Record<string, unknown>, where: RecordLocation): NormalizeResult {
  const shaped = flattenRecordShape(input);
  if (shaped.kind === 'skipped') return shaped;
  if (shaped.kind === 'rejected') return reject(where, shaped.field, shaped.problem);
  const record = shaped.record;
  const channel = text(record, 'channel');
  const provider = text(record, 'provider');
  if (!isSecurityRecord(channel, provider)) return { kind: 'skipped', rule: 'channel' };

  const rawEventId = pick(record, FIELD_ALIASES.eventId);
  const eventId = integer(rawEventId);
  if (eventId === null) {
    return reject(
      where,
      'EventID',
      rawEventId === undefined ? 'missing' : `not an integer: ${JSON.stringify(rawEventId)}`,
    );
  }
  const rawTime = pick(record, FIELD_ALIASES.timeMs);
  const timeMs = time(rawTime);
  if (timeMs === null) {
    return reject(
      where,
      FIELD_ALIASES.timeMs.find((n) => record[n] !== undefined) ?? 'TimeGenerated',
      rawTime === undefined
        ? 'no event time (TimeGenerated, TimeCreated or @timestamp)'
        : `unparsable time ${JSON.stringify(rawTime)}`,
    );
  }
  const rawLogonType = pick(record, FIELD_ALIASES.logonType);
  const logonType = rawLogonType === undefined ? null : integer(rawLogonType);
  if (rawLogonType !== undefined && logonType === null) {
    return reject(where, 'LogonType', `not an integer: ${JSON.stringify(rawLogonType)}`);
  }
  const givenTypeName = pick(record, FIELD_ALIASES.logonTypeName);
  return {
    kind: 'event',
    event: {
      timeMs,
      eventId,
      logonType,
      logonTypeName:
        typeof givenTypeName === 'string' ? givenTypeName : logonType === null ? PLACEHOLDER : logonTypeName(logonType),
      targetDomainName: text(record, 'targetDomainName'),
      targetUserName: text(record, 'targetUserName'),
      computer: text(record, 'computer'),
      ipAddress: text(record, 'ipAddress'),
      workstation: text(record, 'workstation'),
      workstationName: text(record, 'workstationName'),
      accountDomain: text(record, 'accountDomain'),
      authenticationPackageName: text(record, 'authenticationPackageName'),
      status: text(record, 'status'),
      subStatus: text(record, 'subStatus'),
      channel,
      provider,
    },
  };
}
