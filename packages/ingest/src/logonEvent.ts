/**
 * One Windows logon event (Security 4624 / 4625 and the other Security-channel events that carry the same
 * fields), normalised from whatever shape a file or reader produced. This is the contract between the raw-event
 * readers (CSV / JSON / NDJSON files, the .evtx reader) and the user-day aggregation in `../logonDay.ts`.
 *
 * The field mapping from source records is the table `FIELD_ALIASES` in `./normalize.ts` (documented in the
 * package README).
 *
 * Readers of new formats produce flat records and call `normalizeEventRecord`, then feed the events to
 * `aggregateLogonEvents` (or hand the located records to `userDaysFromRecords`, which does both and counts).
 */
export interface LogonEvent {
  /** Event time in milliseconds since the Unix epoch, UTC; may carry a fraction (sub-ms digits of the source). */
  readonly timeMs: number;
  /** Windows event id, e.g. 4624 (success) or 4625 (failure). */
  readonly eventId: number;
  /** Windows logon type (3 = Network), or `null` when the record carries none (most non-logon events). */
  readonly logonType: number | null;
  /** Logon type as the SecurityEvent table names it, e.g. `3 - Network`; derived from `logonType` when absent. */
  readonly logonTypeName: string;
  /** TargetDomainName; `-` when the record has no value (see `PLACEHOLDER`). */
  readonly targetDomainName: string;
  /** TargetUserName; `-` when the record has no value. */
  readonly targetUserName: string;
  /** The host that logged the event (SecurityEvent `Computer`, NXLog `Hostname`). */
  readonly computer: string;
  /** Source IP address of the logon (`IpAddress`); `-` when none. */
  readonly ipAddress: string;
  /**
   * SecurityEvent `Workstation`, which the notebook's `DistinctSrcHostName = dcount(Workstation)` counts; `-` when
   * empty or absent. Raw Windows 4624/4625 records (python-evtx, NXLog, .evtx) have no such field, so it is `-`,
   * as Sentinel's `Workstation` column is empty on these events.
   */
  readonly workstation: string;
  /** `WorkstationName`, the logon's source host, which `SrcHostNameSuccessfulAccess` counts; `-` when empty or absent. */
  readonly workstationName: string;
  /**
   * SecurityEvent `AccountDomain` (the domain of the `Account` column, for a logon event the logged-on account's),
   * which `ComputerDomainsSuccessfulAccess` counts; raw records have none, so it is `TargetDomainName`.
   */
  readonly accountDomain: string;
  /** `AuthenticationPackageName`, e.g. `Kerberos`, `NTLM`, `Negotiate`; `-` when none. */
  readonly authenticationPackageName: string;
  /** NTSTATUS of a failed logon (4625 `Status`) as the source wrote it, e.g. `0xc000006d`; `-` when none. */
  readonly status: string;
  /** The precise cause when `status` is a summary (4625 `SubStatus`), e.g. `0xc000006a`; `-` when none. */
  readonly subStatus: string;
  /** Event log channel as written in the source (e.g. `Security`); `-` when the record names none. */
  readonly channel: string;
  /** Event provider (`Provider`, `SourceName`, `ProviderName`); `-` when the record names none. */
  readonly provider: string;
}

/** Where a record came from, for error messages: the file and the 1-based record/line number in it. */
export interface RecordLocation {
  readonly file: string;
  readonly row: number;
}

/** A record that is valid input but not a Security-channel event (e.g. Sysmon), counted under `rule`. */
export interface SkippedRecord {
  readonly kind: 'skipped';
  /** The name of the rule that dropped the record, a key of `IngestStats.filtered`. */
  readonly rule: string;
}

/** A record that is malformed (no parsable time, no numeric EventID, ...). */
export interface RejectedRecord {
  readonly kind: 'rejected';
  /** The field at fault, e.g. `EventID`. */
  readonly field: string;
  /** What is wrong with it. */
  readonly problem: string;
  /** One line, `file:row:field: what is wrong`. */
  readonly message: string;
}

/** The outcome of normalising one flat record. */
export type NormalizeResult = { readonly kind: 'event'; readonly event: LogonEvent } | SkippedRecord | RejectedRecord;
