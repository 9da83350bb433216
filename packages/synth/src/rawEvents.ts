import {
  DEFAULT_LOGON_TYPE,
  EVENT_LOGON_FAILURE,
  EVENT_LOGON_SUCCESS,
  MS_PER_DAY,
  PLACEHOLDER,
  logonTypeName,
} from '@isoforest/ingest';
import { BRUTE_FORCE, NO_ATTACK } from './attacks.js';
import { isWeekend } from './calendar.js';
import { DayPlan, planDay } from './dayPlan.js';
import { resolveSynthOptions, type SynthOptions } from './options.js';
import { Prng } from './prng.js';
import {
  AUTH_PACKAGES,
  NTLM,
  Tenant,
  USER_DOMAINS,
  attackerWorkstationName,
  computerName,
  externalIp,
  internalIp,
  workstationName,
} from './tenant.js';

/** One logon event in the shape of Microsoft Sentinel's `SecurityEvent` table (the columns the notebook's KQL reads). */
export interface RawLogonEvent {
  /** ISO 8601 UTC time with milliseconds, e.g. `2024-01-01T08:12:33.123Z`. */
  TimeGenerated: string;
  /** 4624 (successful logon) or 4625 (failed logon). */
  EventID: number;
  /** FQDN of the computer logged on to (and that logged the event). */
  Computer: string;
  LogonType: number;
  LogonTypeName: string;
  TargetDomainName: string;
  TargetUserName: string;
  AuthenticationPackageName: string;
  IpAddress: string;
  /** Source workstation; `-` when the logon carries none (password sprays). */
  WorkstationName: string;
  /** NTSTATUS of a failure, as Windows writes it: `0xc000006d` (bad user name or password); empty on a success. */
  Status: string;
  /** The precise cause of a failure: `0xc000006a`, a wrong password (every generated failure is one); empty on a success. */
  SubStatus: string;
}

/** `Status` and `SubStatus` of a failed logon with a wrong password, as Windows writes them in 4625. */
const WRONG_PASSWORD = { Status: '0xc000006d', SubStatus: '0xc000006a' } as const;
const NO_FAILURE = { Status: '', SubStatus: '' } as const;

/**
 * The raw logon events of the same tenant as {@link generateUserDays} with the same options: aggregating them per
 * (UTC day, TargetDomainName, TargetUserName, LogonTypeName) as the notebook's KQL does gives exactly its user-days
 * (without `label` and `attack`). Events come day by day, sorted by time within a day (ties by user). Meant for
 * small tenants: a service account logs thousands of events a day, and a day's events are held to sort them.
 */
export function* generateRawEvents(options: SynthOptions): Generator<RawLogonEvent> {
  const { users, days, seed, attackRate, startMs } = resolveSynthOptions(options);
  const tenant = new Tenant(users, seed);
  const rng = new Prng();
  const plan = new DayPlan();
  for (let day = 0; day < days; day++) {
    const dayStartMs = startMs + day * MS_PER_DAY;
    const weekend = isWeekend(dayStartMs);
    const events: { ms: number; event: RawLogonEvent }[] = [];
    for (let u = 0; u < users; u++) {
      planDay(tenant, u, day, weekend, seed, attackRate, rng, plan);
      if (plan.exists) expandDay(tenant, u, dayStartMs, plan, (ms, event) => events.push({ ms, event }));
    }
    // Array.prototype.sort is stable: equal times keep user order.
    events.sort((a, b) => a.ms - b.ms);
    for (const { event } of events) yield event;
  }
}

const LOGON_TYPE_NAME = logonTypeName(DEFAULT_LOGON_TYPE);

/** The events of one planned user-day, in plan order: own successes, benign failures, then the attack's. */
function expandDay(
  tenant: Tenant,
  u: number,
  dayStartMs: number,
  plan: DayPlan,
  emit: (ms: number, event: RawLogonEvent) => void,
): void {
  const user = tenant.userName(u);
  const domain = USER_DOMAINS[tenant.domain[u]];
  const event = (ms: number, eventId: number, computer: string, ip: string, host: string, packageBit: number): void =>
    emit(ms, {
      TimeGenerated: new Date(dayStartMs + ms).toISOString(),
      EventID: eventId,
      Computer: computer,
      LogonType: DEFAULT_LOGON_TYPE,
      LogonTypeName: LOGON_TYPE_NAME,
      TargetDomainName: domain,
      TargetUserName: user,
      AuthenticationPackageName: AUTH_PACKAGES[Math.log2(packageBit)],
      IpAddress: ip,
      WorkstationName: host,
      ...(eventId === EVENT_LOGON_FAILURE ? WRONG_PASSWORD : NO_FAILURE),
    });

  const packages = packageBits(plan.normalPackages);
  for (let i = 0; i < plan.normalSuccesses; i++) {
    const ms = spread(plan.firstMs, plan.lastMs, i, plan.normalSuccesses);
    event(
      ms,
      EVENT_LOGON_SUCCESS,
      computerName(tenant.computerAt(u, i % plan.normalComputers)),
      internalIp(tenant.ipAt(u, i % plan.normalIps)),
      workstationName(tenant.hostAt(u, i % plan.normalHosts)),
      packages[i % packages.length],
    );
  }
  for (let j = 0; j < plan.benignFailures; j++) {
    // Strictly inside the day's span, at the day's usual places, with its first package.
    const ms = plan.firstMs + Math.floor(((plan.lastMs - plan.firstMs) * (j + 1)) / (plan.benignFailures + 1));
    event(
      ms,
      EVENT_LOGON_FAILURE,
      computerName(tenant.computerAt(u, j % plan.normalComputers)),
      internalIp(tenant.ipAt(u, j % plan.normalIps)),
      workstationName(tenant.hostAt(u, j % plan.normalHosts)),
      packages[0],
    );
  }
  if (plan.attack === NO_ATTACK) return;

  const computerHabit = tenant.computerHabit[u];
  const ipHabit = tenant.ipHabit[u];
  const hostHabit = tenant.hostHabit[u];
  for (let j = 0; j < plan.lateralSuccesses; j++) {
    const ms = spread(plan.attackFirstMs, plan.attackLastMs, j, plan.lateralSuccesses);
    event(
      ms,
      EVENT_LOGON_SUCCESS,
      computerName(tenant.computerAt(u, computerHabit + (j % plan.lateralComputers))),
      internalIp(tenant.ipAt(u, ipHabit + (j % plan.lateralIps))),
      workstationName(tenant.hostAt(u, hostHabit + (j % plan.lateralHosts))),
      NTLM,
    );
  }
  const target = computerName(plan.attackComputer);
  const attackerHost = plan.attackHost < 0 ? PLACEHOLDER : attackerWorkstationName(plan.attackHost);
  for (let j = 0; j < plan.attackFailures; j++) {
    const ms = spread(plan.attackFirstMs, plan.attackLastMs, j, plan.attackFailures);
    event(
      ms,
      EVENT_LOGON_FAILURE,
      target,
      externalIp((plan.attackIpBase + (j % plan.attackIps)) & 0xffffff),
      attackerHost,
      NTLM,
    );
  }
  if (plan.attack === BRUTE_FORCE && plan.attackSucceeded) {
    event(plan.attackLastMs, EVENT_LOGON_SUCCESS, target, externalIp(plan.attackIpBase), attackerHost, NTLM);
  }
}

/** The time of event `i` of `count` spread evenly from `first` to `last` (both hit exactly). */
function spread(first: number, last: number, i: number, count: number): number {
  return count === 1 ? first : first + Math.floor(((last - first) * i) / (count - 1));
}

/** The set bits of a package mask, lowest first. */
function packageBits(mask: number): number[] {
  const bits: number[] = [];
  for (let bit = 1; bit <= mask; bit <<= 1) if (mask & bit) bits.push(bit);
  return bits;
}
