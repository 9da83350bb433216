/**
 * EVTX records as flat objects in the shape of the python-evtx derived JSON lines, the input of the raw-event
 * normaliser (`normalizeEventRecord`).
 */
import type { EvtxRecord } from './record.js';

/** A value of the flat form: the EventID as a number, every other field as text or `null` when empty. */
export type FlatValue = string | number | null;

/**
 * The record as one flat object with the field names and value forms of the python-evtx derived JSON lines:
 * System fields first (`EventID` a number, the rest text), then the EventData / UserData values. This is the
 * shape the raw-event normaliser takes.
 */
export function evtxRecordToFlat(record: EvtxRecord): Record<string, FlatValue> {
  // Plain copying loops: the field objects are built key by key and V8 keeps them as dictionaries, which object
  // spread and Object.assign copy several times slower.
  // No prototype, so that event data named `__proto__` is kept as data.
  const flat: Record<string, FlatValue> = Object.create(null);
  const { system, eventData } = record;
  for (const key in system) flat[key] = system[key];
  flat.EventID = record.eventId;
  for (const key in eventData) flat[key] = eventData[key];
  return flat;
}

/** A flat record and where it came from: `row` is the record's EventRecordID, which Windows tools show. */
export interface EvtxFlatRecord {
  readonly record: Record<string, FlatValue>;
  readonly where: { readonly file: string; readonly row: number };
}

/**
 * The records of `records` (e.g. `readEvtxFiles(paths)`) as flat objects with their location, ready for
 * `userDaysFromRecords`. Reading statistics stay on the reader passed in.
 */
export async function* evtxFlatRecords(records: AsyncIterable<EvtxRecord>): AsyncGenerator<EvtxFlatRecord> {
  for await (const record of records)
    yield { record: evtxRecordToFlat(record), where: { file: record.file, row: record.recordId } };
}
