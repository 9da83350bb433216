import { describe, expect, it } from 'vitest';
import { RowUsers } from '../src/rowUsers.js';

describe('RowUsers: each row user id, kept in the chunks the first read gave', () => {
  // Chunk sizes as batches come: uneven, and an empty one in the middle.
  const sizes = [3, 1, 0, 5, 2, 7];
  const flat = Int32Array.from({ length: sizes.reduce((a, b) => a + b, 0) }, (_, row) => 1000 + row * 7);
  const users = new RowUsers();
  let at = 0;
  for (const size of sizes) {
    users.append(flat.slice(at, at + size));
    at += size;
  }

  it('counts the rows appended', () => {
    expect(users.rows).toBe(flat.length);
  });

  it('gives the ids of every range of rows, within one chunk or across several', () => {
    for (let first = 0; first <= flat.length; first++)
      for (let n = 0; first + n <= flat.length; n++)
        expect(Array.from(users.range(first, n)!), `rows ${first} + ${n}`).toEqual(
          Array.from(flat.subarray(first, first + n)),
        );
  });

  it('gives null for a range reaching past the rows appended, or before the first', () => {
    expect(users.range(flat.length - 2, 3)).toBeNull();
    expect(users.range(flat.length + 1, 0)).toBeNull();
    expect(users.range(-1, 2)).toBeNull();
  });
});
