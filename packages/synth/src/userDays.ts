import {
  type DateDay,
  makeData,
  type RecordBatch,
  Utf8,
  vectorFromArray,
  type Data,
  type DataType,
} from 'apache-arrow';
import { structBatch, valuesData } from '@isoforest/common/arrow';
import { DEFAULT_LOGON_TYPE, MS_PER_DAY, USER_DAY_COLUMNS, logonTypeName, type UserDay } from '@isoforest/ingest';
import { ATTACK_KINDS, NO_ATTACK } from './attacks.js';
import { isWeekend } from './calendar.js';
import { DayPlan, DaySummary, planDay, summarizeDay } from './dayPlan.js';
import { resolveSynthOptions, type SynthOptions } from './options.js';
import { Prng } from './prng.js';
import { ATTACK_COLUMN, ATTACK_TYPE, LABEL_COLUMN, SYNTH_USER_DAY_SCHEMA } from './schema.js';
import { Tenant, USER_DOMAINS } from './tenant.js';
import { encodeStrings, int64Column, utf8Column } from './arrowColumns.js';

/**
 * Streams the user-days of a synthetic tenant as Arrow record batches of `SYNTH_USER_DAY_SCHEMA` (the user-day
 * schema of `@isoforest/ingest` plus `label` and `attack`), at most `batchRows` rows each, day by day and within a
 * day by user. Only the current batch is in memory, so any number of rows can be generated.
 *
 * A row exists for each (user, day) with at least one logon: service accounts log on every day, people on about
 * 93% of weekdays and 12% of weekend days, admins on 95% and 30%; an attack on an otherwise quiet day makes a row
 * of its own. So the row count is below `users * days`, by the weekend and day-off gaps.
 *
 * The same options give the same rows, whatever `batchRows`; `attackRate` changes only the attacked rows.
 */
export function* generateUserDays(options: SynthOptions): Generator<RecordBatch> {
  const { users, days, seed, attackRate, startMs, batchRows } = resolveSynthOptions(options);
  const tenant = new Tenant(users, seed);
  const writer = new UserDayBatchWriter(tenant, Math.min(batchRows, users * days));
  const rng = new Prng();
  const plan = new DayPlan();
  const summary = new DaySummary();
  for (let day = 0; day < days; day++) {
    const dayStartMs = startMs + day * MS_PER_DAY;
    const weekend = isWeekend(dayStartMs);
    for (let u = 0; u < users; u++) {
      planDay(tenant, u, day, weekend, seed, attackRate, rng, plan);
      if (!plan.exists) continue;
      summarizeDay(tenant, u, plan, summary);
      writer.write(u, dayStartMs, plan.attack, summary);
      if (writer.full) yield writer.finish();
    }
  }
  if (writer.length > 0) yield writer.finish();
}

/** The count columns of the user-day schema, each filled from one field of a {@link DaySummary} (see `write`). */
const COUNT_NAMES = [
  'AttemptedLogons',
  'SuccessfulLogons',
  'FailedLogons',
  'ComputerDomainsAccessed',
  'DistinctAuthenticationPackage',
  'ComputersAccessed',
  'DistinctSrcIp',
  'DistinctSrcHostName',
  'ComputersSuccessfulAccess',
  'ComputerDomainsSuccessfulAccess',
  'SrcIpSuccessfulAccess',
  'SrcHostNameSuccessfulAccess',
  'ActiveMilliseconds',
] as const satisfies readonly (keyof UserDay)[];
const unfilled = USER_DAY_COLUMNS.filter(
  (c) => c.kind === 'count' && !(COUNT_NAMES as readonly string[]).includes(c.name),
);
if (unfilled.length > 0)
  throw new Error(`the synthetic tenant does not fill user-day columns ${unfilled.map((c) => c.name).join(', ')}`);
const [
  ATTEMPTED,
  SUCCESSFUL,
  FAILED,
  COMPUTER_DOMAINS,
  PACKAGES,
  COMPUTERS,
  IPS,
  HOSTS,
  COMPUTERS_OK,
  COMPUTER_DOMAINS_OK,
  IPS_OK,
  HOSTS_OK,
  ACTIVE_MS,
] = COUNT_NAMES.map((_, c) => c);

const DOMAIN_STRINGS = encodeStrings(USER_DOMAINS);
const LOGON_TYPE_STRINGS = encodeStrings([logonTypeName(DEFAULT_LOGON_TYPE)]);
/** One dictionary for every batch, so that batches share the `attack` codes. */
const ATTACK_DICTIONARY = vectorFromArray([...ATTACK_KINDS], new Utf8());

function fieldType(name: string): DataType {
  const field = SYNTH_USER_DAY_SCHEMA.fields.find((f) => f.name === name);
  if (field === undefined) throw new Error(`no field ${name} in the synthetic user-day schema`);
  return field.type;
}

/** Collects rows straight into typed arrays and turns them into one record batch (no per-row objects). */
class UserDayBatchWriter {
  private rows = 0;
  private dates!: Int32Array;
  private users!: Int32Array;
  private domains!: Int32Array;
  private counts!: Float64Array[];
  private firstTimes!: Float64Array;
  private lastTimes!: Float64Array;
  private labels!: Uint8Array;
  private attacks!: Int8Array;

  constructor(
    private readonly tenant: Tenant,
    private readonly capacity: number,
  ) {
    this.reset();
  }

  get length(): number {
    return this.rows;
  }

  get full(): boolean {
    return this.rows === this.capacity;
  }

  write(u: number, dayStartMs: number, attack: number, summary: DaySummary): void {
    const i = this.rows++;
    this.dates[i] = dayStartMs / MS_PER_DAY;
    this.users[i] = u;
    this.domains[i] = this.tenant.domain[u];
    const counts = this.counts;
    counts[ATTEMPTED][i] = summary.successful + summary.failed;
    counts[SUCCESSFUL][i] = summary.successful;
    counts[FAILED][i] = summary.failed;
    counts[COMPUTER_DOMAINS][i] = summary.computerDomains;
    counts[PACKAGES][i] = summary.packages;
    counts[COMPUTERS][i] = summary.computers;
    counts[IPS][i] = summary.ips;
    counts[HOSTS][i] = summary.hosts;
    counts[COMPUTERS_OK][i] = summary.computersOk;
    counts[COMPUTER_DOMAINS_OK][i] = summary.computerDomainsOk;
    counts[IPS_OK][i] = summary.ipsOk;
    counts[HOSTS_OK][i] = summary.hostsOk;
    counts[ACTIVE_MS][i] = summary.lastMs - summary.firstMs;
    this.firstTimes[i] = dayStartMs + summary.firstMs;
    this.lastTimes[i] = dayStartMs + summary.lastMs;
    this.labels[i] = attack === NO_ATTACK ? 0 : 1;
    this.attacks[i] = attack;
  }

  finish(): RecordBatch {
    const n = this.rows;
    const tenant = this.tenant;
    const columns: Record<string, Data> = {
      Date: makeData({ type: fieldType('Date') as DateDay, length: n, nullCount: 0, data: this.dates.subarray(0, n) }),
      DstDomain: utf8Column(n, this.domains, DOMAIN_STRINGS.bytes, DOMAIN_STRINGS.offsets),
      DstUser: utf8Column(n, this.users, tenant.nameBytes, tenant.nameOffsets),
      LogonTypeName: utf8Column(n, new Int32Array(n), LOGON_TYPE_STRINGS.bytes, LOGON_TYPE_STRINGS.offsets),
      MIN_TimeGenerated: int64Column(fieldType('MIN_TimeGenerated'), this.firstTimes, n),
      MAX_TimeGenerated: int64Column(fieldType('MAX_TimeGenerated'), this.lastTimes, n),
      [LABEL_COLUMN]: valuesData(fieldType(LABEL_COLUMN), this.labels.subarray(0, n)),
      [ATTACK_COLUMN]: makeData({
        type: ATTACK_TYPE,
        length: n,
        nullCount: 0,
        data: this.attacks.subarray(0, n),
        dictionary: ATTACK_DICTIONARY,
      }),
    };
    COUNT_NAMES.forEach((name, c) => {
      columns[name] = valuesData(fieldType(name), this.counts[c].subarray(0, n));
    });
    const children = SYNTH_USER_DAY_SCHEMA.fields.map((field) => columns[field.name]);
    const batch = structBatch(SYNTH_USER_DAY_SCHEMA, children, n);
    this.reset();
    return batch;
  }

  private reset(): void {
    // Fresh arrays: the finished batch keeps views on the old ones.
    const n = this.capacity;
    this.rows = 0;
    this.dates = new Int32Array(n);
    this.users = new Int32Array(n);
    this.domains = new Int32Array(n);
    this.counts = COUNT_NAMES.map(() => new Float64Array(n));
    this.firstTimes = new Float64Array(n);
    this.lastTimes = new Float64Array(n);
    this.labels = new Uint8Array(n);
    this.attacks = new Int8Array(n);
  }
}
