import { describe, expect, it } from 'vitest';
import { threadsWorthStarting } from '../src/index.js';

describe('threadsWorthStarting', () => {
  it('keeps the demo hunt (135 user-days explained, 100 trees) in one thread', () => {
    expect(threadsWorthStarting(2, { scoreRows: 135, explainRows: 135, trees: 100 })).toBe(1);
  });

  it('uses every requested thread for large jobs, and never more', () => {
    expect(threadsWorthStarting(2, { scoreRows: 1_000_000, explainRows: 0, trees: 100 })).toBe(2);
    expect(threadsWorthStarting(8, { scoreRows: 100_000, explainRows: 100_000, trees: 100 })).toBe(8);
    expect(threadsWorthStarting(1, { scoreRows: 1e9, explainRows: 1e9, trees: 100 })).toBe(1);
  });

  it('starts one more thread per 100 ms of estimated work, in proportion to the trees', () => {
    expect(threadsWorthStarting(4, { scoreRows: 10_000, explainRows: 0, trees: 100 })).toBe(1);
    expect(threadsWorthStarting(4, { scoreRows: 0, explainRows: 6_250, trees: 100 })).toBe(2);
    expect(threadsWorthStarting(4, { scoreRows: 0, explainRows: 6_250, trees: 50 })).toBe(1);
  });
});
