import { readAll, toUserDays, userDaysFromRecords, type LocatedRecord } from '@isoforest/ingest';
import { describe, expect, it } from 'vitest';
import { generateRawEvents, type RawLogonEvent } from '../src/index.js';
import { tenantRows, tenantTable } from './tenantTable.js';

const OPTIONS = { users: 25, days: 10, seed: 11, attackRate: 0.08 };

async function* located(events: Iterable<RawLogonEvent>): AsyncGenerator<LocatedRecord> {
  let row = 0;
  for (const event of events) yield { record: { ...event }, where: { file: 'synthetic', row: ++row } };
}

describe('generateRawEvents', () => {
  const events = [...generateRawEvents(OPTIONS)];

  it('aggregates, through the ingest package, to exactly the generated user-days', async () => {
    const aggregated = toUserDays(await readAll(userDaysFromRecords(located(events))));
    const generated = tenantRows(tenantTable(OPTIONS));
    expect(
      generated.some((r) => r.attack === 'brute_force') && generated.some((r) => r.attack === 'lateral_movement'),
    ).toBe(true);
    expect(generated.some((r) => r.attack === 'password_spray')).toBe(true);
    const key = (r: { Date: number; DstDomain: string; DstUser: string }) => `${r.Date}|${r.DstDomain}|${r.DstUser}`;
    const byKey = new Map(aggregated.map((r) => [key(r), r]));
    expect(aggregated.length).toBe(generated.length);
    for (const { label: _label, attack: _attack, ...userDay } of generated)
      expect(byKey.get(key(userDay))).toEqual(userDay);
  });

  it('has the SecurityEvent shape, sorted by time', () => {
    expect(Object.keys(events[0]).sort()).toEqual(
      [
        'AuthenticationPackageName',
        'Computer',
        'EventID',
        'IpAddress',
        'LogonType',
        'LogonTypeName',
        'Status',
        'SubStatus',
        'TargetDomainName',
        'TargetUserName',
        'TimeGenerated',
        'WorkstationName',
      ].sort(),
    );
    // One assertion over all events: there are tens of thousands.
    const bad = events.filter(
      (e, i) =>
        (i > 0 && e.TimeGenerated < events[i - 1].TimeGenerated) ||
        (e.EventID !== 4624 && e.EventID !== 4625) ||
        !/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/.test(e.TimeGenerated) ||
        e.LogonType !== 3,
    );
    expect(events.length).toBeGreaterThan(1000);
    expect(bad).toEqual([]);
  });

  it('moves laterally with successful logons to computers, from IPs and workstations the user never uses on its own days', () => {
    const rows = tenantRows(tenantTable(OPTIONS));
    const dayUser = (date: string, user: string) => `${date} ${user}`;
    const kind = new Map(rows.map((r) => [dayUser(new Date(r.Date).toISOString().slice(0, 10), r.DstUser), r.attack]));
    const own = new Map<string, { computers: Set<string>; ips: Set<string>; hosts: Set<string> }>();
    const lateral = new Map<string, { computers: Set<string>; ips: Set<string>; hosts: Set<string> }>();
    const add = (map: typeof own, key: string, e: RawLogonEvent) => {
      const sets = map.get(key) ?? { computers: new Set<string>(), ips: new Set<string>(), hosts: new Set<string>() };
      sets.computers.add(e.Computer);
      sets.ips.add(e.IpAddress);
      sets.hosts.add(e.WorkstationName);
      map.set(key, sets);
    };
    for (const e of events) {
      if (e.EventID !== 4624) continue;
      const attack = kind.get(dayUser(e.TimeGenerated.slice(0, 10), e.TargetUserName));
      if (attack === 'none') add(own, e.TargetUserName, e);
      else if (attack === 'lateral_movement') add(lateral, dayUser(e.TimeGenerated.slice(0, 10), e.TargetUserName), e);
    }
    expect(lateral.size).toBe(rows.filter((r) => r.attack === 'lateral_movement').length);
    expect(lateral.size).toBeGreaterThan(0);
    for (const [key, seen] of lateral) {
      const usual = own.get(key.slice(11)) ?? {
        computers: new Set<string>(),
        ips: new Set<string>(),
        hosts: new Set<string>(),
      };
      const fresh = (values: Set<string>, known: Set<string>) => [...values].filter((v) => !known.has(v)).length;
      // At least 6 new computers (the habit + 5), and at least one new source IP and one new workstation.
      expect(fresh(seen.computers, usual.computers), key).toBeGreaterThanOrEqual(6);
      expect(fresh(seen.ips, usual.ips), key).toBeGreaterThanOrEqual(1);
      expect(fresh(seen.hosts, usual.hosts), key).toBeGreaterThanOrEqual(1);
    }
  });

  it('sprays many users from one address a day, one to three failures each', () => {
    const options = { users: 200, days: 3, seed: 5, attackRate: 0.1 };
    const sprayed = tenantRows(tenantTable(options)).filter((r) => r.attack === 'password_spray');
    // Spray failures are the only events without a source workstation.
    const sprayEvents = [...generateRawEvents(options)].filter((e) => e.WorkstationName === '-');
    const perUserDay = new Map<string, number>();
    const ipsPerDay = new Map<string, Set<string>>();
    for (const e of sprayEvents) {
      expect(e.EventID).toBe(4625);
      const day = e.TimeGenerated.slice(0, 10);
      const key = `${day} ${e.TargetUserName}`;
      perUserDay.set(key, (perUserDay.get(key) ?? 0) + 1);
      ipsPerDay.set(day, (ipsPerDay.get(day) ?? new Set()).add(e.IpAddress));
    }
    expect([...perUserDay.keys()].sort()).toEqual(
      sprayed.map((r) => `${new Date(r.Date).toISOString().slice(0, 10)} ${r.DstUser}`).sort(),
    );
    for (const failures of perUserDay.values()) expect(failures >= 1 && failures <= 3).toBe(true);
    expect(ipsPerDay.size).toBe(3);
    for (const ips of ipsPerDay.values()) expect(ips.size).toBe(1);
    expect(new Set([...ipsPerDay.values()].map((ips) => [...ips][0])).size).toBe(3);
  });
});
