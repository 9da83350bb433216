import { resolve } from 'node:path';
import { Int32, type RecordBatch, Table, Utf8, vectorFromArray, type Vector } from 'apache-arrow';
import {
  DEFAULT_ATTACK_RATE,
  DEFAULT_START_DATE,
  LABEL_COLUMN,
  SynthOptionsError,
  generateRawEvents,
  generateUserDays,
  resolveSynthOptions,
  type RawLogonEvent,
  type SynthOptions,
} from '@isoforest/synth';
import { UsageError, type Command, type OptionValues } from '../command.js';
import { tableFormatOf } from '../io/tableFormat.js';
import { writeTable } from '../io/tableWriter.js';
import type { Step } from '../terminal/progress.js';
import { optionalInteger, optionalString, requiredString } from './values.js';
import { groupThousands } from '@isoforest/common';

/** The flag of each generator option, to turn the generator's own complaints into usage errors. */
const FLAG_OF: Record<string, string> = {
  users: 'users',
  days: 'days',
  seed: 'seed',
  attackRate: 'attack-rate',
  startDate: 'start-date',
};

export const synthCommand: Command = {
  synopsis:
    'synth --users N --days D [--seed S] [--attack-rate R] [--events] --output FILE.csv|FILE.arrow|FILE.parquet',
  options: {
    users: {
      type: 'string',
      placeholder: 'N',
      description: 'accounts in the tenant (people, service accounts, admins)',
    },
    days: { type: 'string', placeholder: 'D', description: 'consecutive UTC days' },
    seed: {
      type: 'string',
      placeholder: 'S',
      description: 'random seed, 0 to 4294967295 (default 0): same options and seed, same file byte for byte',
    },
    'attack-rate': {
      type: 'string',
      placeholder: 'R',
      description: `share of user-days attacked, 0 to 1 (default ${DEFAULT_ATTACK_RATE})`,
    },
    'start-date': {
      type: 'string',
      placeholder: 'YYYY-MM-DD',
      description: `first day, UTC (default ${DEFAULT_START_DATE})`,
    },
    events: {
      type: 'boolean',
      description:
        'write the raw 4624/4625 events (SecurityEvent columns, unlabelled) instead of the labelled user-days',
    },
    output: {
      type: 'string',
      placeholder: 'FILE',
      stdio: 'out-table',
      description: 'where to write: .csv, .arrow (Arrow IPC) or .parquet',
    },
  },
  async run(values, context, { info, progress, report }) {
    const options: SynthOptions = {
      users: requiredInteger(values, 'users', 1, 1 << 24),
      days: requiredInteger(values, 'days', 1, 36_500),
      seed: optionalInteger(values, 'seed', 0, 0xffff_ffff) ?? 0,
      attackRate: optionalRate(values, 'attack-rate'),
      startDate: optionalString(values, 'start-date'),
    };
    checkOptions(options);
    const output = resolve(context.cwd, requiredString(values, 'output'));
    // Refuse an unknown extension before generating anything.
    tableFormatOf(output);
    const events = values.events === true;
    const generated = events
      ? nonEmpty(eventBatches(options), 'logon events')
      : nonEmpty(generateUserDays(options), 'user-days');
    const step = progress.start(events ? 'generating events' : 'generating user-days');
    const counts = { rows: 0, attacked: 0 };
    const batches = events ? countedEvents(generated, counts, step) : userDayBatches(generated, counts, step);
    const written = await writeTable(output, batches);
    step.finish(`${groupThousands(written)} rows`);
    const what = events
      ? `${groupThousands(written)} logon events`
      : `${groupThousands(written)} user-days (${groupThousands(counts.attacked)} attacked, column ${LABEL_COLUMN} = 1)`;
    info(`wrote ${what} of ${options.users} users x ${options.days} days, seed ${options.seed}, to ${output}`);
    report({ output, ...options, rows: written, ...(events ? {} : { attacked: counts.attacked }) });
  },
};

interface Counts {
  rows: number;
  attacked: number;
}

async function* userDayBatches(
  batches: Iterable<RecordBatch>,
  counts: Counts,
  step: Step,
): AsyncGenerator<RecordBatch> {
  for (const batch of batches) {
    const labels = batch.getChild(LABEL_COLUMN)!.toArray() as Uint8Array;
    for (const label of labels) counts.attacked += label;
    counts.rows += batch.numRows;
    step.update(counts.rows);
    yield batch;
  }
}

/**
 * The generator's batches, or a usage error when it has none (a tiny tenant with nobody logging on), found before
 * any file is created.
 */
function nonEmpty(batches: Iterator<RecordBatch>, what: string): Iterable<RecordBatch> {
  const first = batches.next();
  if (first.done === true) throw new UsageError(`the tenant has no ${what}: use more --users or --days`);
  return (function* () {
    yield first.value;
    yield* { [Symbol.iterator]: () => batches };
  })();
}

/** Rows per record batch of raw events. */
const EVENT_BATCH_ROWS = 65_536;

/** The event columns in `RawLogonEvent` order; the two numeric ones are Int32, the rest strings as Sentinel gives them. */
const EVENT_COLUMNS = [
  'TimeGenerated',
  'EventID',
  'Computer',
  'LogonType',
  'LogonTypeName',
  'TargetDomainName',
  'TargetUserName',
  'AuthenticationPackageName',
  'IpAddress',
  'WorkstationName',
  'Status',
  'SubStatus',
] as const satisfies readonly (keyof RawLogonEvent)[];
const INT_EVENT_COLUMNS: ReadonlySet<string> = new Set(['EventID', 'LogonType']);

/** Raw events in record batches of {@link EVENT_BATCH_ROWS}. */
function* eventBatches(options: SynthOptions): Generator<RecordBatch> {
  let pending: RawLogonEvent[] = [];
  for (const event of generateRawEvents(options)) {
    pending.push(event);
    if (pending.length === EVENT_BATCH_ROWS) {
      yield eventBatch(pending);
      pending = [];
    }
  }
  if (pending.length > 0) yield eventBatch(pending);
}

async function* countedEvents(batches: Iterable<RecordBatch>, counts: Counts, step: Step): AsyncGenerator<RecordBatch> {
  for (const batch of batches) {
    counts.rows += batch.numRows;
    step.update(counts.rows);
    yield batch;
  }
}

function eventBatch(events: readonly RawLogonEvent[]): RecordBatch {
  const columns: Record<string, Vector> = {};
  for (const name of EVENT_COLUMNS) {
    columns[name] = INT_EVENT_COLUMNS.has(name)
      ? vectorFromArray(
          events.map((e) => e[name] as number),
          new Int32(),
        )
      : vectorFromArray(
          events.map((e) => e[name] as string),
          new Utf8(),
        );
  }
  return new Table(columns).batches[0];
}

/** Lets the generator check its options before any file is created, its complaints becoming usage errors naming the flag. */
function checkOptions(options: SynthOptions): void {
  try {
    resolveSynthOptions(options);
  } catch (error) {
    if (error instanceof SynthOptionsError)
      throw new UsageError(`--${FLAG_OF[error.option] ?? error.option}: ${error.message}`);
    throw error;
  }
}

function requiredInteger(values: OptionValues, name: string, min: number, max: number): number {
  requiredString(values, name);
  return optionalInteger(values, name, min, max)!;
}

/** A share in [0, 1], or undefined when absent. */
function optionalRate(values: OptionValues, name: string): number | undefined {
  const text = optionalString(values, name);
  if (text === undefined) return undefined;
  const value = Number(text);
  if (text.trim() === '' || !(value >= 0 && value <= 1))
    throw new UsageError(`--${name} must be a number from 0 to 1, not '${text}'`);
  return value;
}
