/**
 * The notebook's query, side by side with its local twin.
 *
 * `buildUserDayKql` writes the KQL that Log Analytics runs (the notebook "Guided Hunting - Anomaly detection with
 * Isolation Forest on Windows Logon data"); `createLogonDayAggregator` applies the same filters and the same
 * `summarize` to `LogonEvent`s read from files. Each KQL line below has its TS counterpart in the function of the
 * same step name. Keep the two in step when either changes.
 *
 * Deliberate points, documented in the README:
 * - `-` (Windows' "no value", which the normaliser also writes for missing fields) is an ordinary value for the
 *   distinct counts, as Kusto's `dcount` sees it; `countPlaceholders: false` leaves it out instead.
 * - Kusto's `dcount` is a HyperLogLog estimate (exact for the small counts of a user-day in practice); the local
 *   aggregation counts exact sets.
 * - Kusto's `TimeGenerated` is ingestion time; files carry the event's own time, which the local path uses.
 */
import { countFiltered, type IngestStats } from './stats.js';
import type { LogonEvent } from './events/logonEvent.js';
import { PLACEHOLDER } from './events/placeholder.js';
import { USER_DAY_COLUMNS, type UserDay } from './schema.js';
import { utcDayStart } from './timeFormats.js';

/** EventID of a successful logon. */
export const EVENT_LOGON_SUCCESS = 4624;
/** EventID of a failed logon. */
export const EVENT_LOGON_FAILURE = 4625;
/** TargetDomainName values whose successful logons the query drops (compared ignoring letter case, `in~`). */
export const EXCLUDED_DOMAINS: readonly string[] = ['NT AUTHORITY', 'ANONYMOUS LOGON', 'WINDOW MANAGER', 'NT VIRTUAL MACHINE'];
/** Query defaults, as in the notebook. */
export const DEFAULT_LOOKBACK_DAYS = 21;
export const DEFAULT_END_OFFSET_DAYS = 1;
export const DEFAULT_LOGON_TYPE = 3;

/** Names of the filter rules, the keys of `IngestStats.filtered`. */
export const FILTER_RULES = {
  timeWindow: 'timeWindow',
  eventId: 'eventId',
  logonType: 'logonType',
  excludedDomain: 'excludedDomain',
  machineAccount: 'machineAccount',
} as const;

/** Parameters of the user-day query. */
export interface UserDayQueryParams {
  /** Days back from now where the window starts (`ago(lookback)`); default 21. */
  lookbackDays?: number;
  /** Days back from now where the window ends (`ago(endOffset)`); default 1. */
  endOffsetDays?: number;
  /** Logon type kept; default 3 (Network). */
  logonType?: number;
  /**
   * An explicit half-open window `[startMs, endMs)` (ms since the epoch, UTC) instead of the `ago()` pair; the
   * Log Analytics source uses it for its one-day slices so no event lands in two slices.
   */
  window?: { startMs: number; endMs: number };
  /** Keep only users with `hash(DstUser, buckets) == bucket`, to split a day that is too large. */
  userHash?: { buckets: number; bucket: number };
}

function kqlString(s: string): string {
  return JSON.stringify(s);
}

function kqlDatetime(ms: number): string {
  return `datetime(${new Date(ms).toISOString()})`;
}

/**
 * The KQL that produces user-days of `USER_DAY_SCHEMA` from the `SecurityEvent` table.
 * With no arguments this is the notebook's query: 21 days back to 1 day ago, logon type 3.
 */
export function buildUserDayKql(params: UserDayQueryParams = {}): string {
  const lookback = params.lookbackDays ?? DEFAULT_LOOKBACK_DAYS;
  const endOffset = params.endOffsetDays ?? DEFAULT_END_OFFSET_DAYS;
  const logonType = params.logonType ?? DEFAULT_LOGON_TYPE;
  const timeFilter =
    params.window === undefined
      ? `| where TimeGenerated between (ago(lookback) .. ago(endOffset))`
      : `| where TimeGenerated >= ${kqlDatetime(params.window.startMs)} and TimeGenerated < ${kqlDatetime(params.window.endMs)}`;
  const hashFilter =
    params.userHash === undefined
      ? []
      : [`| where hash(DstUser, ${params.userHash.buckets}) == ${params.userHash.bucket}`];
  const placeholder = kqlString(PLACEHOLDER);
  return [
    `let lookback = ${lookback}d;`,
    `let endOffset = ${endOffset}d;`,
    `let logonType = ${logonType};`,
    `let excludedDomains = dynamic([${EXCLUDED_DOMAINS.map(kqlString).join(', ')}]);`,
    `SecurityEvent`,
    // step timeWindow
    timeFilter,
    // step eventId
    `| where EventID in (${EVENT_LOGON_SUCCESS}, ${EVENT_LOGON_FAILURE})`,
    // step logonType
    `| where LogonType == logonType`,
    // step excludedDomain
    `| where not(EventID == ${EVENT_LOGON_SUCCESS} and TargetDomainName in~ (excludedDomains))`,
    // step machineAccount
    `| where AccountType == "User" or TargetUserName !endswith "$"`,
    // step project (empty fields become the placeholder, as the local normaliser does)
    `| extend DstUser = TargetUserName, DstDomain = TargetDomainName`,
    `| extend SrcIp = iff(isempty(IpAddress), ${placeholder}, IpAddress)`,
    `| extend SrcHostName = iff(isempty(WorkstationName), ${placeholder}, WorkstationName)`,
    `| extend AuthenticationPackageName = iff(isempty(AuthenticationPackageName), ${placeholder}, AuthenticationPackageName)`,
    `| extend ComputerDomain = iff(indexof(Computer, ".") >= 0, substring(Computer, indexof(Computer, ".") + 1), ${placeholder})`,
    ...hashFilter,
    // step summarize
    `| summarize AttemptedLogons = count(),`,
    `    MAX_TimeGenerated = max(TimeGenerated), MIN_TimeGenerated = min(TimeGenerated),`,
    `    SuccessfulLogons = countif(EventID == ${EVENT_LOGON_SUCCESS}), FailedLogons = countif(EventID == ${EVENT_LOGON_FAILURE}),`,
    `    ComputerDomainsAccessed = dcount(ComputerDomain), DistinctAuthenticationPackage = dcount(AuthenticationPackageName),`,
    `    ComputersAccessed = dcount(Computer), DistinctSrcIp = dcount(SrcIp), DistinctSrcHostName = dcount(SrcHostName),`,
    `    ComputersSuccessfulAccess = dcountif(Computer, EventID == ${EVENT_LOGON_SUCCESS}),`,
    `    ComputerDomainsSuccessfulAccess = dcountif(ComputerDomain, EventID == ${EVENT_LOGON_SUCCESS}),`,
    `    SrcIpSuccessfulAccess = dcountif(SrcIp, EventID == ${EVENT_LOGON_SUCCESS}),`,
    `    SrcHostNameSuccessfulAccess = dcountif(SrcHostName, EventID == ${EVENT_LOGON_SUCCESS})`,
    `    by Date = bin(TimeGenerated, 1d), DstDomain, DstUser, LogonTypeName`,
    // step activeMilliseconds
    `| extend ActiveMilliseconds = tolong(round((MAX_TimeGenerated - MIN_TimeGenerated) / 1ms))`,
    `| project ${USER_DAY_COLUMNS.map((c) => c.name).join(', ')}`,
  ].join('\n');
}

/** Options of the local aggregation. */
export interface LogonDayOptions {
  /** Logon type kept; default 3 (Network). */
  logonType?: number;
  /** Half-open time window `[startMs, endMs)`, ms UTC; default none (files are archives, not "the last 21 days"). */
  window?: { startMs: number; endMs: number };
  /** Whether `-` counts as a distinct value (Kusto `dcount` does); default true. */
  countPlaceholders?: boolean;
}

/** Which filter drops `event`, or null if the KQL keeps it. Same order as the KQL's `where` lines. */
export function logonDayFilter(event: LogonEvent, options: LogonDayOptions = {}): string | null {
  const w = options.window;
  // step timeWindow
  if (w !== undefined && !(event.timeMs >= w.startMs && event.timeMs < w.endMs)) return FILTER_RULES.timeWindow;
  // step eventId
  if (event.eventId !== EVENT_LOGON_SUCCESS && event.eventId !== EVENT_LOGON_FAILURE) return FILTER_RULES.eventId;
  // step logonType
  if (event.logonType !== (options.logonType ?? DEFAULT_LOGON_TYPE)) return FILTER_RULES.logonType;
  // step excludedDomain
  if (event.eventId === EVENT_LOGON_SUCCESS && EXCLUDED_DOMAINS.includes(event.targetDomainName.toUpperCase())) {
    return FILTER_RULES.excludedDomain;
  }
  // step machineAccount
  if (!(event.accountType === 'User' || !event.targetUserName.endsWith('$'))) return FILTER_RULES.machineAccount;
  return null;
}

/** `host.contoso.com` -> `contoso.com`; a name without a dot has no domain (`-`). KQL step project. */
export function computerDomain(computer: string): string {
  const dot = computer.indexOf('.');
  return dot >= 0 ? computer.slice(dot + 1) : PLACEHOLDER;
}

/**
 * The span from the first to the last event of a user-day, in whole milliseconds: the exact span (event times
 * carry microseconds from python-evtx) rounded to the nearest millisecond, halves up. Rounded once at the end,
 * so it can differ by 1 from MAX_TimeGenerated - MIN_TimeGenerated, which are truncated to the millisecond.
 */
export function activeMilliseconds(minTimeMs: number, maxTimeMs: number): number {
  // Snap to whole microseconds first (a double near 1.5e12 ms resolves 0.25 us), so float noise in the ms
  // fractions cannot move a .5 tie; sources finer than 1 us are rounded to it.
  const micros = Math.round((maxTimeMs - minTimeMs) * 1000);
  return Math.floor((micros + 500) / 1000);
}

/** Running state of one user-day: counters and exact sets. */
interface UserDayState {
  date: number;
  domain: string;
  user: string;
  logonTypeName: string;
  attempted: number;
  successful: number;
  failed: number;
  minTime: number;
  maxTime: number;
  computerDomains: Set<string>;
  authPackages: Set<string>;
  computers: Set<string>;
  srcIps: Set<string>;
  srcHosts: Set<string>;
  computersOk: Set<string>;
  computerDomainsOk: Set<string>;
  srcIpsOk: Set<string>;
  srcHostsOk: Set<string>;
}

function compareText(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

/**
 * The local `summarize`: feed it events, then take the user-days. Memory grows with the number of user-days
 * (and their distinct values), not with the number of events.
 */
export interface LogonDayAggregator {
  /** Applies the filters (counting drops in `stats.filtered`) and folds a kept event into its user-day. */
  add(event: LogonEvent): void;
  /** The user-days so far, sorted by Date, DstDomain, DstUser, LogonTypeName. */
  userDays(): UserDay[];
}

/** Creates the local twin of `buildUserDayKql`; `stats.rowsKept` and `stats.filtered` are updated per event. */
export function createLogonDayAggregator(stats: IngestStats, options: LogonDayOptions = {}): LogonDayAggregator {
  const countPlaceholders = options.countPlaceholders ?? true;
  const days = new Map<string, UserDayState>();
  const addTo = (set: Set<string>, value: string): void => {
    if (countPlaceholders || value !== PLACEHOLDER) set.add(value);
  };
  return {
    add(event) {
      const rule = logonDayFilter(event, options);
      if (rule !== null) {
        countFiltered(stats, rule);
        return;
      }
      stats.rowsKept += 1;
      // step summarize ... by Date = bin(TimeGenerated, 1d), DstDomain, DstUser, LogonTypeName
      const date = utcDayStart(event.timeMs);
      const key = `${date}\u0000${event.targetDomainName}\u0000${event.targetUserName}\u0000${event.logonTypeName}`;
      let s = days.get(key);
      if (s === undefined) {
        s = {
          date,
          domain: event.targetDomainName,
          user: event.targetUserName,
          logonTypeName: event.logonTypeName,
          attempted: 0,
          successful: 0,
          failed: 0,
          minTime: event.timeMs,
          maxTime: event.timeMs,
          computerDomains: new Set(),
          authPackages: new Set(),
          computers: new Set(),
          srcIps: new Set(),
          srcHosts: new Set(),
          computersOk: new Set(),
          computerDomainsOk: new Set(),
          srcIpsOk: new Set(),
          srcHostsOk: new Set(),
        };
        days.set(key, s);
      }
      const domainOfComputer = computerDomain(event.computer);
      s.attempted += 1;
      s.minTime = Math.min(s.minTime, event.timeMs);
      s.maxTime = Math.max(s.maxTime, event.timeMs);
      addTo(s.computerDomains, domainOfComputer);
      addTo(s.authPackages, event.authenticationPackageName);
      addTo(s.computers, event.computer);
      addTo(s.srcIps, event.ipAddress);
      addTo(s.srcHosts, event.workstationName);
      if (event.eventId === EVENT_LOGON_SUCCESS) {
        s.successful += 1;
        addTo(s.computersOk, event.computer);
        addTo(s.computerDomainsOk, domainOfComputer);
        addTo(s.srcIpsOk, event.ipAddress);
        addTo(s.srcHostsOk, event.workstationName);
      } else {
        s.failed += 1;
      }
    },
    userDays() {
      const states = [...days.values()].sort(
        (a, b) =>
          a.date - b.date ||
          compareText(a.domain, b.domain) ||
          compareText(a.user, b.user) ||
          compareText(a.logonTypeName, b.logonTypeName),
      );
      return states.map((s) => ({
        Date: s.date,
        DstDomain: s.domain,
        DstUser: s.user,
        LogonTypeName: s.logonTypeName,
        AttemptedLogons: s.attempted,
        MAX_TimeGenerated: Math.floor(s.maxTime),
        MIN_TimeGenerated: Math.floor(s.minTime),
        SuccessfulLogons: s.successful,
        FailedLogons: s.failed,
        ComputerDomainsAccessed: s.computerDomains.size,
        DistinctAuthenticationPackage: s.authPackages.size,
        ComputersAccessed: s.computers.size,
        DistinctSrcIp: s.srcIps.size,
        DistinctSrcHostName: s.srcHosts.size,
        ComputersSuccessfulAccess: s.computersOk.size,
        ComputerDomainsSuccessfulAccess: s.computerDomainsOk.size,
        SrcIpSuccessfulAccess: s.srcIpsOk.size,
        SrcHostNameSuccessfulAccess: s.srcHostsOk.size,
        // step activeMilliseconds
        ActiveMilliseconds: activeMilliseconds(s.minTime, s.maxTime),
      }));
    },
  };
}
