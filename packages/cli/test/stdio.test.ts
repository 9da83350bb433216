/**
 * `-` for stdin and stdout, as a shell pipeline uses it: the CLI is spawned with piped input and output, and what
 * comes out must be byte for byte what the same command writes to and reads from files.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { EXIT } from '../src/exitCodes.js';
import { runCli, tempDir } from './support/runCli.js';
import { spawnCli, type SpawnedRun } from './support/spawnCli.js';

const dir = tempDir();
const file = (name: string) => join(dir, name);
const bytes = (name: string) => readFileSync(file(name));

async function ok(args: string[]): Promise<void> {
  const run = await runCli([...args, '--quiet']);
  expect(run.code, run.stderr).toBe(EXIT.ok);
}

/** Spawns `args` with `stdin` piped in: it must succeed. */
async function spawnOk(args: string[], stdin?: Uint8Array): Promise<SpawnedRun> {
  const run = await spawnCli(args, stdin);
  expect(run.code, run.stderr).toBe(EXIT.ok);
  return run;
}

/** Whether the files `a` and `b` of the test's folder hold the same bytes. */
const sameBytes = (a: string, b: string) => bytes(a).equals(bytes(b));

/** Spawns `args` with `stdin` piped in: it must succeed and print exactly the bytes the file run wrote to `expected`. */
async function expectStdout(args: string[], stdin: Uint8Array, expected: string): Promise<void> {
  const run = await spawnOk(args, stdin);
  expect(run.stdout.equals(bytes(expected))).toBe(true);
}

/** Spawns `args` with `stdin` piped in: it must exit with `code` and one line on stderr matching `message`. */
async function expectFailure(args: string[], code: number, message: RegExp, stdin?: string): Promise<SpawnedRun> {
  const run = await spawnCli(args, stdin);
  expect(run.code, run.stderr).toBe(code);
  expect(run.stderr).toMatch(message);
  expect(run.stderr.trim().split('\n')).toHaveLength(1);
  return run;
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
    const scored = await spawnOk([
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
    expect(scored.stdout.subarray(0, 6).toString()).toBe('ARROW1');
    await spawnOk(
      ['explain', '--model', file('model.iforest'), '--input', '-', '--output', file('shap-from-arrow.csv'), '-q'],
      scored.stdout,
    );
    const shapOf = (text: string) => text.split('\n').map((line) => line.split(',').slice(-3).join(','));
    // The same SHAP columns as explain of the CSV (the Arrow input also carries the score columns before them).
    expect(shapOf(readFileSync(file('shap-from-arrow.csv'), 'utf8'))).toEqual(shapOf(bytes('shap.csv').toString()));

    const fitted = await spawnOk(
      ['fit', '--input', '-', '--model', '-', '--features', 'FailedLogons_zscore,SuccessfulLogons_zscore', '-q'],
      bytes('features.csv'),
    );
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
    await spawnOk(['hunt', '--source', 'csv:-', '--output-dir', file('hunt-stdin'), '-q'], bytes('days.csv'));
    await ok(['hunt', '--source', `csv:${file('days.csv')}`, '--output-dir', file('hunt-file')]);
    expect(sameBytes('hunt-stdin/scores.csv', 'hunt-file/scores.csv')).toBe(true);
    expect(sameBytes('hunt-stdin/outliers.csv', 'hunt-file/outliers.csv')).toBe(true);
  });

  it('names stdin in an error about its rows, and prints nothing on stdout for a failed run', async () => {
    const run = await expectFailure(
      ['score', '--model', file('model.iforest'), '--input', '-', '--output', '-'],
      EXIT.badInput,
      /^isoforest score: stdin:3[:,]/,
      'FailedLogons_zscore,SuccessfulLogons_zscore\n1,2\n3,x\n',
    );
    expect(run.stdout.length).toBe(0);
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
    for (const [args, message] of cases) await expectFailure(args, EXIT.usage, message);
  });
});
