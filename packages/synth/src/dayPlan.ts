import { BRUTE_FORCE, LATERAL_MOVEMENT, NO_ATTACK, PASSWORD_SPRAY, ATTACK_SHARES } from './attacks.js';
import { type Prng } from './prng.js';
import { ADMIN, KERBEROS, NTLM, SERVICE, STREAM_ATTACK, STREAM_CAMPAIGN, STREAM_DAY, type Tenant } from './tenant.js';

const MS_PER_MINUTE = 60_000;
const LAST_MS_OF_DAY = 86_399_999;

/**
 * What one user does on one day, as a few numbers from which both the user-day row and its raw events follow:
 * the user's own logons (a prefix of each habit walk), then at most one attack. A single instance is reused for
 * every row (no allocation per row). Times are milliseconds after the day's UTC midnight.
 */
export class DayPlan {
  /** The user logged on for its own work that day. */
  active = false;
  /** One of the attack kinds (`NO_ATTACK`...). */
  attack = NO_ATTACK;

  normalSuccesses = 0;
  /** Benign failed logons; they reuse the day's usual computers, IPs and workstations. */
  benignFailures = 0;
  /** How many of the user's usual computers / IPs / workstations it used (prefixes of its walks). */
  normalComputers = 0;
  normalIps = 0;
  normalHosts = 0;
  /** Authentication packages of the user's own logons (bit flags). */
  normalPackages = 0;
  firstMs = 0;
  lastMs = 0;

  /** Lateral movement: extra computers, IPs and workstations beyond the habits (the walks' next steps). */
  lateralComputers = 0;
  lateralIps = 0;
  lateralHosts = 0;
  lateralSuccesses = 0;

  /** Brute force or spray: failed logons from `attackIps` external addresses starting at `attackIpBase`. */
  attackFailures = 0;
  attackIps = 0;
  attackIpBase = 0;
  /** The attacker's workstation name number, or -1 for none logged (`-`). */
  attackHost = -1;
  /** The computer the attack targets. */
  attackComputer = 0;
  /** A brute force that ends with one successful logon. */
  attackSucceeded = false;
  attackFirstMs = 0;
  attackLastMs = 0;

  /** Does the user-day exist (any event at all)? */
  get exists(): boolean {
    return this.active || this.attack !== NO_ATTACK;
  }
}

/** Draws user `u`'s day `day` (0-based from the start date) into `plan`. */
export function planDay(
  tenant: Tenant,
  u: number,
  day: number,
  weekend: boolean,
  seed: number,
  attackRate: number,
  rng: Prng,
  plan: DayPlan,
): void {
  rng.reseed(seed, STREAM_DAY, u, day);
  planNormalActivity(tenant, u, weekend, rng, plan);
  rng.reseed(seed, STREAM_ATTACK, u, day);
  plan.attack = NO_ATTACK;
  plan.lateralComputers = plan.lateralIps = plan.lateralHosts = plan.lateralSuccesses = 0;
  plan.attackFailures = plan.attackIps = 0;
  plan.attackSucceeded = false;
  if (!(rng.float() < attackRate)) return;
  const kind = rng.float();
  if (kind < ATTACK_SHARES[0]) planPasswordSpray(day, seed, rng, plan);
  else if (kind < ATTACK_SHARES[0] + ATTACK_SHARES[1]) planBruteForce(tenant, u, rng, plan);
  else planLateralMovement(tenant, u, rng, plan);
}

function planNormalActivity(tenant: Tenant, u: number, weekend: boolean, rng: Prng, plan: DayPlan): void {
  const kind = tenant.kind[u];
  const activeChance = kind === SERVICE ? 1 : kind === ADMIN ? (weekend ? 0.3 : 0.95) : weekend ? 0.12 : 0.93;
  plan.active = rng.chance(activeChance);
  if (!plan.active) {
    plan.normalSuccesses = plan.benignFailures = plan.normalComputers = plan.normalIps = plan.normalHosts = 0;
    plan.normalPackages = 0;
    return;
  }
  const computerHabit = tenant.computerHabit[u];
  const ipHabit = tenant.ipHabit[u];
  const hostHabit = tenant.hostHabit[u];
  if (kind === SERVICE) {
    // Service accounts are machines: the same computers, IPs and hosts every day.
    plan.normalComputers = computerHabit;
    plan.normalIps = ipHabit;
    plan.normalHosts = hostHabit;
    plan.normalPackages = tenant.packages[u];
  } else {
    plan.normalComputers =
      kind === ADMIN ? Math.max(1, Math.round(computerHabit * (0.3 + 0.7 * rng.float()))) : 1 + rng.int(computerHabit);
    plan.normalIps = 1 + Math.floor(rng.float() ** 2 * ipHabit);
    plan.normalHosts = 1 + Math.floor(rng.float() ** 3 * hostHabit);
    // Kerberos always; each other package the user has, on about half of its days.
    const extra = tenant.packages[u] & ~KERBEROS;
    plan.normalPackages = KERBEROS | (rng.chance(0.5) ? extra : 0);
  }
  const weekendFactor = kind === SERVICE ? 0.9 : 0.4;
  const volume = Math.round(
    rng.logNormal(tenant.volumeMedian[u], tenant.volumeSigma[u]) * (weekend ? weekendFactor : 1),
  );
  // Every computer, IP, workstation and package of the day is used by at least one successful logon.
  plan.normalSuccesses = Math.max(
    1,
    volume,
    plan.normalComputers,
    plan.normalIps,
    plan.normalHosts,
    bitCount(plan.normalPackages),
  );
  plan.benignFailures = rng.chance(tenant.failureChance[u])
    ? Math.min(8, 1 + Math.floor(-1.2 * Math.log(1 - rng.float())))
    : 0;
  // Start and end of the day move by up to an hour either way (services keep their schedule).
  const jitter = kind === SERVICE ? 0 : 60;
  const first = clampMs((tenant.startMinute[u] + jitter * rng.triangular()) * MS_PER_MINUTE + rng.int(MS_PER_MINUTE));
  const last = clampMs((tenant.endMinute[u] + jitter * rng.triangular()) * MS_PER_MINUTE + rng.int(MS_PER_MINUTE));
  plan.firstMs = Math.min(first, last);
  plan.lastMs = plan.normalSuccesses === 1 ? plan.firstMs : Math.max(first, last);
}

/** Many users, a few failures each, all from the day's one spraying address against the internet-facing server. */
function planPasswordSpray(day: number, seed: number, rng: Prng, plan: DayPlan): void {
  plan.attack = PASSWORD_SPRAY;
  plan.attackFailures = 1 + rng.int(3);
  const offset = rng.int(40 * MS_PER_MINUTE);
  // The campaign (address, start) is shared by every user sprayed that day: drawn from the day's own stream.
  rng.reseed(seed, STREAM_CAMPAIGN, day, 0);
  plan.attackIps = 1;
  plan.attackIpBase = rng.uint32() & 0xffffff;
  plan.attackHost = -1;
  plan.attackComputer = 0;
  const start = rng.int(20 * 60) * MS_PER_MINUTE + offset;
  plan.attackFirstMs = start;
  plan.attackLastMs = start + (plan.attackFailures - 1) * 20_000;
}

/** One user, many failures from one to three external addresses; sometimes the last guess succeeds. */
function planBruteForce(tenant: Tenant, u: number, rng: Prng, plan: DayPlan): void {
  plan.attack = BRUTE_FORCE;
  plan.attackFailures = Math.min(20_000, Math.max(50, Math.round(rng.logNormal(300, 0.7))));
  plan.attackIps = 1 + rng.int(3);
  plan.attackIpBase = rng.uint32() & 0xffffff;
  plan.attackHost = rng.uint32() & 0xffff;
  plan.attackComputer = tenant.computerAt(u, 0);
  plan.attackSucceeded = rng.chance(0.15);
  // About one guess a second, starting early enough to end the same day.
  const duration = plan.attackFailures * 1000;
  plan.attackFirstMs = rng.int(LAST_MS_OF_DAY - duration);
  plan.attackLastMs = plan.attackFirstMs + duration;
}

/** One account logging on to many more computers than its habit, from a few new internal machines, at night. */
function planLateralMovement(tenant: Tenant, u: number, rng: Prng, plan: DayPlan): void {
  plan.attack = LATERAL_MOVEMENT;
  const habit = tenant.computerHabit[u];
  // More computers than the user ever touches (its habit), so the day stands out; the walk has room (habit <= pool / 4).
  plan.lateralComputers = Math.min(habit + 5 + rng.int(20), tenant.computerPool - habit);
  plan.lateralIps = 1 + rng.int(3);
  plan.lateralHosts = 1 + rng.int(2);
  plan.lateralSuccesses = plan.lateralComputers * (1 + rng.int(3));
  plan.attackFirstMs = rng.int(5 * 60) * MS_PER_MINUTE + rng.int(MS_PER_MINUTE);
  plan.attackLastMs = plan.attackFirstMs + (30 + rng.int(90)) * MS_PER_MINUTE;
}

/**
 * The user-day row that a plan aggregates to: the notebook KQL's counts over the plan's events, computed from the
 * plan's structure (walk prefixes are distinct, attacker addresses are external) rather than by listing events.
 * Each field is named after the aggregate it feeds; see `summarizeDay` for what the KQL makes of the events.
 */
export class DaySummary {
  successful = 0;
  failed = 0;
  computersOk = 0;
  computers = 0;
  computerDomainsOk = 0;
  computerDomains = 0;
  ipsOk = 0;
  ips = 0;
  hostsOk = 0;
  hosts = 0;
  packages = 0;
  firstMs = 0;
  lastMs = 0;
}

/**
 * Fills `out` with the aggregates of `plan` for user `u`, as the notebook's KQL computes them from the events of
 * `generateRawEvents` (which have the SecurityEvent columns a raw 4624/4625 has):
 * - `ComputerDomainsAccessed = dcount(TargetDomainName)` is 1: TargetDomainName is a group key of the user-day;
 * - `ComputerDomainsSuccessfulAccess = dcountif(AccountDomain, EventID == 4624)` is 1 with a success, else 0: a
 *   logon event's AccountDomain is the logged-on account's domain, the user-day's one TargetDomainName;
 * - `DistinctSrcHostName = dcount(Workstation)` is 1: logon events carry no Workstation (Sentinel's column is
 *   empty on them), and the empty value counts once. The source hosts show in `SrcHostNameSuccessfulAccess`,
 *   which counts WorkstationName.
 */
export function summarizeDay(tenant: Tenant, u: number, plan: DayPlan, out: DaySummary): void {
  const bruteForce = plan.attack === BRUTE_FORCE;
  const spray = plan.attack === PASSWORD_SPRAY;
  const attackSuccess = bruteForce && plan.attackSucceeded ? 1 : 0;
  out.successful = plan.normalSuccesses + plan.lateralSuccesses + attackSuccess;
  out.failed = plan.benignFailures + plan.attackFailures;

  // Computers: the usual prefix plus the lateral steps are distinct by construction; the attack target may repeat one.
  const walked = plan.normalComputers;
  let targetSeen = false;
  for (let j = 0; j < walked && !targetSeen; j++) targetSeen = tenant.computerAt(u, j) === plan.attackComputer;
  const hasTarget = bruteForce || spray;
  out.computersOk = walked + plan.lateralComputers + (attackSuccess === 1 && !targetSeen ? 1 : 0);
  out.computers = out.computersOk + (hasTarget && !targetSeen && attackSuccess === 0 ? 1 : 0);
  out.computerDomains = 1;
  out.computerDomainsOk = out.successful > 0 ? 1 : 0;

  out.ipsOk = plan.normalIps + plan.lateralIps + attackSuccess;
  out.ips = plan.normalIps + plan.lateralIps + plan.attackIps;
  out.hostsOk = plan.normalHosts + plan.lateralHosts + attackSuccess;
  out.hosts = 1;

  const attackPackages = plan.attack === NO_ATTACK ? 0 : NTLM;
  out.packages = bitCount(plan.normalPackages | attackPackages);

  const attackTimed = plan.attack !== NO_ATTACK;
  out.firstMs = plan.active
    ? attackTimed
      ? Math.min(plan.firstMs, plan.attackFirstMs)
      : plan.firstMs
    : plan.attackFirstMs;
  out.lastMs = plan.active ? (attackTimed ? Math.max(plan.lastMs, plan.attackLastMs) : plan.lastMs) : plan.attackLastMs;
}

/** Number of set bits of a small mask. */
function bitCount(mask: number): number {
  let count = 0;
  for (let m = mask; m !== 0; m &= m - 1) count++;
  return count;
}

function clampMs(ms: number): number {
  return Math.min(LAST_MS_OF_DAY, Math.max(0, Math.floor(ms)));
}
