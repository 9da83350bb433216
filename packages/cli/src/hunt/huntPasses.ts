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
 * Arrow) is read once and spilled to an Arrow IPC stream in a private folder inside `outputDir`, which `close`
 * removes. The copy holds the user-days, not the events: a tenant's 10 million user-days take about 1 GB.
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
): Promise<HuntInput> {
  const label = 'path' in spec ? spec.path : spec.kind;
  if (spec.kind === 'arrow') {
    let first: IngestStats | undefined;
    return {
      read: () => {
        const source = readUserDayArrow(spec.path);
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
  const folder = await mkdtemp(join(outputDir, '.isoforest-spill-'));
  try {
    const file = join(folder, 'user-days.arrow');
    await writeArrowIpc(file, remote ? source : inShard(source, shard, label), {
      format: 'stream',
      schema: USER_DAY_SCHEMA,
    });
    return {
      read: () => readUserDayArrow(file),
      stats: () => source.stats,
      close: () => rm(folder, { recursive: true, force: true }),
    };
  } catch (error) {
    await rm(folder, { recursive: true, force: true });
    throw error;
  }
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
