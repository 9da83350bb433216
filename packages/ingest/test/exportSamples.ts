/**
 * Realistic export samples made from real events (the `.evtx` sample, read by this package's own reader, and
 * the OTRF JSON lines), one writer per product's shape. Each keeps the events' values, so a format read
 * correctly gives exactly the user-days of the source it was made from.
 */
import { readFileSync } from 'node:fs';
import { readEvtx, type EvtxRecord } from '../src/index.js';

/** The records of a `.evtx` file, by this package's reader. */
export async function evtxRecords(file: string): Promise<EvtxRecord[]> {
  const records: EvtxRecord[] = [];
  for await (const r of readEvtx(file)) records.push(r);
  return records;
}

/** The objects of a JSON-lines file. */
export function jsonLines(file: string): Record<string, unknown>[] {
  return readFileSync(file, 'utf8')
    .trim()
    .split('\n')
    .map((l) => JSON.parse(l) as Record<string, unknown>);
}

const XML_ESCAPES: Record<string, string> = { '<': '&lt;', '>': '&gt;', '&': '&amp;', '"': '&quot;', "'": '&apos;' };
function esc(text: string): string {
  return text.replace(/[<>&"']/g, (c) => XML_ESCAPES[c]!);
}
function element(name: string, text: string | null | undefined): string {
  return text === null || text === undefined || text === '' ? `<${name}/>` : `<${name}>${esc(text)}</${name}>`;
}

/** One `<Event>` as Windows renders it (`EvtRender` XML): System in its order, then EventData `<Data Name=...>`. */
export function eventXml(r: EvtxRecord, quote: '"' | "'" = "'"): string {
  const s = r.system;
  const attr = (name: string, value: string | null | undefined) =>
    value ? ` ${name}=${quote}${esc(value)}${quote}` : '';
  const system = [
    `<Provider${attr('Name', s.Provider)}${attr('Guid', s.Guid)}/>`,
    r.qualifiers === null
      ? element('EventID', String(r.eventId))
      : `<EventID${attr('Qualifiers', String(r.qualifiers))}>${r.eventId}</EventID>`,
    element('Version', s.Version),
    element('Level', s.Level),
    element('Task', s.Task),
    element('Opcode', s.Opcode),
    element('Keywords', s.Keywords),
    `<TimeCreated${attr('SystemTime', r.timeCreated)}/>`,
    element('EventRecordID', String(r.recordId)),
    `<Correlation${attr('ActivityID', s.ActivityID)}${attr('RelatedActivityID', s.RelatedActivityID)}/>`,
    `<Execution${attr('ProcessID', s.ProcessID)}${attr('ThreadID', s.ThreadID)}/>`,
    element('Channel', s.Channel),
    element('Computer', s.Computer),
    `<Security${attr('UserID', s.UserID)}/>`,
  ].join('');
  const data = Object.entries(r.eventData)
    .map(([name, value]) =>
      value === null
        ? `<Data Name=${quote}${esc(name)}${quote}/>`
        : `<Data Name=${quote}${esc(name)}${quote}>${esc(value)}</Data>`,
    )
    .join('');
  return `<Event xmlns=${quote}http://schemas.microsoft.com/win/2004/08/events/event${quote}><System>${system}</System><EventData>${data}</EventData></Event>`;
}

/** Event Viewer "Save as XML": a declaration, an `<Events>` root, one event per line. */
export function eventViewerXml(records: EvtxRecord[]): string {
  return `<?xml version="1.0" encoding="UTF-8"?>\r\n<Events>\r\n${records.map((r) => eventXml(r)).join('\r\n')}\r\n</Events>\r\n`;
}

/** `wevtutil qe Security /f:xml`: the events one after another, no declaration and no root. */
export function wevtutilXml(records: EvtxRecord[]): string {
  return records.map((r) => eventXml(r, "'")).join('');
}

/** Winlogbeat 8 / Elastic Agent ECS document of an NXLog-shaped or python-evtx-shaped flat record. */
export function winlogbeatDoc(flat: Record<string, unknown>): Record<string, unknown> {
  const system = new Set([
    'EventID',
    'TimeCreated',
    '@timestamp',
    'Hostname',
    'Computer',
    'Channel',
    'SourceName',
    'Provider',
    'RecordNumber',
    'EventRecordID',
    'EventTime',
    'Message',
    'host',
    'port',
    '@version',
    'tags',
    'EventType',
    'Severity',
    'SeverityValue',
    'Keywords',
    'Category',
    'Opcode',
    'Version',
    'Task',
    'ThreadID',
    'ProcessID',
    'ProviderGuid',
    'EventReceivedTime',
    'SourceModuleName',
    'SourceModuleType',
  ]);
  const eventData: Record<string, string> = {};
  for (const [k, v] of Object.entries(flat))
    if (!system.has(k) && v !== null && v !== undefined) eventData[k] = String(v);
  const computer = (flat.Hostname ?? flat.Computer) as string;
  return {
    '@timestamp': flat['@timestamp'] ?? flat.TimeCreated,
    agent: { type: 'winlogbeat', version: '8.15.0' },
    ecs: { version: '8.0.0' },
    event: { code: String(flat.EventID), kind: 'event', provider: flat.SourceName ?? flat.Provider },
    host: { name: computer.toLowerCase() },
    log: { level: 'information' },
    message: flat.Message ?? '',
    winlog: {
      api: 'wineventlog',
      channel: flat.Channel,
      computer_name: computer,
      event_data: eventData,
      event_id: String(flat.EventID),
      provider_name: flat.SourceName ?? flat.Provider,
      record_id: flat.RecordNumber ?? flat.EventRecordID,
    },
  };
}

/** Splunk's JSON-lines export of XmlWinEventLog events (Export results, JSON). */
export function splunkJsonLines(records: EvtxRecord[]): string {
  return records
    .map((r, i) =>
      JSON.stringify({
        preview: false,
        offset: i,
        result: { _raw: eventXml(r), _time: r.timeCreated, sourcetype: 'XmlWinEventLog', host: r.computer },
      }),
    )
    .join('\n');
}

function csvCell(value: unknown): string {
  const text = value === null || value === undefined ? '' : typeof value === 'string' ? value : JSON.stringify(value);
  return /[",\r\n]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}

/** A CSV with the given columns, CRLF, as Splunk and the Defender / Sentinel portals write. */
export function csv(columns: string[], rows: Record<string, unknown>[]): string {
  return [columns.join(','), ...rows.map((row) => columns.map((c) => csvCell(row[c])).join(','))].join('\r\n') + '\r\n';
}

/** A Sentinel `WindowsEvent` row (Azure Monitor Agent): EventData a JSON object with the event's data fields. */
export function windowsEventRow(r: EvtxRecord): Record<string, unknown> {
  const data: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(r.eventData)) data[k] = v ?? '';
  return {
    TenantId: '00000000-1111-2222-3333-444444444444',
    TimeGenerated: r.timeCreated,
    Source: 'Microsoft-Windows-Security-Auditing',
    Provider: r.provider,
    Channel: r.channel,
    Computer: r.computer,
    EventID: r.eventId,
    EventLevel: Number(r.system.Level ?? 0),
    EventLevelName: 'Information',
    EventData: data,
    Type: 'WindowsEvent',
  };
}

const DEVICE_LOGON_TYPES: Record<string, string> = {
  '2': 'Interactive',
  '3': 'Network',
  '5': 'Service',
  '7': 'Unlock',
  '10': 'RemoteInteractive',
  '11': 'CachedInteractive',
};

/**
 * A Defender XDR `DeviceLogonEvents` row for a 4624/4625 record, or null for other events (the table holds
 * logons only). Defender writes an empty cell where Windows writes `-`.
 */
export function deviceLogonRow(r: EvtxRecord): Record<string, unknown> | null {
  if (r.eventId !== 4624 && r.eventId !== 4625) return null;
  const d = r.eventData;
  const blank = (v: string | null | undefined) => (v === null || v === undefined || v === '-' ? '' : v);
  return {
    Timestamp: r.timeCreated,
    DeviceId: 'c0ffee00c0ffee00c0ffee00c0ffee00c0ffee00',
    DeviceName: r.computer,
    ActionType: r.eventId === 4624 ? 'LogonSuccess' : 'LogonFailed',
    LogonType: DEVICE_LOGON_TYPES[d.LogonType ?? ''] ?? 'Unknown',
    AccountDomain: blank(d.TargetDomainName),
    AccountName: blank(d.TargetUserName),
    AccountSid: blank(d.TargetUserSid),
    Protocol: blank(d.AuthenticationPackageName),
    FailureReason: r.eventId === 4625 ? 'InvalidUserNameOrPassword' : '',
    RemoteIP: blank(d.IpAddress),
    RemoteDeviceName: blank(d.WorkstationName),
    ReportId: r.recordId,
  };
}
