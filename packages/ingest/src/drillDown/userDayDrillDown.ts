/**
 * The raw events behind one user-day, broken down the way an analyst triages a flagged account: where the logons
 * came from, what they reached, why the failures failed, and when. The hunt says *that* a user-day is odd; this
 * says what happened on it.
 *
 * The same builder serves every source: local event files add one event at a time, Log Analytics and ADX add
 * groups the query already counted (`summarize count() by ...`), so a user-day of a million failed logons costs
 * the service one small result, not a million rows.
 */
import { EVENT_LOGON_FAILURE, EVENT_LOGON_SUCCESS, PLACEHOLDER } from '../windows.js';
import { MS_PER_DAY } from '../schema.js';
import { utcDayStart } from '../timeFormats.js';
import { logonFailureReason } from '../events/logonStatus.js';

/** The user-day to look into: the keys of a row of the hunt's ranking. */
export interface UserDayKey {
  /** TargetDomainName, compared ignoring letter case (as Windows compares account names, and KQL's `=~`). */
  readonly domain: string;
  /** TargetUserName, compared ignoring letter case. */
  readonly user: string;
  /** The UTC day, as ms since the epoch at its midnight. */
  readonly dayMs: number;
}

/** Logons of one value of a field (a source IP, a workstation, ...), split by outcome. */
export interface ValueCount {
  readonly value: string;
  readonly successes: number;
  readonly failures: number;
}

/** Failed logons of one cause (4625 `Status` / `SubStatus`). */
export interface FailureReasonCount {
  /** The NTSTATUS that decides the cause, e.g. `0xC000006A`; `-` when the event carried none. */
  readonly code: string;
  /** In words: `wrong password`, `unknown user`, `account locked out`, ...; `not recorded` without a code. */
  readonly reason: string;
  readonly count: number;
}

/** Logons in one hour of the day (UTC), split by outcome. */
export interface HourCount {
  /** 0 to 23. */
  readonly hour: number;
  readonly successes: number;
  readonly failures: number;
}

/** Everything `investigate` shows of one user-day. */
export interface UserDayDrillDown {
  readonly key: UserDayKey;
  /** The logon type looked at (3, network, as the hunt). */
  readonly logonType: number;
  /** Successful (4624) and failed (4625) logons of the user-day. */
  readonly successes: number;
  readonly failures: number;
  /** Time of the first and last of them, ms UTC; `null` when there are none. */
  readonly firstSeenMs: number | null;
  readonly lastSeenMs: number | null;
  /** Per value, most logons first (ties by value): IpAddress, WorkstationName, Computer, AuthenticationPackageName. */
  readonly bySourceIp: readonly ValueCount[];
  readonly byWorkstation: readonly ValueCount[];
  readonly byComputer: readonly ValueCount[];
  readonly byAuthenticationPackage: readonly ValueCount[];
  /** The failures by cause, most first. */
  readonly failureReasons: readonly FailureReasonCount[];
  /** 24 entries, hour 0 to 23 (UTC). */
  readonly hours: readonly HourCount[];
}

/** Logons that share every field the drill-down looks at: one event, or one row of a query's `summarize`. */
export interface LogonGroup {
  readonly eventId: number;
  readonly ipAddress: string;
  readonly workstationName: string;
  readonly computer: string;
  readonly authenticationPackageName: string;
  readonly status: string;
  readonly subStatus: string;
  /** How many logons; at least 1. */
  readonly count: number;
  /** Time of the group's first and last logon, ms UTC (the same for one event). */
  readonly firstMs: number;
  readonly lastMs: number;
}

class Tally {
  private readonly counts = new Map<string, { successes: number; failures: number }>();

  add(value: string, success: boolean, count: number): void {
    let entry = this.counts.get(value);
    if (entry === undefined) this.counts.set(value, (entry = { successes: 0, failures: 0 }));
    if (success) entry.successes += count;
    else entry.failures += count;
  }

  sorted(): ValueCount[] {
    return [...this.counts]
      .map(([value, c]) => ({ value, ...c }))
      .sort((a, b) => b.successes + b.failures - (a.successes + a.failures) || compareText(a.value, b.value));
  }
}

function compareText(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

/** Is this event one of the user-day's: its account (ignoring case), its UTC day, its logon type, 4624 or 4625? */
export function matchesUserDay(
  event: {
    timeMs: number;
    eventId: number;
    logonType: number | null;
    targetDomainName: string;
    targetUserName: string;
  },
  key: UserDayKey,
  logonType: number,
): boolean {
  return (
    (event.eventId === EVENT_LOGON_SUCCESS || event.eventId === EVENT_LOGON_FAILURE) &&
    event.logonType === logonType &&
    utcDayStart(event.timeMs) === key.dayMs &&
    event.targetUserName.toLowerCase() === key.user.toLowerCase() &&
    event.targetDomainName.toLowerCase() === key.domain.toLowerCase()
  );
}

/** Accumulates the logons of one user-day; `add` each one (or each pre-counted group), then `result()`. */
export class UserDayDrillDownBuilder {
  private successes = 0;
  private failures = 0;
  private firstSeenMs = Infinity;
  private lastSeenMs = -Infinity;
  private readonly bySourceIp = new Tally();
  private readonly byWorkstation = new Tally();
  private readonly byComputer = new Tally();
  private readonly byAuthenticationPackage = new Tally();
  private readonly reasons = new Map<string, FailureReasonCount>();
  private readonly hours = Array.from({ length: 24 }, () => ({ successes: 0, failures: 0 }));

  constructor(
    readonly key: UserDayKey,
    readonly logonType: number,
  ) {
    if (utcDayStart(key.dayMs) !== key.dayMs) throw new RangeError('the user-day key must be a UTC midnight');
  }

  /**
   * Adds logons of the user-day. A group's hour is that of its first logon: a query groups by the hour
   * (`bin(TimeGenerated, 1h)`), so its logons share it.
   */
  add(group: LogonGroup): void {
    const success = group.eventId === EVENT_LOGON_SUCCESS;
    const n = group.count;
    if (success) this.successes += n;
    else this.failures += n;
    this.firstSeenMs = Math.min(this.firstSeenMs, group.firstMs);
    this.lastSeenMs = Math.max(this.lastSeenMs, group.lastMs);
    this.bySourceIp.add(group.ipAddress, success, n);
    this.byWorkstation.add(group.workstationName, success, n);
    this.byComputer.add(group.computer, success, n);
    this.byAuthenticationPackage.add(group.authenticationPackageName, success, n);
    const hour = Math.min(23, Math.max(0, Math.floor((group.firstMs - this.key.dayMs) / (MS_PER_DAY / 24))));
    if (success) this.hours[hour]!.successes += n;
    else {
      this.hours[hour]!.failures += n;
      const found = logonFailureReason(group.status, group.subStatus);
      const code = found?.code ?? PLACEHOLDER;
      const previous = this.reasons.get(code);
      this.reasons.set(code, {
        code,
        reason: found?.reason ?? 'not recorded',
        count: (previous?.count ?? 0) + n,
      });
    }
  }

  result(): UserDayDrillDown {
    const any = this.successes + this.failures > 0;
    return {
      key: this.key,
      logonType: this.logonType,
      successes: this.successes,
      failures: this.failures,
      firstSeenMs: any ? this.firstSeenMs : null,
      lastSeenMs: any ? this.lastSeenMs : null,
      bySourceIp: this.bySourceIp.sorted(),
      byWorkstation: this.byWorkstation.sorted(),
      byComputer: this.byComputer.sorted(),
      byAuthenticationPackage: this.byAuthenticationPackage.sorted(),
      failureReasons: [...this.reasons.values()].sort((a, b) => b.count - a.count || compareText(a.code, b.code)),
      hours: this.hours.map((h, hour) => ({ hour, ...h })),
    };
  }
}
