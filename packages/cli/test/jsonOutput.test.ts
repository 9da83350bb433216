/**
 * `--json` on every command: one JSON document on stdout, carrying the one schema version and the command's name,
 * with the counts the command's files hold.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { COMMANDS } from '../src/commands/index.js';
import { EXIT } from '../src/exitCodes.js';
import { JSON_SCHEMA_VERSION } from '../src/jsonDocument.js';
import { runCli, tempDir } from './support/runCli.js';

const dir = tempDir();
const file = (name: string) => join(dir, name);
const dataRows = (name: string) => readFileSync(file(name), 'utf8').trim().split('\n').length - 1;

/** A working invocation of every command, in an order where each finds the files the earlier ones wrote. */
const INVOCATIONS: [string, string[]][] = [
  ['synth', ['--users', '25', '--days', '8', '--seed', '3', '--attack-rate', '0.2', '--output', file('days.csv')]],
  ['aggregate', ['--input', file('events.csv'), '--output', file('aggregated.csv')]],
  ['features', ['--input', file('days.csv'), '--output', file('features.csv')]],
  ['fit', ['--input', file('features.csv'), '--features', 'FailedLogons_zscore,SuccessfulLogons', '--trees', '20']],
  ['score', ['--model', file('model.iforest'), '--input', file('features.csv'), '--output', file('scores.csv')]],
  ['explain', ['--model', file('model.iforest'), '--input', file('features.csv'), '--output', file('shap.csv')]],
  [
    'tune',
    ['--input', file('days.csv'), '--seeds', '1', '--trees', '10', '--max-samples', '64', '--explain-rows', '0'],
  ],
  ['hunt', ['--source', `csv:${file('days.csv')}`, '--output-dir', file('hunt')]],
  ['merge', ['--input', file('hunt'), '--input', file('hunt'), '--output-dir', file('merged')]],
  ['investigate', ['--date', '2024-01-02', '--source', `events:${file('events.csv')}`]],
  ['query', ['--print-kql']],
  [
    'publish',
    ['--input', file('no-outliers.csv'), '--dce', 'https://dce.example', '--dcr', 'dcr-1', '--model-id', 'm'],
  ],
];

describe('--json', () => {
  it('is tried here on every command', () => {
    expect(INVOCATIONS.map(([name]) => name).sort()).toEqual(COMMANDS.map((command) => command.name).sort());
  });

  it('prints one parseable document with the schema version and the command, on every command', async () => {
    // The raw events the aggregate and investigate runs read, of the same synthetic tenant.
    const events = await runCli([
      'synth',
      '--users',
      '25',
      '--days',
      '8',
      '--seed',
      '3',
      '--events',
      '--output',
      file('events.csv'),
      '-q',
    ]);
    expect(events.code, events.stderr).toBe(EXIT.ok);
    const documents: Record<string, Record<string, unknown>> = {};
    for (const [name, args] of INVOCATIONS) {
      const extra: string[] = [];
      if (name === 'fit') extra.push('--model', file('model.iforest'));
      if (name === 'investigate') {
        const day = readFileSync(file('days.csv'), 'utf8').split('\n')[1]!.split(',');
        extra.push('--user', `${day[1]}\\${day[2]}`);
        args.splice(1, 1, day[0]!);
      }
      if (name === 'publish')
        writeFileSync(file('no-outliers.csv'), readFileSync(file('hunt/outliers.csv'), 'utf8').split('\n')[0] + '\n');
      const run = await runCli([name, ...args, ...extra, '--json', '--quiet']);
      expect(run.code, `${name}: ${run.stderr}`).toBe(EXIT.ok);
      const document = JSON.parse(run.stdout) as Record<string, unknown>;
      expect(document.schemaVersion, name).toBe(JSON_SCHEMA_VERSION);
      expect(document.command, name).toBe(name);
      documents[name] = document;
    }
    // The documents' counts are those of the files the commands wrote.
    expect(documents.synth!.rows).toBe(dataRows('days.csv'));
    expect(documents.aggregate!.userDays).toBe(dataRows('aggregated.csv'));
    expect(documents.features!.rowsOut).toBe(dataRows('features.csv'));
    expect(documents.fit!).toMatchObject({
      rows: dataRows('features.csv'),
      trees: 20,
      features: ['FailedLogons_zscore', 'SuccessfulLogons'],
    });
    expect(documents.score!).toMatchObject({ rowsIn: dataRows('features.csv'), rowsOut: dataRows('scores.csv') });
    expect(documents.explain!).toMatchObject({ rowsIn: dataRows('features.csv'), rowsOut: dataRows('shap.csv') });
    expect((documents.tune!.report as { results: unknown[] }).results).toHaveLength(4);
    expect((documents.hunt!.counts as { outliers: number }).outliers).toBe(dataRows('hunt/outliers.csv'));
    expect(documents.merge!).toMatchObject({ shards: 2, flagged: 2 * dataRows('hunt/outliers.csv') });
    expect(documents.query!.kql).toContain('SecurityEvent');
    expect(documents.publish!).toMatchObject({ rows: 0, sent: 0, rejected: 0 });
  });
});
