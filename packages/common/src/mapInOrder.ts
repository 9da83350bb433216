/**
 * Keeps up to `concurrency` calls of `work` running over `source` and yields each item with its result in source
 * order. This is how a stream of batches (e.g. CSV record batches) keeps every worker of a parallel model busy
 * while the output stays in input order and memory stays bounded (at most `concurrency` batches held at once).
 *
 * The first failure (of `source` or of a `work` call) is thrown when its turn comes, after the earlier items were
 * yielded; calls still running then are left to finish and their outcomes ignored.
 */
export async function* mapInOrder<T, R>(
  source: AsyncIterable<T> | Iterable<T>,
  concurrency: number,
  work: (item: T) => Promise<R>,
): AsyncGenerator<[T, R]> {
  if (!Number.isInteger(concurrency) || concurrency < 1) {
    throw new RangeError(`mapInOrder: concurrency must be an integer >= 1, got ${concurrency}`);
  }
  const running: { item: T; result: Promise<R> }[] = [];
  try {
    for await (const item of source) {
      const result = work(item);
      // Awaited later, in order; until then a rejection must not count as unhandled.
      result.catch(() => undefined);
      running.push({ item, result });
      if (running.length >= concurrency) {
        const oldest = running.shift()!;
        yield [oldest.item, await oldest.result];
      }
    }
    while (running.length > 0) {
      const oldest = running.shift()!;
      yield [oldest.item, await oldest.result];
    }
  } finally {
    running.length = 0;
  }
}
