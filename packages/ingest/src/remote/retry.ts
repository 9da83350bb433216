/** Shape of the errors the Azure SDK throws (`RestError`) and Node network errors, read without importing them. */
interface HttpishError {
  statusCode?: number;
  code?: string;
  message?: string;
  details?: { code?: string; message?: string }[];
  response?: { headers?: { get(name: string): string | undefined } };
}

/** Node network error codes worth retrying. */
const TRANSIENT_NETWORK_CODES = new Set([
  'ECONNRESET',
  'ECONNREFUSED',
  'ETIMEDOUT',
  'EPIPE',
  'EAI_AGAIN',
  'ENOTFOUND',
  'REQUEST_SEND_ERROR',
  'UND_ERR_SOCKET',
]);

/** Is a failed request worth repeating: throttled (429), timed out (408), a server error (5xx) or the network. */
export function isTransient(error: unknown): boolean {
  const e = error as HttpishError;
  if (typeof e?.statusCode === 'number') return e.statusCode === 429 || e.statusCode === 408 || e.statusCode >= 500;
  return typeof e?.code === 'string' && TRANSIENT_NETWORK_CODES.has(e.code);
}

/**
 * The server's `Retry-After` in ms (delay seconds or an HTTP date), or null when absent or unreadable.
 * `nowMs` is the current time, for the date form.
 */
export function retryAfterMs(error: unknown, nowMs: number): number | null {
  const value = (error as HttpishError)?.response?.headers?.get('retry-after');
  if (value === undefined || value === null || value.trim() === '') return null;
  if (/^\d+(\.\d+)?$/.test(value.trim())) return Math.round(Number(value) * 1000);
  const at = Date.parse(value);
  return Number.isNaN(at) ? null : Math.max(0, at - nowMs);
}

/** Backoff before retry number `attempt` (1-based): `base * 2^(attempt-1)`, at most `max`. */
export function backoffMs(attempt: number, baseMs: number, maxMs: number): number {
  return Math.min(maxMs, baseMs * 2 ** (attempt - 1));
}

/**
 * One line describing a failed request or a partial error, for error messages: the status or code, the message
 * and, when the service gave details (a partial error's real cause), the first detail.
 */
export function describeFailure(error: unknown): string {
  const e = error as HttpishError;
  const status = typeof e?.statusCode === 'number' ? `HTTP ${e.statusCode}` : (e?.code ?? 'error');
  const detail = e?.details?.[0];
  const message = e?.message ?? (typeof error === 'string' ? error : JSON.stringify(error));
  const more = detail?.message === undefined ? '' : ` (${detail.code ?? 'detail'}: ${detail.message})`;
  return `${status}: ${message.split('\n')[0]}${more}`;
}
