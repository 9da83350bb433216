import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { parse } from 'csv-parse/sync';
import { tableFromIPC } from 'apache-arrow';
import { readAll, readRawEventFiles } from '@isoforest/ingest';
import { ATTACK_COLUMN, ATTACK_KINDS, LABEL_COLUMN } from '@isoforest/synth';
import { describe, expect, it } from 'vitest';
import type { OptionValues } from '../src/command.js';
import { synthCommand } from '../src/commands/synth.js';
import { runCommand } from './support/runCommand.js';
import { REPO } from './support/runCli.js';

const fixtureDir = join(REPO, 'fixtures', 'synth');
const readme = readFileSync(join(fixtureDir, 'README.md'), 'utf8');
const scratch = mkdtempSync(join(tmpdir(), 'isoforest-synth-'));

/** The `isoforest synth ...` line of the fixture README, as the option values `main` would parse from it. */
function readmeCommand(): OptionValues {
  const line = readme.split('\n').find((text) => text.startsWith('isoforest synth '));
  if (line === undefined) throw new Error('fixtures/synth/README.md names no isoforest synth command');
  const options = Object.fromEntries(Object.entries(synthCommand.options).map(([name, { type }]) => [name, { type }]));
  return parseArgs({ args: line.split(/\s+/).slice(2), options, strict: true }).values;
}

type Row = Record<string, string>;
const readCsv = (path: string): Row[] => parse(readFileSync(path), { columns: true });

describe('isoforest synth', () => {
  it("regenerates fixtures/synth/tenant-small.csv byte for byte with its README's command", async () => {
    const values = readmeCommand();
    expect(values.output).toBe('fixtures/synth/tenant-small.csv');
    const output = join(scratch, 'tenant-small.csv');
    const run = await runCommand(synthCommand, { ...values, output });
    expect(run.exitCode).toBe(0);
    expect(readFileSync(output).equals(readFileSync(join(fixtureDir, 'tenant-small.csv')))).toBe(true);
  });

  it('the fixture holds what its README says: rows, attacked rows per kind, label = 1 exactly on attacks', () => {
    const rows = readCsv(join(fixtureDir, 'tenant-small.csv'));
    const stated = /^([\d,]+) user-days, (\d+) of them attacked \(label 1\): (.*)\.$/m.exec(readme);
    expect(stated).not.toBeNull();
    expect(rows.length).toBe(Number(stated![1].replace(/,/g, '')));
    expect(rows.filter((row) => row[LABEL_COLUMN] === '1').length).toBe(Number(stated![2]));
    for (const part of stated![3].split(', ')) {
      const [count, kind] = part.split(' ');
      expect(rows.filter((row) => row[ATTACK_COLUMN] === kind).length).toBe(Number(count));
    }
    for (const row of rows) {
      expect(ATTACK_KINDS).toContain(row[ATTACK_COLUMN]);
      expect(row[LABEL_COLUMN]).toBe(row[ATTACK_COLUMN] === 'none' ? '0' : '1');
    }
  });

  it('writes the same user-days to Arrow IPC, with the label columns typed', async () => {
    const csvPath = join(scratch, 'small.csv');
    const arrowPath = join(scratch, 'small.arrow');
    const values = { users: '30', days: '10', seed: '5', 'attack-rate': '0.05' };
    expect((await runCommand(synthCommand, { ...values, output: csvPath })).exitCode).toBe(0);
    const run = await runCommand(synthCommand, { ...values, output: arrowPath });
    expect(run.exitCode).toBe(0);
    const table = tableFromIPC(readFileSync(arrowPath));
    const rows = readCsv(csvPath);
    expect(table.numRows).toBe(rows.length);
    const labels = [...(table.getChild(LABEL_COLUMN)!.toArray() as Uint8Array)];
    expect(labels.map(String)).toEqual(rows.map((row) => row[LABEL_COLUMN]));
    expect(Array.from({ length: table.numRows }, (_, i) => table.getChild(ATTACK_COLUMN)!.get(i))).toEqual(
      rows.map((row) => row[ATTACK_COLUMN]),
    );
    const attacked = labels.filter((label) => label === 1).length;
    expect(run.stderr).toContain(`wrote ${rows.length} user-days (${attacked} attacked, column label = 1)`);
  });

  it('gives another tenant for another seed', async () => {
    const a = join(scratch, 'seed-a.csv');
    const b = join(scratch, 'seed-b.csv');
    await runCommand(synthCommand, { users: '20', days: '7', seed: '1', output: a });
    await runCommand(synthCommand, { users: '20', days: '7', seed: '2', output: b });
    expect(readFileSync(a).equals(readFileSync(b))).toBe(false);
  });

  it('--events writes one raw 4624/4625 event per attempted logon of the user-days', async () => {
    const values = { users: '12', days: '5', seed: '3', 'attack-rate': '0.1' };
    const userDays = join(scratch, 'days.csv');
    const events = join(scratch, 'events.csv');
    await runCommand(synthCommand, { ...values, output: userDays });
    const run = await runCommand(synthCommand, { ...values, events: true, output: events });
    expect(run.exitCode).toBe(0);
    const eventRows = readCsv(events);
    const attempted = readCsv(userDays).reduce((sum, row) => sum + Number(row.AttemptedLogons), 0);
    expect(eventRows.length).toBe(attempted);
    const failed = readCsv(userDays).reduce((sum, row) => sum + Number(row.FailedLogons), 0);
    expect(eventRows.filter((row) => row.EventID === '4625').length).toBe(failed);
    // Read back as raw events (what `hunt --source events:PATH` does), they aggregate to the same user-days.
    const aggregated = await readAll(readRawEventFiles([events]));
    const dayRows = readCsv(userDays);
    expect(aggregated.numRows).toBe(dayRows.length);
    const total = (column: 'SuccessfulLogons' | 'FailedLogons') =>
      aggregated
        .getChild(column)!
        .toArray()
        .reduce((sum, v) => sum + v, 0);
    expect(total('SuccessfulLogons')).toBe(dayRows.reduce((sum, row) => sum + Number(row.SuccessfulLogons), 0));
    expect(total('FailedLogons')).toBe(failed);
    expect(Object.keys(eventRows[0])).toEqual([
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
    ]);
    // A failure says why it failed, as Windows does: a wrong password (Status 0xC000006D, SubStatus 0xC000006A).
    const failure = eventRows.find((row) => row.EventID === '4625')!;
    expect([failure.Status, failure.SubStatus]).toEqual(['0xc000006d', '0xc000006a']);
    expect(eventRows.find((row) => row.EventID === '4624')!.Status).toBe('');
  });

  it('refuses bad options with a usage error naming the flag, before writing anything', async () => {
    const output = join(scratch, 'never.csv');
    const cases: [OptionValues, RegExp][] = [
      [{ days: '3', output }, /--users is required/],
      [{ users: '0', days: '3', output }, /--users must be a whole number from 1/],
      [{ users: '5', days: '3', 'attack-rate': '1.5', output }, /--attack-rate must be a number from 0 to 1/],
      [{ users: '5', days: '3', 'start-date': '2024-13-99x', output }, /--start-date/],
      [{ users: '5', days: '3', output: join(scratch, 'tenant.txt') }, /cannot tell the format/],
    ];
    for (const [values, message] of cases) {
      const run = await runCommand(synthCommand, values);
      expect(run.exitCode).toBe(2);
      expect(run.stderr).toMatch(message);
    }
    expect(() => readFileSync(output)).toThrow();
  });

  it('reports a folder it cannot write to as bad input naming the file', async () => {
    const output = join(scratch, 'no-such-folder', 'tenant.csv');
    const run = await runCommand(synthCommand, { users: '5', days: '3', output });
    expect(run.exitCode).toBe(1);
    expect(run.stderr).toContain(`${output}: no such file or folder`);
  });
});
