import { copyFileSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'csv-parse/sync';
import { beforeAll, describe, expect, it } from 'vitest';
import { EXIT } from '../src/exitCodes.js';
import { runCli, tempDir } from './support/runCli.js';

type Row = Record<string, string>;

interface StateJson {
  state: {
    runId: string;
    newDays: string[];
    heldDays: string[];
    refit: boolean;
    newAnomalies: { Date: string; DstDomain: string; DstUser: string }[];
  };
}

/** A generated tenant: its labelled user-days, and its raw events as one CSV file per UTC day. */
const tenant = { dir: '', days: [] as string[], attacks: [] as Row[] };

beforeAll(async () => {
  tenant.dir = tempDir();
  const synth = ['synth', '--users', '20', '--days', '21', '--seed', '5', '--attack-rate', '0.03', '--quiet'];
  expect((await runCli([...synth, '--output', join(tenant.dir, 'days.csv')])).code).toBe(0);
  expect((await runCli([...synth, '--events', '--output', join(tenant.dir, 'events.csv')])).code).toBe(0);
  tenant.attacks = (parse(readFileSync(join(tenant.dir, 'days.csv')), { columns: true }) as Row[]).filter(
    (row) => row.attack !== 'none',
  );
  const [header, ...lines] = readFileSync(join(tenant.dir, 'events.csv'), 'utf8').trimEnd().split('\n');
  const byDay = new Map<string, string[]>();
  for (const line of lines) {
    const day = line.slice(0, 10); // TimeGenerated, ISO 8601, comes first
    if (!byDay.has(day)) byDay.set(day, []);
    byDay.get(day)!.push(line);
  }
  tenant.days = [...byDay.keys()].sort();
  mkdirSync(join(tenant.dir, 'by-day'));
  for (const [day, dayLines] of byDay)
    writeFileSync(join(tenant.dir, 'by-day', `${day}.csv`), `${header}\n${dayLines.join('\n')}\n`);
}, 300_000);

/** A folder holding the events of the tenant's first `count` days, as a daily export would fill it. */
function exportFolder(dir: string, count: number): string {
  const folder = join(dir, 'exports');
  mkdirSync(folder, { recursive: true });
  for (const day of tenant.days.slice(0, count))
    copyFileSync(join(tenant.dir, 'by-day', `${day}.csv`), join(folder, `${day}.csv`));
  return folder;
}

async function dailyRun(dir: string, ...more: string[]) {
  const run = await runCli([
    'hunt',
    '--source',
    `events:${join(dir, 'exports')}`,
    '--state',
    join(dir, 'state'),
    '--output-dir',
    join(dir, 'out'),
    '--json',
    '--quiet',
    // about the share of attacked user-days the tenant is generated with
    '--contamination',
    '0.05',
    ...more,
  ]);
  return {
    ...run,
    json: run.code === EXIT.ok || run.code === EXIT.anomaliesFound ? (JSON.parse(run.stdout) as StateJson) : null,
  };
}

const key = (row: { Date?: string; DstDomain?: string; DstUser?: string }) =>
  `${row.Date} ${row.DstDomain}\\${row.DstUser}`;

describe('hunt --state: a recurring hunt', () => {
  it('flags the injected attacks on the day they arrive, and never a user-day twice', async () => {
    const dir = tempDir();
    exportFolder(dir, 14);
    const first = await dailyRun(dir);
    expect(first.code, first.stderr).toBe(EXIT.ok);
    expect(first.json!.state.newDays).toEqual(tenant.days.slice(0, 14));
    const reported = [...first.json!.state.newAnomalies.map(key)];
    const attacked = new Set(tenant.attacks.map(key));
    let attacksOnTheirDay = 0;
    let attacksLater = 0;
    for (let day = 14; day < tenant.days.length; day++) {
      exportFolder(dir, day + 1);
      const run = await dailyRun(dir);
      expect(run.code, run.stderr).toBe(EXIT.ok);
      expect(run.json!.state.newDays).toEqual([tenant.days[day]]);
      expect(run.json!.state.heldDays).toEqual(tenant.days.slice(0, day));
      for (const anomaly of run.json!.state.newAnomalies) {
        expect(anomaly.Date).toBe(tenant.days[day]); // only the new day is reported
        reported.push(key(anomaly));
      }
      const dayAttacks = tenant.attacks.filter((row) => row.Date === tenant.days[day]).map(key);
      attacksOnTheirDay += dayAttacks.filter((k) => run.json!.state.newAnomalies.some((a) => key(a) === k)).length;
      attacksLater += dayAttacks.length;
    }
    expect(new Set(reported).size).toBe(reported.length);
    // Of the attacks on the days the daily runs added, most are reported on their own day; and most of what is
    // reported on a new day is an attack (contamination 0.01 flags about a fifth of a day's 20 users' days).
    expect(attacksLater).toBeGreaterThan(0);
    expect(attacksOnTheirDay / attacksLater).toBeGreaterThanOrEqual(0.5);
    const laterReports = reported.slice(first.json!.state.newAnomalies.length);
    expect(laterReports.filter((k) => attacked.has(k)).length / laterReports.length).toBeGreaterThanOrEqual(0.5);
  }, 900_000);

  it('changes nothing when run again on the same days, and exits 4 on new findings with --fail-on-anomaly', async () => {
    const dir = tempDir();
    exportFolder(dir, 21);
    const first = await dailyRun(dir, '--fail-on-anomaly');
    expect(first.code).toBe(first.json!.state.newAnomalies.length > 0 ? EXIT.anomaliesFound : EXIT.ok);
    expect(first.json!.state.newAnomalies.length).toBeGreaterThan(0);
    const state = readFileSync(join(dir, 'state', 'state.json'), 'utf8');
    const again = await dailyRun(dir, '--fail-on-anomaly');
    expect(again.code).toBe(EXIT.ok);
    expect(again.json!.state).toMatchObject({ newDays: [], newAnomalies: [] });
    expect(readFileSync(join(dir, 'state', 'state.json'), 'utf8')).toBe(state);
  }, 600_000);

  it('leaves the state as it was when a run fails half-way, and the next run does the work', async () => {
    const dir = tempDir();
    exportFolder(dir, 20);
    expect((await dailyRun(dir)).code).toBe(EXIT.ok);
    const before = readFileSync(join(dir, 'state', 'state.json'), 'utf8');
    exportFolder(dir, 21);
    // The day's files and the model are written, then writing the hunt's outputs fails: a file stands where the folder goes.
    writeFileSync(join(dir, 'blocked'), 'not a folder');
    const failed = await runCli([
      'hunt',
      '--source',
      `events:${join(dir, 'exports')}`,
      '--state',
      join(dir, 'state'),
      '--output-dir',
      join(dir, 'blocked'),
      '--quiet',
    ]);
    expect(failed.code).not.toBe(EXIT.ok);
    expect(readFileSync(join(dir, 'state', 'state.json'), 'utf8')).toBe(before);
    const next = await dailyRun(dir);
    expect(next.code, next.stderr).toBe(EXIT.ok);
    expect(next.json!.state.newDays).toEqual([tenant.days[20]]);
    // A state that never saw the failure gives the same findings.
    const clean = tempDir();
    exportFolder(clean, 20);
    await dailyRun(clean);
    exportFolder(clean, 21);
    expect((await dailyRun(clean)).json!.state.newAnomalies).toEqual(next.json!.state.newAnomalies);
  }, 600_000);

  it('refuses a state folder written by another version, naming its file', async () => {
    const dir = tempDir();
    mkdirSync(join(dir, 'state'));
    writeFileSync(join(dir, 'state', 'state.json'), JSON.stringify({ format: 'isoforest-hunt-state', version: 2 }));
    exportFolder(dir, 1);
    const run = await runCli([
      'hunt',
      '--source',
      `events:${join(dir, 'exports')}`,
      '--state',
      join(dir, 'state'),
      '--quiet',
    ]);
    expect(run.code).toBe(EXIT.badInput);
    expect(run.stderr).toContain(join(dir, 'state', 'state.json'));
    expect(run.stderr).toContain('hunt state version 2; this isoforest reads version 1');
    expect((await runCli(['hunt', '--state', join(dir, 'state'), '--refit', 'hourly'])).code).toBe(EXIT.usage);
  }, 300_000);
});
