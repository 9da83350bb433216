/**
 * The user-day schema: one row per (Date, DstDomain, DstUser, LogonTypeName), as the notebook's KQL summarises
 * Windows logon events. This module is the single source of truth for the column names, their order and their
 * Arrow types; every source emits record batches of exactly `USER_DAY_SCHEMA`.
 *
 * Type choices (see the package README for the argument):
 * - `Date` is `DateDay` (days since the Unix epoch, UTC midnight): typed, 4 bytes, sorts numerically; readers get
 *   milliseconds since the epoch back from Arrow JS.
 * - Counts and `ActiveMilliseconds` are `Float64`: the features and the WASM core take float columns and z-scores
 *   need float math; every integer up to 2^53 is exact in a double, and sources check counts are whole and >= 0.
 * - The two time columns are `Timestamp(ms, "UTC")`.
 * - Strings are plain `Utf8`, not dictionaries: per-batch dictionaries do not share codes across batches (so they
 *   cannot serve as group keys downstream), and the Arrow IPC file format cannot replace a dictionary between
 *   batches, which a streaming writer would need.
 */
import { DateDay, Field, Float64, Schema, TimestampMillisecond, Utf8 } from 'apache-arrow';

/** What kind of value a user-day column holds; decides parsing, validation and the Arrow type. */
export type UserDayColumnKind = 'date' | 'string' | 'count' | 'timestamp';

/** One column of the user-day schema. */
export interface UserDayColumn {
  readonly name: keyof UserDay;
  readonly kind: UserDayColumnKind;
  /** What the value means, its unit, and how the KQL computes it. */
  readonly description: string;
}

/** The Arrow type map of the user-day schema, for typed `Table<UserDayTypeMap>` / `RecordBatch<UserDayTypeMap>`. */
export type UserDayTypeMap = {
  Date: DateDay;
  DstDomain: Utf8;
  DstUser: Utf8;
  LogonTypeName: Utf8;
  AttemptedLogons: Float64;
  MAX_TimeGenerated: TimestampMillisecond;
  MIN_TimeGenerated: TimestampMillisecond;
  SuccessfulLogons: Float64;
  FailedLogons: Float64;
  ComputerDomainsAccessed: Float64;
  DistinctAuthenticationPackage: Float64;
  ComputersAccessed: Float64;
  DistinctSrcIp: Float64;
  DistinctSrcHostName: Float64;
  ComputersSuccessfulAccess: Float64;
  ComputerDomainsSuccessfulAccess: Float64;
  SrcIpSuccessfulAccess: Float64;
  SrcHostNameSuccessfulAccess: Float64;
  ActiveMilliseconds: Float64;
};

/**
 * One user-day as a plain object. Times are milliseconds since the Unix epoch, UTC; `Date` is the UTC midnight
 * that starts the day. Counts are non-negative whole numbers.
 */
export interface UserDay {
  Date: number;
  DstDomain: string;
  DstUser: string;
  LogonTypeName: string;
  AttemptedLogons: number;
  MAX_TimeGenerated: number;
  MIN_TimeGenerated: number;
  SuccessfulLogons: number;
  FailedLogons: number;
  ComputerDomainsAccessed: number;
  DistinctAuthenticationPackage: number;
  ComputersAccessed: number;
  DistinctSrcIp: number;
  DistinctSrcHostName: number;
  ComputersSuccessfulAccess: number;
  ComputerDomainsSuccessfulAccess: number;
  SrcIpSuccessfulAccess: number;
  SrcHostNameSuccessfulAccess: number;
  ActiveMilliseconds: number;
}

/** The user-day columns in the notebook's order. */
export const USER_DAY_COLUMNS: readonly UserDayColumn[] = [
  { name: 'Date', kind: 'date', description: "UTC day, format_datetime(TimeGenerated, 'yyyy-MM-dd')" },
  { name: 'DstDomain', kind: 'string', description: 'TargetDomainName of the logon' },
  { name: 'DstUser', kind: 'string', description: 'TargetUserName of the logon' },
  { name: 'LogonTypeName', kind: 'string', description: 'e.g. "3 - Network"' },
  { name: 'AttemptedLogons', kind: 'count', description: 'count() of 4624 + 4625 events' },
  { name: 'MAX_TimeGenerated', kind: 'timestamp', description: 'latest event time of the day, ms UTC' },
  { name: 'MIN_TimeGenerated', kind: 'timestamp', description: 'earliest event time of the day, ms UTC' },
  { name: 'SuccessfulLogons', kind: 'count', description: 'countif(EventID == 4624)' },
  { name: 'FailedLogons', kind: 'count', description: 'countif(EventID == 4625)' },
  { name: 'ComputerDomainsAccessed', kind: 'count', description: 'dcount(TargetDomainName)' },
  { name: 'DistinctAuthenticationPackage', kind: 'count', description: 'dcount(AuthenticationPackageName)' },
  { name: 'ComputersAccessed', kind: 'count', description: 'dcount(Computer)' },
  { name: 'DistinctSrcIp', kind: 'count', description: 'dcount(IpAddress)' },
  { name: 'DistinctSrcHostName', kind: 'count', description: 'dcount(Workstation)' },
  { name: 'ComputersSuccessfulAccess', kind: 'count', description: 'dcountif(Computer, EventID == 4624)' },
  { name: 'ComputerDomainsSuccessfulAccess', kind: 'count', description: 'dcountif(AccountDomain, EventID == 4624)' },
  { name: 'SrcIpSuccessfulAccess', kind: 'count', description: 'dcountif(IpAddress, EventID == 4624)' },
  { name: 'SrcHostNameSuccessfulAccess', kind: 'count', description: 'dcountif(WorkstationName, EventID == 4624)' },
  {
    name: 'ActiveMilliseconds',
    kind: 'count',
    description: "datetime_diff('millisecond', MAX_TimeGenerated, MIN_TimeGenerated)",
  },
];

function arrowTypeOf(kind: UserDayColumnKind): DateDay | Utf8 | Float64 | TimestampMillisecond {
  switch (kind) {
    case 'date':
      return new DateDay();
    case 'string':
      return new Utf8();
    case 'count':
      return new Float64();
    case 'timestamp':
      return new TimestampMillisecond('UTC');
  }
}

/** The Arrow schema every source emits. No column is nullable. */
export const USER_DAY_SCHEMA: Schema<UserDayTypeMap> = new Schema(
  USER_DAY_COLUMNS.map((c) => new Field(c.name, arrowTypeOf(c.kind), false)),
) as Schema<UserDayTypeMap>;

export { MS_PER_DAY } from './msPerDay.js';
