/**
 * How many threads the page scores and explains on. Every core by default, up to DEFAULT_MAX_THREADS: each thread is
 * a Web Worker holding its own WebAssembly core and a copy of the model, and beyond a handful the workers' start-up
 * and memory cost more than the extra cores give back on the data a page is handed. `?threads=N` in the page's URL
 * overrides it (1 = in the page's own thread, no worker), up to MAX_THREADS.
 */

/** The URL parameter that overrides the thread count. */
export const THREADS_PARAMETER = 'threads';

/** The most threads the page uses by default, however many cores the browser reports. */
export const DEFAULT_MAX_THREADS = 8;

/** The most threads `?threads=N` may ask for. */
export const MAX_THREADS = 64;

/** A `?threads=` value that is not a whole number between 1 and MAX_THREADS. */
export class ThreadsParameterError extends Error {
  override readonly name = 'ThreadsParameterError';
  /** The value as it appeared in the URL. */
  readonly value: string;

  constructor(value: string) {
    super(`URL parameter ${THREADS_PARAMETER}=${value}: expected a whole number from 1 to ${MAX_THREADS}`);
    this.value = value;
  }
}

/**
 * The thread count for a page whose URL query is `search` (`location.search`) in a browser reporting
 * `hardwareConcurrency` logical cores (`navigator.hardwareConcurrency`, which may be 0 or missing when hidden):
 * `?threads=N` if given, else the cores, between 1 and DEFAULT_MAX_THREADS. Throws ThreadsParameterError for a
 * `?threads=` value that is not a whole number from 1 to MAX_THREADS.
 */
export function threadCount(search: string, hardwareConcurrency: number | undefined): number {
  const requested = new URLSearchParams(search).get(THREADS_PARAMETER);
  if (requested === null) {
    const cores = Number.isInteger(hardwareConcurrency) ? (hardwareConcurrency as number) : 1;
    return Math.min(DEFAULT_MAX_THREADS, Math.max(1, cores));
  }
  if (!/^\d+$/.test(requested)) throw new ThreadsParameterError(requested);
  const threads = Number(requested);
  if (threads < 1 || threads > MAX_THREADS) throw new ThreadsParameterError(requested);
  return threads;
}
