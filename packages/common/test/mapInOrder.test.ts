import { describe, expect, it } from 'vitest';
import { mapInOrder } from '../src/mapInOrder.js';

/** Resolves to `value` after `ms` milliseconds, counting how many calls run at once. */
function tracker() {
  const state = { running: 0, most: 0 };
  const work = async (item: { value: number; ms: number }): Promise<number> => {
    state.running++;
    state.most = Math.max(state.most, state.running);
    await new Promise((resolve) => setTimeout(resolve, item.ms));
    state.running--;
    return item.value * 10;
  };
  return { state, work };
}

async function collect<T>(generator: AsyncGenerator<T>): Promise<T[]> {
  const out: T[] = [];
  for await (const entry of generator) out.push(entry);
  return out;
}

describe('mapInOrder', () => {
  it('yields every item with its result in source order although later items finish first', async () => {
    const items = [30, 1, 20, 1, 10, 1].map((ms, value) => ({ value, ms }));
    const { state, work } = tracker();
    const out = await collect(mapInOrder(items, 3, work));
    expect(out.map(([item, result]) => [item.value, result])).toEqual([0, 1, 2, 3, 4, 5].map((v) => [v, v * 10]));
    expect(state.most).toBe(3);
  });

  it('never runs more than `concurrency` calls, from an async source', async () => {
    async function* source() {
      for (let value = 0; value < 9; value++) yield { value, ms: (value * 7) % 5 };
    }
    const { state, work } = tracker();
    const out = await collect(mapInOrder(source(), 2, work));
    expect(out.map(([, result]) => result)).toEqual([0, 10, 20, 30, 40, 50, 60, 70, 80]);
    expect(state.most).toBe(2);
  });

  it('yields the items before a failure, then throws the failure', async () => {
    const work = async (value: number): Promise<number> => {
      if (value === 2) throw new Error('item 2 is bad');
      return value;
    };
    const seen: number[] = [];
    await expect(
      (async () => {
        for await (const [, result] of mapInOrder([0, 1, 2, 3], 4, work)) seen.push(result);
      })(),
    ).rejects.toThrow('item 2 is bad');
    expect(seen).toEqual([0, 1]);
  });

  it('rejects a concurrency that is not a positive integer', async () => {
    await expect(collect(mapInOrder([1], 0, async (v) => v))).rejects.toThrow(RangeError);
  });
});
