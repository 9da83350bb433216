/**
 * The reader against an independent decoder: every record of the sample Security log, compared field by field
 * with the python-evtx flattening in `../shared/data/raw/derived/` (not copied into the repository).
 */
import { readFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { beforeAll, describe, expect, it } from 'vitest';
import { evtxRecordToFlat, readEvtx, type EvtxRecord, type EvtxStats } from '../src/evtx/index.js';

const repoRoot = resolve(dirname(fileURLToPath(import.meta.url)), '../../..');
const raw = resolve(repoRoot, '..', 'shared', 'data', 'raw');
const SAMPLE = resolve(raw, 'omerbenamram-evtx__Security_with_size_t.evtx');
const DERIVED = resolve(raw, 'derived', 'omerbenamram-evtx__Security_with_size_t.jsonl');

/** Windows' "event logging service encountered an error while processing an incoming event" (UserData event). */
const EVENT_PROCESSING_FAILURE = 1108;

/**
 * python-evtx's timestamp text for exact ISO time `iso7` (`...SS.fffffffZ`): it converts FILETIME through a
 * double, `datetime.utcfromtimestamp(float(ticks) * 1e-7 - 11644473600)`, which CPython rounds to microseconds
 * half-to-even after `modf`. Reproducing that arithmetic lets the test demand exact equality with the JSON lines.
 */
function pythonEvtxTimeText(iso7: string): string {
  const ms = Date.parse(`${iso7.slice(0, 23)}Z`);
  const ticks = (BigInt(ms) + 11_644_473_600_000n) * 10_000n + BigInt(iso7.slice(23, 27));
  const t = Number(ticks) * 1e-7 - 11_644_473_600;
  let seconds = Math.floor(t);
  const scaled = (t - seconds) * 1e6;
  let micros = Math.round(scaled);
  if (Math.abs(scaled - Math.trunc(scaled)) === 0.5) micros = 2 * Math.round(scaled / 2); // half to even
  if (micros >= 1e6) {
    micros -= 1e6;
    seconds += 1;
  }
  const base = new Date(seconds * 1000).toISOString().slice(0, 19).replace('T', ' ');
  return micros === 0 ? base : `${base}.${String(micros).padStart(6, '0')}`;
}

/** Microseconds since the epoch of a `YYYY-MM-DD HH:MM:SS[.ffffff]` UTC text. */
function pythonTextMicros(text: string): number {
  const [whole, fraction = ''] = text.split('.');
  return Date.parse(`${whole.replace(' ', 'T')}Z`) * 1000 + Number(fraction.padEnd(6, '0'));
}

describe('EVTX reader on the sample Security log', () => {
  const expected: Record<string, unknown>[] = readFileSync(DERIVED, 'utf8')
    .trim()
    .split('\n')
    .map((line) => JSON.parse(line));
  const records: EvtxRecord[] = [];
  let stats: EvtxStats;

  beforeAll(async () => {
    const reader = readEvtx(SAMPLE);
    for await (const record of reader) records.push(record);
    stats = reader.stats;
  });

  it('reads every record and counts chunks: 6 written, 11 preallocated and empty, none skipped', () => {
    expect(records).toHaveLength(expected.length);
    expect(records).toHaveLength(636); // the README's count, from python-evtx and libevtx
    expect(stats).toMatchObject({
      files: 1,
      chunksRead: 6,
      chunksEmpty: 11,
      chunksSkipped: 0,
      recordsRead: 636,
      recordsSkipped: 0,
    });
    expect(stats.issues).toEqual([]);
    expect(new Set(records.map((r) => r.recordId))).toEqual(new Set(expected.map((e) => Number(e.EventRecordID))));
  });

  it('gives every record the same System and EventData values as python-evtx', () => {
    const byId = new Map(records.map((r) => [r.recordId, r]));
    let compared = 0;
    for (const want of expected) {
      const record = byId.get(Number(want.EventRecordID))!;
      const flat = evtxRecordToFlat(record);
      const { TimeCreated: wantTime, EventID: wantEventId, ...wantRest } = want;
      const { TimeCreated: gotTime, EventID: gotEventId, ...gotRest } = flat;
      if (record.eventId === EVENT_PROCESSING_FAILURE) {
        // The converter let UserData's <EventID> (the event that failed) overwrite System's; the reader keeps
        // System's and files the UserData one under a prefixed name.
        expect(gotEventId).toBe(EVENT_PROCESSING_FAILURE);
        expect(record.provider).toBe('Microsoft-Windows-Eventlog');
        const { ['UserData.EventID']: failedEventId, ...others } = gotRest;
        expect(failedEventId).toBe(String(wantEventId));
        expect(others).toEqual(wantRest);
      } else {
        expect(gotEventId).toBe(wantEventId);
        expect(gotRest).toEqual(wantRest);
      }
      // Exact up to python-evtx's double rounding, which pythonEvtxTimeText reproduces; never more than 2 us apart.
      expect(pythonEvtxTimeText(record.timeCreated)).toBe(wantTime);
      expect(Math.abs(pythonTextMicros(String(gotTime)) - pythonTextMicros(String(wantTime)))).toBeLessThanOrEqual(2);
      compared++;
    }
    expect(compared).toBe(636);
  });

  it('fills the typed fields from the same values', () => {
    const byId = new Map(expected.map((e) => [Number(e.EventRecordID), e]));
    for (const record of records) {
      const want = byId.get(record.recordId)!;
      expect(record.computer).toBe(want.Computer);
      expect(record.channel).toBe(want.Channel);
      expect(record.provider).toBe(want.Provider);
      expect(record.system.EventRecordID).toBe(String(record.recordId));
      expect(record.timeCreatedMs).toBe(Date.parse(record.timeCreated));
      expect(record.timeCreated).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{7}Z$/);
    }
    const logons = records.filter((r) => r.eventId === 4624);
    expect(logons).toHaveLength(126); // README: 4624 x 126
    expect(records.filter((r) => r.eventId === 4625)).toHaveLength(15);
  });

  it('spans the README time range', () => {
    const times = records.map((r) => r.timeCreated).sort();
    expect(times[0].slice(0, 19)).toBe('2015-08-23T10:29:50');
    expect(times.at(-1)!.slice(0, 19)).toBe('2015-09-13T04:18:17');
  });
});
