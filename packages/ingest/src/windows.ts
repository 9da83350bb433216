/**
 * The Windows vocabulary every reader and the KQL share: event ids, logon types and their SecurityEvent names,
 * the Security provider and the "no value" placeholder. A leaf module: it imports nothing.
 */

/** EventID of a successful logon. */
export const EVENT_LOGON_SUCCESS = 4624;
/** EventID of a failed logon. */
export const EVENT_LOGON_FAILURE = 4625;

/** The logon type the notebook hunts (`3 - Network`). */
export const DEFAULT_LOGON_TYPE = 3;

/** The provider of Security-channel audit events. */
export const SECURITY_PROVIDER = 'Microsoft-Windows-Security-Auditing';

/**
 * The value Windows itself writes for "no value" in EventData (e.g. `IpAddress` of a local logon). Missing or
 * empty fields are normalised to it, so a missing value and `-` are one and the same distinct value.
 */
export const PLACEHOLDER = '-';

/** Windows logon type names as the SecurityEvent table spells `LogonTypeName` (`3 - Network`). */
export const LOGON_TYPE_NAMES: Readonly<Record<number, string>> = {
  0: 'System',
  2: 'Interactive',
  3: 'Network',
  4: 'Batch',
  5: 'Service',
  7: 'Unlock',
  8: 'NetworkCleartext',
  9: 'NewCredentials',
  10: 'RemoteInteractive',
  11: 'CachedInteractive',
  12: 'CachedRemoteInteractive',
  13: 'CachedUnlock',
};

/** `3` -> `3 - Network`, as SecurityEvent's `LogonTypeName`; unknown types keep just the number. */
export function logonTypeName(logonType: number): string {
  const name = LOGON_TYPE_NAMES[logonType];
  return name === undefined ? String(logonType) : `${logonType} - ${name}`;
}

/** The logon type named `name` in `LOGON_TYPE_NAMES` (`Network` -> 3, any letter case), or null. */
export function logonTypeNumber(name: string): number | null {
  const wanted = name.trim().toLowerCase();
  for (const [number, typeName] of Object.entries(LOGON_TYPE_NAMES)) {
    if (typeName.toLowerCase() === wanted) return Number(number);
  }
  return null;
}
