import {
  createCredential,
  listEventFiles,
  readLogAnalytics,
  readRawEventFiles,
  readUserDayArrow,
  readUserDayCsv,
  readUserDayParquet,
  type UserDaySource,
} from '@isoforest/ingest';
import { UsageError } from '../command.js';
import { sliceLine, type SentinelSettings } from '../commands/sentinel.js';
import { DEMO_DATA_CSV } from '../demoData.js';

/** What `--source` names, parsed. */
export type SourceSpec =
  | { readonly kind: 'demo' }
  | { readonly kind: 'csv' | 'events' | 'arrow' | 'parquet'; readonly path: string }
  | { readonly kind: 'sentinel' };

const KINDS = ['demo', 'csv', 'events', 'arrow', 'parquet', 'sentinel'] as const;

/** Parses `demo`, `csv:PATH`, `events:PATH`, `arrow:PATH`, `parquet:PATH` or `sentinel`. */
export function parseSourceSpec(text: string): SourceSpec {
  const colon = text.indexOf(':');
  const kind = colon < 0 ? text : text.slice(0, colon);
  const path = colon < 0 ? '' : text.slice(colon + 1);
  if (kind === 'demo' || kind === 'sentinel') {
    if (path !== '') throw new UsageError(`--source ${kind} takes no path`);
    return { kind };
  }
  if (kind === 'csv' || kind === 'events' || kind === 'arrow' || kind === 'parquet') {
    if (path === '') throw new UsageError(`--source ${kind} needs a path: ${kind}:PATH`);
    return { kind, path };
  }
  throw new UsageError(`--source must be one of ${KINDS.map((k) => (k === 'demo' || k === 'sentinel' ? k : `${k}:PATH`)).join(', ')}`);
}

/** Opens the user-day source a spec names; `lenient` skips and counts bad rows of CSV and event files. */
export async function openSource(
  spec: SourceSpec,
  sentinel: SentinelSettings,
  context: { env: NodeJS.ProcessEnv; info: (line: string) => void },
  lenient = false,
): Promise<UserDaySource> {
  switch (spec.kind) {
    case 'demo':
      return readUserDayCsv(DEMO_DATA_CSV, { label: 'demo data' });
    case 'csv':
      return readUserDayCsv(spec.path, { lenient });
    case 'arrow':
      return readUserDayArrow(spec.path);
    case 'parquet':
      return readUserDayParquet(spec.path);
    case 'events':
      return readRawEventFiles(await listEventFiles([spec.path]), { lenient });
    case 'sentinel':
      if (!sentinel.workspaceId) throw new UsageError('--source sentinel needs --workspace ID');
      return readLogAnalytics({
        workspaceId: sentinel.workspaceId,
        lookbackDays: sentinel.days,
        credential: createCredential(sentinel.credential, context.env),
        onProgress: (report) => context.info(sliceLine(report)),
      });
  }
}
