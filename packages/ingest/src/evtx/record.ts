/**
 * One event record as the reader yields it: the System fields typed, plus every System and EventData / UserData
 * value as text in the form python-evtx gives it (the converter behind the derived JSON lines).
 */
import type { XmlElement } from './binxml.js';
import { EvtxParseError } from './errors.js';
import { fileTimeToIso, fileTimeToMs, fileTimeToPythonText, type FileTime } from './filetime.js';

export interface EvtxRecord {
  /** The file the record was read from, as the caller named it. */
  readonly file: string;
  /** 0-based index of the record's chunk in the file. */
  readonly chunk: number;
  /** Byte offset of the record in the file. */
  readonly offset: number;
  /** EventRecordID: the log's sequence number of the record (from the record header). */
  readonly recordId: number;
  /** System/EventID, without the Qualifiers (e.g. 4624). */
  readonly eventId: number;
  /** System/EventID's Qualifiers attribute (classic event sources), or `null` when absent. */
  readonly qualifiers: number | null;
  /** System/TimeCreated SystemTime in milliseconds since the Unix epoch, UTC, rounded down. */
  readonly timeCreatedMs: number;
  /** System/TimeCreated SystemTime as ISO-8601 UTC with the full 100 ns precision: `2015-08-24T06:51:38.4062480Z`. */
  readonly timeCreated: string;
  /** System/Computer: the host that logged the event. */
  readonly computer: string;
  /** System/Channel, e.g. `Security`. */
  readonly channel: string;
  /** System/Provider Name, e.g. `Microsoft-Windows-Security-Auditing`. */
  readonly provider: string;
  /**
   * System values by python-evtx flat name, in document order: `Provider` (the Name attribute), `EventID`,
   * `Version`, `Level`, `Task`, `Opcode`, `Keywords`, `TimeCreated` (`YYYY-MM-DD HH:MM:SS.ffffff` UTC),
   * `EventRecordID`, the attributes of Correlation (`ActivityID`, ...), Execution (`ProcessID`, `ThreadID`) and
   * Security (`UserID`), `Channel`, `Computer`. Empty values are `null`.
   */
  readonly system: Readonly<Record<string, string | null>>;
  /**
   * EventData `<Data Name=...>` values by Name (unnamed Data elements as `Data_1`, `Data_2`, ...; other
   * EventData children by tag), or for UserData events every leaf element by tag. Empty values are `null`.
   * A name that is also a System field name is prefixed (`UserData.EventID`) so it cannot hide the System value.
   */
  readonly eventData: Readonly<Record<string, string | null>>;
}

/** Where a record sits, for the record and for error messages. */
export interface RecordPlace {
  readonly file: string;
  readonly chunk: number;
  readonly offset: number;
  readonly recordId: number;
  /** Byte offset of the record inside its chunk, to locate errors. */
  readonly chunkOffset: number;
  /** The record header's written time, used when System/TimeCreated is missing. */
  readonly written: FileTime;
}

/** System elements whose attributes (not text) carry the values; their attributes become flat fields. */
const ATTRIBUTE_ELEMENTS = new Set(['Correlation', 'Execution', 'Security']);

/**
 * Builds the record from its expanded `Event` element. Throws `EvtxParseError` when the XML is not an event
 * (no System element or no numeric EventID): such a record is counted and skipped by the reader.
 */
export function buildRecord(event: XmlElement, place: RecordPlace): EvtxRecord {
  const systemElement = event.children.find((c) => c.name === 'System');
  if (systemElement === undefined)
    throw new EvtxParseError(place.chunkOffset, `<${event.name}> has no <System> element`);
  // No prototype: a field named `__proto__` or `constructor` by the event is a field like any other.
  const system: Record<string, string | null> = Object.create(null);
  let eventId = Number.NaN;
  let qualifiers: number | null = null;
  let time: FileTime | null = null;
  for (const child of systemElement.children) {
    switch (child.name) {
      case 'Provider':
        system.Provider = attributeValue(child, 'Name');
        break;
      case 'TimeCreated': {
        const attribute = child.attributes.find((a) => a.name === 'SystemTime');
        time = attribute?.fileTime ?? null;
        system.TimeCreated = attribute?.value ?? null;
        break;
      }
      case 'EventID': {
        system.EventID = child.text;
        eventId = child.text === null ? Number.NaN : Number(child.text);
        const q = attributeValue(child, 'Qualifiers');
        qualifiers = q === null ? null : Number(q);
        break;
      }
      default:
        if (ATTRIBUTE_ELEMENTS.has(child.name)) {
          for (const a of child.attributes) system[a.name] = a.value;
        } else {
          system[child.name] = child.text;
        }
    }
  }
  if (!Number.isInteger(eventId)) {
    throw new EvtxParseError(
      place.chunkOffset,
      `record ${place.recordId}: System/EventID ${JSON.stringify(system.EventID ?? null)} is not a number`,
    );
  }
  const when = time ?? place.written;
  if (time === null) system.TimeCreated = fileTimeToPythonText(when.hi, when.lo);
  return {
    file: place.file,
    chunk: place.chunk,
    offset: place.offset,
    recordId: place.recordId,
    eventId,
    qualifiers,
    timeCreatedMs: fileTimeToMs(when.hi, when.lo),
    timeCreated: fileTimeToIso(when.hi, when.lo),
    computer: system.Computer ?? '',
    channel: system.Channel ?? '',
    provider: system.Provider ?? '',
    system,
    eventData: collectEventData(event, system),
  };
}

function attributeValue(element: XmlElement, name: string): string | null {
  for (const a of element.attributes) if (a.name === name) return a.value;
  return null;
}

function collectEventData(event: XmlElement, system: Record<string, string | null>): Record<string, string | null> {
  const data: Record<string, string | null> = Object.create(null);
  const put = (section: string, key: string, value: string | null) => {
    data[key in system ? `${section}.${key}` : key] = value;
  };
  for (const section of event.children) {
    if (section.name === 'EventData') {
      let unnamed = 0;
      for (const item of section.children) {
        if (item.name === 'Data') {
          const name = attributeValue(item, 'Name');
          put(section.name, name ?? `Data_${++unnamed}`, item.text);
        } else {
          put(section.name, item.name, item.text);
        }
      }
    } else if (section.name === 'UserData') {
      for (const child of section.children) putLeaves(child, (key, value) => put(section.name, key, value));
    }
  }
  return data;
}

/** Every element without child elements, by tag, depth first (how the derived JSON lines flatten UserData). */
function putLeaves(element: XmlElement, put: (key: string, value: string | null) => void): void {
  if (element.children.length === 0) {
    put(element.name, element.text);
    return;
  }
  for (const child of element.children) putLeaves(child, put);
}
