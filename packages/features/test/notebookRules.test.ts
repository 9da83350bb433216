import { Table } from 'apache-arrow';
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { FeatureError, notebookTreeCount, rowsWithSuccessfulLogons } from '../src/index.js';
import { userDayTable } from './userDayTable.js';

describe('notebookTreeCount', () => {
  it('matches the notebook model on the demo data', () => {
    const meta = JSON.parse(
      readFileSync(new URL('../../../fixtures/golden/notebook-demo/meta.json', import.meta.url), 'utf8'),
    );
    expect(notebookTreeCount(meta.n_rows)).toBe(meta.n_estimators);
  });

  it('is 24 + 2 * rows below 500 rows and 100 from there on', () => {
    expect(notebookTreeCount(0)).toBe(24);
    expect(notebookTreeCount(1)).toBe(26);
    expect(notebookTreeCount(499)).toBe(1022);
    expect(notebookTreeCount(500)).toBe(100);
    expect(notebookTreeCount(10_000_000)).toBe(100);
  });

  it('rejects a row count that is not a non-negative integer', () => {
    expect(() => notebookTreeCount(-1)).toThrow(RangeError);
    expect(() => notebookTreeCount(2.5)).toThrow(RangeError);
  });
});

describe('rowsWithSuccessfulLogons', () => {
  it('keeps the rows with at least one successful logon, in order', () => {
    const table = userDayTable([
      { user: 'a', successful: 3 },
      { user: 'a', successful: 0 },
      { user: 'b', successful: 1 },
      { user: 'c', successful: 0 },
    ]);
    expect(Array.from(rowsWithSuccessfulLogons(table))).toEqual([0, 2]);
  });

  it('needs the SuccessfulLogons column', () => {
    expect(() => rowsWithSuccessfulLogons(new Table({}))).toThrow(FeatureError);
  });
});
