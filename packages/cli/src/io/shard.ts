import type { RecordBatch } from 'apache-arrow';
import { UsageError } from '../command.js';
import { fnv1a32 } from '@isoforest/common';
import { IngestError, MAX_SHARDS, type UserShard } from '@isoforest/ingest';

/** One of `count` disjoint parts of the user-days, by a stable hash of the user: `--shard K/N` is `{ index: K - 1, count: N }`. */
export type Shard = UserShard;

/** The columns that identify a user; a user's rows always land in the same shard. */
export const SHARD_KEY_COLUMNS = ['DstDomain', 'DstUser'] as const;

/** Parses `K/N` with 1 <= K <= N. */
export function parseShard(text: string): Shard {
  const match = /^(\d+)\/(\d+)$/.exec(text.trim());
  const k = match ? Number(match[1]) : Number.NaN;
  const n = match ? Number(match[2]) : Number.NaN;
  if (!(n >= 1 && k >= 1 && k <= n && n <= MAX_SHARDS))
    throw new UsageError(`--shard must be K/N with 1 <= K <= N, e.g. 1/4, not '${text}'`);
  return { index: k - 1, count: n };
}

/**
 * The shard hash of a user: FNV-1a of the UTF-8 bytes of `domain`, a NUL, and `user`. Any job runner can
 * reproduce the split.
 */
export function userHash(domain: string, user: string): number {
  return fnv1a32(ENCODER.encode(`${domain}\u0000${user}`));
}

const ENCODER = new TextEncoder();

/** The rows of `batch` that belong to `shard`, in input order. */
export function rowsInShard(batch: RecordBatch, shard: Shard, file: string): Int32Array {
  const [domains, users] = SHARD_KEY_COLUMNS.map((name) => {
    const column = batch.getChild(name);
    if (column === null) throw new IngestError(file, null, null, `--shard needs a '${name}' column to hash users`);
    return column;
  });
  const rows: number[] = [];
  for (let row = 0; row < batch.numRows; row++) {
    if (userHash(String(domains!.get(row)), String(users!.get(row))) % shard.count === shard.index) rows.push(row);
  }
  return Int32Array.from(rows);
}
