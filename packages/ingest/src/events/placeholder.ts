/**
 * The value Windows itself writes for "no value" in EventData (e.g. `IpAddress` of a local logon). Missing or
 * empty fields are normalised to it, so a missing value and `-` are one and the same distinct value.
 */
export const PLACEHOLDER = '-';
