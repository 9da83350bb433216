import { makeVector, Table } from 'apache-arrow';
import { describe, expect, it } from 'vitest';
import { BatchPacker, BatchUnpacker } from '../src/csvOut/batchTransfer.js';
import { perUser } from './support.js';

describe('record batches handed to a worker', () => {
  it('send an array that columns share once, and the columns rebuilt still share it', () => {
    const users = Int32Array.from([2, 0, 1, 2, 2]);
    const statistic = (values: number[]) => perUser(users, makeVector(Float64Array.from(values)));
    const batch = new Table({
      mean: statistic([1.5, 2, 7.25]),
      std: statistic([0.5, Number.NaN, 3]),
      other: makeVector(Int32Array.from(users)),
    }).batches[0]!;

    const packed = new BatchPacker().pack(batch);
    const indices = packed.columns.map((column) => column.buffers[1]);
    // The two statistics' indices are one copy in the body; the other column's equal values are a copy of their own.
    expect(indices[0]).toBe(indices[1]);
    expect(indices[2]!.at).not.toBe(indices[0]!.at);

    const unpacked = new BatchUnpacker().unpack(packed);
    const [mean, std] = [0, 1].map((k) => unpacked.getChildAt(k)!.data[0]!.values as Int32Array);
    expect([mean!.buffer === std!.buffer, mean!.byteOffset === std!.byteOffset]).toEqual([true, true]);
    expect([0, 1, 2].map((k) => unpacked.getChildAt(k)!.toArray().join())).toEqual([
      '7.25,1.5,2,7.25,7.25',
      '3,0.5,NaN,3,3',
      '2,0,1,2,2',
    ]);
  });
});
