import { mkdtemp, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { RecordBatch } from 'apache-arrow';
import type { UserDayPasses } from '@isoforest/hunt';
import {
  readUserDayArrow,
  USER_DAY_SCHEMA,
  writeArrowIpc,
  type IngestStats,
  type UserDayTypeMap,
} from '@isoforest/ingest';
import type { SentinelSettings } from '../commands/sentinel.js';
import { rowsInShard, type Shard } from '../io/shard.js';
import { takeRows } from '../io/takeRows.js';
import { openRemoteSource, openSource, type SourceSpec } from './sourceSpec.js';

/** A hunt's user-days, readable once per pass, and what reading them first counted. */
export interface HuntInput {
  readonly read: UserDayPasses;
  /** Rows read and dropped by the source (final once the first pass is done). */
  readonly stats: () => IngestStats;
  /** Removes the local copy, if one was made. */
  close(): Promise<void>;
}

/**
 * The source a spec names, readable once per pass of a streamed hunt. An Arrow file is read again each pass;
 * any other source (a remote query, a CSV or event files whose parsing and aggregation cost more than reading
 * Arrow) is read once and kept in memory up to `inMemoryBytes` of Arrow buffers, or else spilled to an Arrow IPC
 * file in a private folder inside `outputDir`, which `close` removes. The copy holds the user-days, not the events:
 * a tenant's 10 million user-days take about 1 GB.
 * With a `shard`, only the rows of that shard's users are read on (and spilled): a user's rows are all in one shard,
 * so its features are the unsharded hunt's. Local sources are split by the FNV-1a hash of `score --shard`; Sentinel
 * and ADX choose the shard's users inside the query (`userShardKql`), so each worker pulls only its own.
 */
export async function openHuntInput(
  spec: SourceSpec,
  sentinel: SentinelSettings,
  context: { env: NodeJS.ProcessEnv; info: (line: string) => void },
  lenient: boolean,
  outputDir: string,
  shard?: Shard,
  inMemoryBytes = IN_MEMORY_BYTES,
): Promise<HuntInput> {
  const label = 'path' in spec ? spec.path : spec.kind;
  if (spec.kind === 'arrow') {
    let first: IngestStats | undefined;
    return {
      read: () => {
        // Each pass reads the whole file: into a few buffers used in turn, which the hunt's passes allow (they copy
        // what they keep of a batch before reading on: `UserDayPasses`).
        const source = readUserDayArrow(spec.path, { reuseBuffers: true });
        first ??= source.stats;
        return inShard(source, shard, label);
      },
      stats: () => first!,
      close: async () => {},
    };
  }
  const remote = spec.kind === 'sentinel' || spec.kind === 'adx';
  const source = remote
    ? openRemoteSource(spec.kind, sentinel, context, shard)
    : await openSource(spec, sentinel, context, lenient);
  const batches = (remote ? source : inShard(source, shard, label))[Symbol.asyncIterator]();
  const held: RecordBatch<UserDayTypeMap>[] = [];
  let heldBytes = 0;
  while (heldBytes <= inMemoryBytes) {
    const next = await batches.next();
    if (next.done === true) {
      return {
        read: async function* () {
          yield* held;
        },
        stats: () => source.stats,
        close: async () => {},
      };
    }
    held.push(next.value);
    heldBytes += batchBytes(next.value);
  }
  const folder = await mkdtemp(join(outputDir, '.isoforest-spill-'));
  try {
    const file = join(folder, 'user-days.arrow');
    await writeArrowIpc(file, heldThenRest(held, batches), { format: 'file', schema: USER_DAY_SCHEMA });
    return {
      read: () => readUserDayArrow(file, { reuseBuffers: true }),
      stats: () => source.stats,
      close: () => rm(folder, { recursive: true, force: true }),
    };
  } catch (error) {
    await rm(folder, { recursive: true, force: true });
    throw error;
  }
}

/**
 * Sources of at most this many bytes of Arrow buffers stay in memory between the passes rather than being spilled
 * (at most about 160 bytes a user-day, so 100,000 or more): writing and reading back an IPC file costs a small hunt, such as the demo's, more
 * than the hunt itself.
 */
export const IN_MEMORY_BYTES = 16 * 2 ** 20;

/** The bytes of a batch's buffers, its dictionaries included. */
function batchBytes(batch: RecordBatch): number {
  return batch.data.children.reduce(
    (bytes, column) => bytes + column.byteLength + (column.dictionary?.byteLength ?? 0),
    0,
  );
}

/** The batches read so far, each let go once yielded, then the rest of the source. */
async function* heldThenRest<T extends RecordBatch>(held: T[], rest: AsyncIterator<T>): AsyncGenerator<T> {
  while (held.length > 0) yield held.shift()!;
  yield* { [Symbol.asyncIterator]: () => rest };
}

/** The batches' rows of the shard's users (all of them without a shard), as record batches of the same schema. */
async function* inShard(
  batches: AsyncIterable<RecordBatch<UserDayTypeMap>>,
  shard: Shard | undefined,
  label: string,
): AsyncGenerator<RecordBatch<UserDayTypeMap>> {
  for await (const batch of batches) {
    if (shard === undefined) yield batch;
    else
      for (const part of takeRows(batch, rowsInShard(batch, shard, label)).batches)
        yield new RecordBatch(USER_DAY_SCHEMA, part.data);
  }
}
