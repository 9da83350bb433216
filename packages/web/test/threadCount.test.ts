import { describe, expect, it } from 'vitest';
import {
  DEFAULT_MAX_THREADS,
  MAX_THREADS,
  THREADS_PARAMETER,
  ThreadsParameterError,
  threadCount,
} from '../src/threadCount.js';

function refusal(search: string): ThreadsParameterError {
  try {
    threadCount(search, 4);
  } catch (error) {
    expect(error).toBeInstanceOf(ThreadsParameterError);
    return error as ThreadsParameterError;
  }
  throw new Error(`expected ${search} to be refused`);
}

describe('threadCount (how many threads the page hunts on)', () => {
  it('uses every core the browser reports, at least 1 and at most DEFAULT_MAX_THREADS', () => {
    expect(threadCount('', 2)).toBe(2);
    expect(threadCount('', 1)).toBe(1);
    expect(threadCount('?other=1', 6)).toBe(6);
    expect(threadCount('', DEFAULT_MAX_THREADS)).toBe(DEFAULT_MAX_THREADS);
    expect(threadCount('', 64)).toBe(DEFAULT_MAX_THREADS);
    // Browsers that hide the core count report 0 or nothing.
    expect(threadCount('', 0)).toBe(1);
    expect(threadCount('', undefined)).toBe(1);
  });

  it("takes ?threads=N over the core count, 1 meaning the page's own thread, up to MAX_THREADS", () => {
    expect(threadCount(`?${THREADS_PARAMETER}=1`, 8)).toBe(1);
    expect(threadCount('?threads=3', 2)).toBe(3);
    expect(threadCount('?x=y&threads=12', 2)).toBe(12);
    expect(threadCount(`?threads=${MAX_THREADS}`, 2)).toBe(MAX_THREADS);
  });

  it('refuses a value that is not a whole number from 1 to MAX_THREADS, naming the parameter and the value', () => {
    for (const value of ['0', '-2', '1.5', 'two', '', ' 3', '1e2', String(MAX_THREADS + 1)]) {
      const error = refusal(`?threads=${encodeURIComponent(value)}`);
      expect(error.value).toBe(value);
      expect(error.message).toBe(`URL parameter threads=${value}: expected a whole number from 1 to ${MAX_THREADS}`);
    }
  });
});
