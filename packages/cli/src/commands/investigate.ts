import {
  drillDownEventRecords,
  formatIsoDate,
  listEventFiles,
  parseUtcDate,
  readEventRecords,
  type UserDayDrillDown,
  type UserDayKey,
} from '@isoforest/ingest';
import { UsageError, type Command, type OptionValues } from '../command.js';
import { drillDownRemote } from '../hunt/drillDowns.js';
import { drillDownText } from '../investigate/drillDownText.js';
import { describeStats } from '../terminal/sourceStats.js';
import { parseSentinelOptions, SENTINEL_OPTIONS } from './sentinel.js';
import { LENIENT_OPTION, optionalInteger, requiredString } from './values.js';
import { groupThousands } from '@isoforest/common';

/** `DOMAIN\USER` -> its parts; the domain is everything before the first backslash. */
export function parseAccount(text: string): { domain: string; user: string } {
  const slash = text.indexOf('\\');
  if (slash <= 0 || slash === text.length - 1) throw new UsageError(`--user must be DOMAIN\\USER, not '${text}'`);
  return { domain: text.slice(0, slash), user: text.slice(slash + 1) };
}

function userDayKey(values: OptionValues): UserDayKey {
  const account = parseAccount(requiredString(values, 'user'));
  const date = requiredString(values, 'date');
  const dayMs = /^\d{4}-\d{2}-\d{2}$/.test(date) ? parseUtcDate(date) : null;
  if (dayMs === null) throw new UsageError(`--date must be a day as YYYY-MM-DD, not '${date}'`);
  return { ...account, dayMs };
}

export const investigateCommand: Command = {
  synopsis: 'investigate --user DOMAIN\\USER --date YYYY-MM-DD --source events:PATH|sentinel|adx [--json]',
  options: {
    user: {
      type: 'string',
      placeholder: 'DOMAIN\\USER',
      description: 'the account, as the hunt lists it (letter case is ignored)',
    },
    date: { type: 'string', placeholder: 'YYYY-MM-DD', description: 'the UTC day' },
    source: {
      type: 'string',
      placeholder: 'SOURCE',
      stdio: 'in-source',
      description:
        'events:PATH (raw event files or a folder of them, as aggregate reads), sentinel (with --workspace) or adx (with --cluster, --database)',
    },
    workspace: SENTINEL_OPTIONS.workspace!,
    cluster: SENTINEL_OPTIONS.cluster!,
    database: SENTINEL_OPTIONS.database!,
    endpoint: SENTINEL_OPTIONS.endpoint!,
    credential: SENTINEL_OPTIONS.credential!,
    top: { type: 'string', placeholder: 'N', description: 'values shown per breakdown (default 10; --json has all)' },
    ...LENIENT_OPTION,
  },
  async run(values, context, { info, progress, out, json, report }) {
    const key = userDayKey(values);
    const top = optionalInteger(values, 'top', 1) ?? 10;
    const source = requiredString(values, 'source');
    let drillDown: UserDayDrillDown;
    const step = progress.start('reading events');
    if (source === 'sentinel' || source === 'adx') {
      drillDown = await drillDownRemote(source, parseSentinelOptions(values), key, context.env);
      step.finish('done');
    } else if (source.startsWith('events:') && source.length > 'events:'.length) {
      const files = await listEventFiles([source.slice('events:'.length)]);
      const result = await drillDownEventRecords(readEventRecords(files), key, { lenient: values.lenient === true });
      step.finish(`${groupThousands(result.stats.rowsKept)} events of the user-day`);
      info(describeStats(result.stats));
      drillDown = result.drillDown;
    } else {
      throw new UsageError('--source must be events:PATH, sentinel or adx');
    }
    report({ date: formatIsoDate(key.dayMs), ...drillDown });
    if (!json) context.stdout.write(drillDownText(drillDown, top, out));
  },
};
