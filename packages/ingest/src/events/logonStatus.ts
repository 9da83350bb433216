/**
 * The NTSTATUS codes a failed logon (Security 4625) carries in `Status` and `SubStatus`, in words an analyst acts
 * on. The table is Microsoft's documentation of event 4625 ("Failure information"); the short words are ours.
 */

/** A 4625 failure reason: the NTSTATUS code that decides it, as Windows prints it, and what it means. */
export interface LogonFailureReason {
  /** `0xC000006A`: upper-case hex, eight digits, as Event Viewer shows it. */
  readonly code: string;
  /** `wrong password`, `unknown user`, ...; `other (0x...)` for a code not in the table. */
  readonly reason: string;
}

const REASONS: ReadonlyMap<number, string> = new Map([
  [0xc000005e, 'no logon servers available'],
  [0xc0000064, 'unknown user'],
  [0xc000006a, 'wrong password'],
  [0xc000006d, 'bad user name or password'],
  [0xc000006e, 'account restriction'],
  [0xc000006f, 'outside logon hours'],
  [0xc0000070, 'workstation not allowed'],
  [0xc0000071, 'password expired'],
  [0xc0000072, 'account disabled'],
  [0xc00000dc, 'domain controller in the wrong state'],
  [0xc0000133, 'clock skew with the domain controller'],
  [0xc000015b, 'logon type not granted'],
  [0xc000018c, 'trust relationship failed'],
  [0xc0000192, 'Netlogon service not started'],
  [0xc0000193, 'account expired'],
  [0xc0000224, 'password must change'],
  [0xc0000225, 'Windows internal error'],
  [0xc0000234, 'account locked out'],
  [0xc00002ee, 'error during logon'],
  [0xc0000413, 'blocked by the authentication firewall'],
]);

/**
 * An NTSTATUS value as sources write it: `0xc000006a` (evtx, Sentinel), `0xC000006A` (NXLog), unsigned
 * decimal (`3221225578`) or the signed 32-bit integer some exports store (`-1073741718`). `null` for anything
 * else, including `-` and the empty string.
 */
export function parseNtStatus(value: string): number | null {
  const text = value.trim();
  if (/^0x[0-9a-f]{1,8}$/i.test(text)) return Number.parseInt(text.slice(2), 16) >>> 0;
  if (/^-?\d{1,10}$/.test(text)) {
    const n = Number(text);
    if (n >= -0x80000000 && n <= 0xffffffff) return n >>> 0;
  }
  return null;
}

/** `0xC000006A`. */
export function formatNtStatus(code: number): string {
  return `0x${code.toString(16).toUpperCase().padStart(8, '0')}`;
}

/**
 * Why a 4625 failed. Windows puts the precise cause in `SubStatus` when `Status` is a summary such as
 * `0xC000006D` ("bad user name or password"), and `0x0` there otherwise; so a non-zero `SubStatus` decides, else
 * `Status`. `null` when neither holds a code (a success, or a record without them).
 */
export function logonFailureReason(status: string, subStatus: string): LogonFailureReason | null {
  const sub = parseNtStatus(subStatus);
  const code = sub !== null && sub !== 0 ? sub : parseNtStatus(status);
  if (code === null || code === 0) return null;
  return { code: formatNtStatus(code), reason: REASONS.get(code) ?? `other (${formatNtStatus(code)})` };
}
