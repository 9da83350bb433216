/**
 * The export shapes that are not flat Windows records, turned into the flat shape `normalizeEventRecord` reads
 * (python-evtx / SecurityEvent field names). Recognised from the record's own fields, never from a file name:
 *
 * - Elastic Winlogbeat / Elastic Agent (ECS): a `winlog` object (also inside an Elasticsearch hit's `_source`);
 * - Splunk: a `_raw` field holding an `XmlWinEventLog` `<Event>` (also inside a JSON export's `result`);
 * - Microsoft Sentinel `WindowsEvent` (Azure Monitor Agent): `EventData` as a JSON object (or its JSON text in
 *   a CSV export), whose fields join the row's;
 * - Microsoft Defender XDR `DeviceLogonEvents`: `ActionType` with `AccountName` and `DeviceName`, mapped onto
 *   4624/4625 (see the package README for what cannot be reproduced).
 *
 * Anything else is returned as it is. No Node built-ins.
 */
import { EVENT_LOGON_FAILURE, EVENT_LOGON_SUCCESS, logonTypeName, logonTypeNumber } from '../windows.js';
import { xmlEventToFlat } from './xml/xmlEvent.js';
import { parseXmlEvents, XmlInputError } from './xml/xmlScanner.js';

type Flat = Record<string, unknown>;

/** The outcome: a flat record, a record to count under a filter rule, or a record that cannot be read. */
export type ShapeResult =
  | { readonly kind: 'record'; readonly record: Flat }
  | { readonly kind: 'skipped'; readonly rule: string }
  | { readonly kind: 'rejected'; readonly field: string; readonly problem: string };

function asObject(value: unknown): Flat | null {
  return typeof value === 'object' && value !== null && !Array.isArray(value) ? (value as Flat) : null;
}

function present(value: unknown): boolean {
  return value !== undefined && value !== null && value !== '';
}

/** `a.b.c` of an ECS document, as nested objects or as a dotted key (both appear in exports). */
function ecs(doc: Flat, path: string): unknown {
  if (path in doc) return doc[path];
  let value: unknown = doc;
  for (const part of path.split('.')) {
    const object = asObject(value);
    if (object === null) return undefined;
    value = object[part];
  }
  return value;
}

/**
 * Winlogbeat / Elastic Agent: `winlog.event_id`, `winlog.channel`, `winlog.provider_name`,
 * `winlog.computer_name` (else `host.name`), `@timestamp`, `winlog.record_id`, and `winlog.event_data.*` as the
 * EventData fields. ECS fields stand in only for EventData fields an ingest pipeline removed.
 */
function fromEcs(doc: Flat): Flat {
  const data = asObject(ecs(doc, 'winlog.event_data')) ?? {};
  const flat: Flat = { ...data };
  const fallbacks: [string, unknown][] = [
    ['TargetUserName', ecs(doc, 'user.name')],
    ['TargetDomainName', ecs(doc, 'user.domain')],
    ['IpAddress', ecs(doc, 'source.ip')],
    ['WorkstationName', ecs(doc, 'source.domain')],
    ['LogonType', logonTypeNumber(String(ecs(doc, 'winlog.logon.type') ?? '')) ?? undefined],
  ];
  for (const [name, value] of fallbacks) if (!present(flat[name]) && present(value)) flat[name] = value;
  flat.EventID = ecs(doc, 'winlog.event_id') ?? ecs(doc, 'event.code');
  flat.Channel = ecs(doc, 'winlog.channel');
  flat.Provider = ecs(doc, 'winlog.provider_name');
  flat.Computer = ecs(doc, 'winlog.computer_name') ?? ecs(doc, 'host.name');
  flat.TimeCreated = doc['@timestamp'];
  flat.EventRecordID = ecs(doc, 'winlog.record_id');
  return flat;
}

/** Splunk `XmlWinEventLog`: the `_raw` text is one `<Event>`. */
function fromSplunkRaw(raw: string): ShapeResult {
  if (!raw.trimStart().startsWith('<')) {
    return {
      kind: 'rejected',
      field: '_raw',
      problem: 'not an XmlWinEventLog event (export with renderXml=true, sourcetype XmlWinEventLog)',
    };
  }
  try {
    const events = parseXmlEvents(raw, (name, line) => {
      throw new XmlInputError(line, `<${name}> is not a Windows <Event>`);
    });
    if (events.length !== 1)
      return { kind: 'rejected', field: '_raw', problem: `holds ${events.length} events, expected 1` };
    return { kind: 'record', record: xmlEventToFlat(events[0]!.event) };
  } catch (error) {
    if (error instanceof XmlInputError)
      return { kind: 'rejected', field: '_raw', problem: `bad event XML, ${error.message}` };
    throw error;
  }
}

/** Sentinel `WindowsEvent`: the row's columns, with the fields of its `EventData` object where the row has none. */
function fromWindowsEvent(row: Flat): ShapeResult {
  let data = asObject(row.EventData);
  if (data === null) {
    try {
      data = asObject(JSON.parse(row.EventData as string));
    } catch {
      data = null;
    }
    if (data === null) return { kind: 'rejected', field: 'EventData', problem: 'not a JSON object' };
  }
  const flat: Flat = { ...data };
  for (const [key, value] of Object.entries(row))
    if (key !== 'EventData' && (present(value) || !(key in flat))) flat[key] = value;
  return { kind: 'record', record: flat };
}

/** `DeviceLogonEvents.ActionType` -> the Security event it stands for. */
const DEVICE_LOGON_ACTIONS: Readonly<Record<string, number>> = {
  LogonSuccess: EVENT_LOGON_SUCCESS,
  LogonFailed: EVENT_LOGON_FAILURE,
};

/**
 * Defender XDR `DeviceLogonEvents` as a 4624/4625: LogonSuccess/LogonFailed -> EventID, `LogonType` by name
 * (`Network` -> 3), AccountDomain/AccountName -> TargetDomainName/TargetUserName (and AccountDomain),
 * DeviceName -> Computer, RemoteIP -> IpAddress, RemoteDeviceName -> WorkstationName, Protocol ->
 * AuthenticationPackageName; `Timestamp` (or Sentinel's `TimeGenerated`). Other actions (LogonAttempted) are
 * counted under the eventId filter, as the KQL's `ActionType in (...)` drops them.
 */
function fromDeviceLogon(row: Flat): ShapeResult {
  const eventId = DEVICE_LOGON_ACTIONS[String(row.ActionType)];
  if (eventId === undefined) return { kind: 'skipped', rule: 'eventId' };
  const typeText = present(row.LogonType) ? String(row.LogonType) : '';
  const number = logonTypeNumber(typeText);
  return {
    kind: 'record',
    record: {
      TimeGenerated: present(row.Timestamp) ? row.Timestamp : row.TimeGenerated,
      EventID: eventId,
      LogonType: number ?? undefined,
      LogonTypeName: number === null ? typeText : logonTypeName(number),
      TargetDomainName: row.AccountDomain,
      TargetUserName: row.AccountName,
      AccountDomain: row.AccountDomain ?? null,
      Computer: row.DeviceName,
      IpAddress: row.RemoteIP,
      WorkstationName: row.RemoteDeviceName,
      AuthenticationPackageName: row.Protocol,
    },
  };
}

/** Which export shape a record has, and the flat record it stands for. */
export function flattenRecordShape(record: Flat): ShapeResult {
  const source = asObject(record._source);
  if (source !== null) return flattenRecordShape(source);
  const result = asObject(record.result);
  if (result !== null && typeof result._raw === 'string') return fromSplunkRaw(result._raw);
  if (typeof record._raw === 'string') return fromSplunkRaw(record._raw);
  if (asObject(record.winlog) !== null || 'winlog.event_id' in record)
    return { kind: 'record', record: fromEcs(record) };
  if ('ActionType' in record && 'AccountName' in record && ('DeviceName' in record || 'DeviceId' in record))
    return fromDeviceLogon(record);
  const eventData = record.EventData;
  if (asObject(eventData) !== null || (typeof eventData === 'string' && eventData.trimStart().startsWith('{')))
    return fromWindowsEvent(record);
  return { kind: 'record', record };
}
