import { MS_PER_DAY, USER_DAY_SCHEMA } from '@isoforest/ingest';
import { describe, expect, it } from 'vitest';
import {
  ATTACK_COLUMN,
  ATTACK_KINDS,
  ATTACK_SHARES,
  LABEL_COLUMN,
  SYNTH_USER_DAY_SCHEMA,
  SynthOptionsError,
  Tenant,
  generateUserDays,
} from '../src/index.js';
import { tenantRows, tenantTable } from './tenantTable.js';

const SMALL = { users: 60, days: 21, seed: 42, attackRate: 0.02 };

describe('generateUserDays: determinism', () => {
  it('gives the same rows for the same options, whatever the batch size', () => {
    const a = tenantRows(tenantTable({ ...SMALL, batchRows: 7 }));
    const b = tenantRows(tenantTable({ ...SMALL, batchRows: 100_000 }));
    expect(a.length).toBeGreaterThan(0);
    expect(b).toEqual(a);
  });

  it('gives a different tenant for a different seed', () => {
    const a = tenantRows(tenantTable(SMALL));
    const b = tenantRows(tenantTable({ ...SMALL, seed: 43 }));
    expect(b).not.toEqual(a);
  });

  it('changes only attacked rows when the attack rate changes', () => {
    const quiet = tenantRows(tenantTable({ ...SMALL, attackRate: 0 }));
    const attacked = tenantRows(tenantTable(SMALL));
    const key = (r: { Date: number; DstUser: string }) => `${r.Date} ${r.DstUser}`;
    const quietByKey = new Map(quiet.map((r) => [key(r), r]));
    expect(quiet.every((r) => r.label === 0)).toBe(true);
    for (const row of attacked) if (row.label === 0) expect(row).toEqual(quietByKey.get(key(row)));
  });
});

describe('generateUserDays: schema and counts', () => {
  const table = tenantTable({ ...SMALL, batchRows: 256 });
  const rows = tenantRows(table);

  it('streams record batches of the user-day schema plus label and attack', () => {
    const batches = [...generateUserDays({ ...SMALL, batchRows: 256 })];
    expect(batches.length).toBe(Math.ceil(rows.length / 256));
    for (const batch of batches) {
      expect(batch.numRows).toBeLessThanOrEqual(256);
      expect(batch.schema.fields.map((f) => `${f.name}:${f.type}`)).toEqual(
        SYNTH_USER_DAY_SCHEMA.fields.map((f) => `${f.name}:${f.type}`),
      );
    }
    const userDayFields = USER_DAY_SCHEMA.fields.map((f) => `${f.name}:${f.type}`);
    expect(table.schema.fields.slice(0, userDayFields.length).map((f) => `${f.name}:${f.type}`)).toEqual(userDayFields);
    expect(table.schema.fields.slice(userDayFields.length).map((f) => f.name)).toEqual([LABEL_COLUMN, ATTACK_COLUMN]);
  });

  it('has one row per user per day with logons, no duplicates, within the requested days', () => {
    const start = Date.parse('2024-01-01T00:00:00Z');
    expect(rows.length).toBeLessThanOrEqual(SMALL.users * SMALL.days);
    expect(new Set(rows.map((r) => `${r.Date}|${r.DstDomain}|${r.DstUser}`)).size).toBe(rows.length);
    for (const row of rows) {
      expect(row.Date).toBeGreaterThanOrEqual(start);
      expect(row.Date).toBeLessThan(start + SMALL.days * MS_PER_DAY);
    }
  });

  it('has service accounts every day and people mostly on weekdays', () => {
    const tenant = new Tenant(SMALL.users, SMALL.seed);
    const kindOf = new Map(Array.from({ length: SMALL.users }, (_, u) => [tenant.userName(u), tenant.accountKind(u)]));
    const services = [...kindOf.values()].filter((k) => k === 'service').length;
    const people = [...kindOf.values()].filter((k) => k === 'person').length;
    expect(services).toBeGreaterThan(0);
    // A service account logs on every day, attacked or not.
    expect(rows.filter((r) => kindOf.get(r.DstUser) === 'service').length).toBe(services * SMALL.days);
    const normal = rows.filter((r) => r.label === 0);
    // 2024-01-01 is a Monday: 21 days hold 15 weekdays and 6 weekend days.
    const weekday = (r: { Date: number }) => new Date(r.Date).getUTCDay();
    const personDays = normal.filter((r) => kindOf.get(r.DstUser) === 'person');
    const weekendShare = personDays.filter((r) => weekday(r) === 0 || weekday(r) === 6).length / (people * 6);
    const weekdayShare = personDays.filter((r) => weekday(r) !== 0 && weekday(r) !== 6).length / (people * 15);
    expect(weekdayShare).toBeGreaterThan(0.8);
    expect(weekendShare).toBeLessThan(0.3);
  });

  it('keeps every row internally consistent', () => {
    for (const r of rows) {
      expect(r.AttemptedLogons).toBe(r.SuccessfulLogons + r.FailedLogons);
      expect(r.AttemptedLogons).toBeGreaterThan(0);
      expect(r.ActiveMilliseconds).toBe(r.MAX_TimeGenerated - r.MIN_TimeGenerated);
      expect(r.MIN_TimeGenerated).toBeGreaterThanOrEqual(r.Date);
      expect(r.MAX_TimeGenerated).toBeLessThan(r.Date + MS_PER_DAY);
      expect(r.ComputersAccessed).toBeGreaterThanOrEqual(r.ComputersSuccessfulAccess);
      expect(r.DistinctSrcIp).toBeGreaterThanOrEqual(r.SrcIpSuccessfulAccess);
      expect(r.ComputersSuccessfulAccess).toBeLessThanOrEqual(r.SuccessfulLogons);
      expect(r.SrcIpSuccessfulAccess).toBeLessThanOrEqual(r.SuccessfulLogons);
      expect(r.SrcHostNameSuccessfulAccess).toBeLessThanOrEqual(r.SuccessfulLogons);
      // The notebook's KQL: dcount(TargetDomainName) of a user-day grouped by TargetDomainName is 1, and so is
      // dcountif(AccountDomain, EventID == 4624) when there is a success (the account's domain is that one);
      // dcount(Workstation) is 1, the empty value, as logon events carry no Workstation.
      expect(r.ComputerDomainsAccessed).toBe(1);
      expect(r.ComputerDomainsSuccessfulAccess).toBe(r.SuccessfulLogons > 0 ? 1 : 0);
      expect(r.DistinctSrcHostName).toBe(1);
      expect(r.DistinctAuthenticationPackage).toBeGreaterThanOrEqual(1);
      expect(r.LogonTypeName).toBe('3 - Network');
      if (r.label === 0) expect(r.SuccessfulLogons).toBeGreaterThan(0);
      expect(r.label).toBe(r.attack === 'none' ? 0 : 1);
    }
  });
});

describe('generateUserDays: attacks', () => {
  const users = 2000;
  const days = 30;
  const attackRate = 0.01;
  const rows = tenantRows(tenantTable({ users, days, seed: 7, attackRate }));

  it('attacks user-days at the requested rate, with the documented mix of kinds', () => {
    const trials = users * days;
    const attacked = rows.filter((r) => r.label === 1);
    // Binomial(60000, 0.01): mean 600, standard deviation 24.4; allow 4 standard deviations.
    expect(Math.abs(attacked.length - trials * attackRate)).toBeLessThan(
      4 * Math.sqrt(trials * attackRate * (1 - attackRate)),
    );
    ATTACK_KINDS.slice(1).forEach((kind, k) => {
      const n = attacked.filter((r) => r.attack === kind).length;
      const p = ATTACK_SHARES[k];
      expect(Math.abs(n - attacked.length * p), kind).toBeLessThan(4 * Math.sqrt(attacked.length * p * (1 - p)));
    });
  });

  it('gives each kind its signature', () => {
    const byKind = (kind: string) => rows.filter((r) => r.attack === kind);
    for (const r of byKind('brute_force')) expect(r.FailedLogons).toBeGreaterThanOrEqual(50);
    for (const r of byKind('password_spray')) expect(r.FailedLogons).toBeGreaterThanOrEqual(1);
    const normalMax = Math.max(...rows.filter((r) => r.label === 0).map((r) => r.FailedLogons));
    expect(normalMax).toBeLessThanOrEqual(8);
    expect(byKind('lateral_movement').every((r) => r.ComputersSuccessfulAccess >= 6)).toBe(true);
  });

  it('never attacks with a rate of 0 and attacks every user-day with a rate of 1', () => {
    expect(tenantRows(tenantTable({ users: 30, days: 7, seed: 1, attackRate: 0 })).every((r) => r.label === 0)).toBe(
      true,
    );
    const all = tenantRows(tenantTable({ users: 30, days: 7, seed: 1, attackRate: 1 }));
    expect(all.length).toBe(30 * 7);
    expect(all.every((r) => r.label === 1)).toBe(true);
  });
});

describe('options', () => {
  it.each([
    [{ users: 0, days: 1, seed: 1 }, 'users'],
    [{ users: 1.5, days: 1, seed: 1 }, 'users'],
    [{ users: 1, days: 0, seed: 1 }, 'days'],
    [{ users: 1, days: 1, seed: Number.NaN }, 'seed'],
    [{ users: 1, days: 1, seed: 1, attackRate: 1.5 }, 'attackRate'],
    [{ users: 1, days: 1, seed: 1, startDate: '2024-1-1' }, 'startDate'],
    [{ users: 1, days: 1, seed: 1, startDate: 1000 }, 'startDate'],
    [{ users: 1, days: 1, seed: 1, batchRows: 0 }, 'batchRows'],
  ])('rejects %o naming %s', (options, option) => {
    expect(() => generateUserDays(options).next()).toThrow(SynthOptionsError);
    try {
      generateUserDays(options).next();
    } catch (error) {
      expect((error as SynthOptionsError).option).toBe(option);
      expect((error as Error).message).toMatch(new RegExp(`^invalid option ${option}: `));
    }
  });

  it('starts on the given date', () => {
    const rows = tenantRows(tenantTable({ users: 5, days: 2, seed: 3, startDate: '2023-06-15' }));
    expect(Math.min(...rows.map((r) => r.Date))).toBe(Date.parse('2023-06-15T00:00:00Z'));
  });
});
