/**
 * `-` for stdin and stdout, as a shell pipeline uses it: the CLI is spawned with piped input and output, and what
 * comes out must be byte for byte what the same command writes to and reads from files.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { EXIT } from '../src/exitCodes.js';
import { runCli, tempDir } from './support/runCli.js';
import { spawnCli } from './support/spawnCli.js';

const dir = tempDir();
const file = (name: string) => join(dir, name);
const bytes = (name: string) => readFileSync(file(name));

async function ok(args: string[]): Promise<void> {
  const run = await runCli([...args, '--quiet']);
  expect(run.code, run.stderr).toBe(EXIT.ok);
}

/** Spawns `args` with `stdin` piped in: it must succeed and print exactly the bytes the file run wrote to `expected`. */
async function expectStdout(args: string[], stdin: Buffer, expected: string): Promise<void> {
  const run = await spawnCli(args, stdin);
  expect(run.code, run.stderr).toBe(EXIT.ok);
  expect(run.stdout.equals(bytes(expected))).toBe(true);
}

const scorePipe = () => ['score', '--model', file('model.iforest'), '--input', '-', '--output', '-', '-q'];

beforeAll(async () => {
  const synth = ['synth', '--users', '20', '--days', '6', '--seed', '5', '--attack-rate', '0.2'];
  await ok([...synth, '--output', file('days.csv')]);
  await ok([...synth, '--events', '--output', file('events.csv')]);
  await ok(['features', '--input', file('days.csv'), '--output', file('features.csv')]);
  await ok(['features', '--input', file('days.csv'), '--output', file('features.parquet')]);
  await ok([
    'fit',
    '--input',
    file('features.csv'),
    '--model',
    file('model.iforest'),
    '--features',
    'FailedLogons_zscore,SuccessfulLogons_zscore',
  ]);
  await ok([
    'score',
    '--model',
    file('model.iforest'),
    '--input',
    file('features.csv'),
    '--output',
    file('scores.csv'),
  ]);
  await ok([
    'explain',
    '--model',
    file('model.iforest'),
    '--input',
    file('features.csv'),
    '--output',
    file('shap.csv'),
  ]);
  await ok(['aggregate', '--input', file('events.csv'), '--output', file('aggregated.csv')]);
});

describe("'-' for stdin and stdout, through a spawned isoforest", () => {
  it('reads a CSV table on stdin and writes CSV on stdout: the bytes of the file run', async () => {
    await expectStdout(scorePipe(), bytes('features.csv'), 'scores.csv');
  });

  it('tells Parquet on stdin by its magic bytes', async () => {
    await expectStdout(scorePipe(), bytes('features.parquet'), 'scores.csv');
  });

  it('pipes Arrow from one command to the next (--output-format arrow), and a model from fit to score', async () => {
    const scored = await spawnCli([
      'score',
      '--model',
      file('model.iforest'),
      '--input',
      file('features.csv'),
      '--output',
      '-',
      '--output-format',
      'arrow',
      '-q',
    ]);
    expect(scored.code, scored.stderr).toBe(EXIT.ok);
    expect(scored.stdout.subarray(0, 6).toString()).toBe('ARROW1');
    const explained = await spawnCli(
      ['explain', '--model', file('model.iforest'), '--input', '-', '--output', file('shap-from-arrow.csv'), '-q'],
      scored.stdout,
    );
    expect(explained.code, explained.stderr).toBe(EXIT.ok);
    const shapOf = (text: string) => text.split('\n').map((line) => line.split(',').slice(-3).join(','));
    // The same SHAP columns as explain of the CSV (the Arrow input also carries the score columns before them).
    expect(shapOf(readFileSync(file('shap-from-arrow.csv'), 'utf8'))).toEqual(shapOf(bytes('shap.csv').toString()));

    const fitted = await spawnCli(
      ['fit', '--input', '-', '--model', '-', '--features', 'FailedLogons_zscore,SuccessfulLogons_zscore', '-q'],
      bytes('features.csv'),
    );
    expect(fitted.code, fitted.stderr).toBe(EXIT.ok);
    expect(fitted.stdout.equals(bytes('model.iforest'))).toBe(true);
    await expectStdout(
      ['score', '--model', '-', '--input', file('features.csv'), '--output', '-', '-q'],
      fitted.stdout,
      'scores.csv',
    );
  });

  it('reads raw events on stdin', async () => {
    await expectStdout(['aggregate', '--input', '-', '--output', '-', '-q'], bytes('events.csv'), 'aggregated.csv');
  });

  it('hunts user-days from stdin (--source csv:-) as from the file', async () => {
    const run = await spawnCli(
      ['hunt', '--source', 'csv:-', '--output-dir', file('hunt-stdin'), '-q'],
      bytes('days.csv'),
    );
    expect(run.code, run.stderr).toBe(EXIT.ok);
    await ok(['hunt', '--source', `csv:${file('days.csv')}`, '--output-dir', file('hunt-file')]);
    expect(bytes('hunt-stdin/scores.csv').equals(bytes('hunt-file/scores.csv'))).toBe(true);
    expect(bytes('hunt-stdin/outliers.csv').equals(bytes('hunt-file/outliers.csv'))).toBe(true);
  });

  it('names stdin in an error about its rows, and prints nothing on stdout for a failed run', async () => {
    const run = await spawnCli(
      ['score', '--model', file('model.iforest'), '--input', '-', '--output', '-'],
      'FailedLogons_zscore,SuccessfulLogons_zscore\n1,2\n3,x\n',
    );
    expect(run.code).toBe(EXIT.badInput);
    expect(run.stdout.length).toBe(0);
    expect(run.stderr).toMatch(/^isoforest score: stdin:3[:,]/);
    expect(run.stderr.trim().split('\n')).toHaveLength(1);
  });

  it('refuses two readers of stdin, two writers of stdout, and --output-format for a file, as usage errors', async () => {
    const cases: [string[], RegExp][] = [
      [
        ['score', '--model', '-', '--input', '-', '--output', file('x.csv')],
        /only one option can read stdin: --model and --input are '-'/,
      ],
      [
        ['score', '--model', file('model.iforest'), '--input', file('features.csv'), '--output', '-', '--json'],
        /--json and --output - would both write to stdout/,
      ],
      [
        [
          'score',
          '--model',
          file('model.iforest'),
          '--input',
          file('features.csv'),
          '--output',
          file('y.csv'),
          '--output-format',
          'arrow',
        ],
        /--output-format is for a table written to stdout/,
      ],
      [
        [
          'score',
          '--model',
          file('model.iforest'),
          '--input',
          file('features.csv'),
          '--output',
          '-',
          '--output-format',
          'xlsx',
        ],
        /--output-format must be one of csv, arrow, parquet, not 'xlsx'/,
      ],
    ];
    for (const [args, message] of cases) {
      const run = await spawnCli(args);
      expect(run.code, run.stderr).toBe(EXIT.usage);
      expect(run.stderr).toMatch(message);
      expect(run.stderr.trim().split('\n')).toHaveLength(1);
    }
  });
});
