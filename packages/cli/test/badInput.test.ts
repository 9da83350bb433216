import { writeFileSync } from 'node:fs';
import { makeVector, Table, tableToIPC } from 'apache-arrow';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { EXIT } from '../src/exitCodes.js';
import { fixture, runCli, tempDir } from './support/runCli.js';

const MODEL = fixture('golden', 'small-n', 'model.json');

/** Scores `csv` (written to a file named `name`) with the small-n golden model, whose features are f0..f3. */
async function scoreText(csv: string | Buffer, name = 'rows.csv') {
  const dir = tempDir();
  const path = join(dir, name);
  writeFileSync(path, csv);
  const run = await runCli(['score', '--model', MODEL, '--input', path, '--output', join(dir, 'out.csv')]);
  return { ...run, path };
}

function expectOneLineError(run: { code: number; stderr: string; stdout: string }, code: number, ...parts: string[]) {
  expect(run.code).toBe(code);
  expect(run.stdout).toBe('');
  const lines = run.stderr.trimEnd().split('\n');
  expect(lines).toHaveLength(1);
  for (const part of parts) expect(lines[0]).toContain(part);
  expect(lines[0]).not.toMatch(/\n\s+at /);
}

describe('bad input is one line naming the file, line and column, with exit status 1', () => {
  it('a NaN deep in a multi-batch Arrow file: the file, and the row counted from its start, not from the batch', async () => {
    const dir = tempDir();
    const path = join(dir, 'rows.arrow');
    const part = (rows: number, nanAt?: number) => {
      const columns = [0, 1, 2, 3].map(() => new Float64Array(rows).map((_, i) => i % 7));
      if (nanAt !== undefined) columns[2]![nanAt] = Number.NaN;
      return new Table(Object.fromEntries(columns.map((values, c) => [`f${c}`, makeVector(values)])));
    };
    // Two record batches of 70,000 rows: the bad value is the 6th row of the second.
    writeFileSync(path, tableToIPC(part(70_000).concat(part(70_000, 5)), 'file'));
    for (const threads of ['1', '2']) {
      const run = await runCli([
        'score',
        '--model',
        MODEL,
        '--input',
        path,
        '--output',
        join(dir, 'out.csv'),
        '--threads',
        threads,
      ]);
      expectOneLineError(run, EXIT.badInput, `${path}: row 70006, column "f2": value is NaN`);
    }
  });

  it('a non-numeric cell', async () => {
    const run = await scoreText('f0,f1,f2,f3\n1,2,3,4\n1,oops,3,4\n');
    expectOneLineError(run, EXIT.badInput, `${run.path}:3:f1: 'oops' is not a number`);
  });

  it('NaN and infinite values', async () => {
    for (const bad of ['NaN', 'inf', '-Infinity']) {
      const run = await scoreText(`f0,f1,f2,f3\n1,2,3,${bad}\n`);
      expectOneLineError(run, EXIT.badInput, `${run.path}:2:f3: `, 'not a finite number');
    }
  });

  it('a value beyond float32, which the model would turn into infinity', async () => {
    const run = await scoreText('f0,f1,f2,f3\n1,2,3,1e39\n');
    expectOneLineError(run, EXIT.badInput, `${run.path}:2:f3: `, 'float32');
  });

  it('a missing feature column: a model for other features', async () => {
    const run = await scoreText('f0,f1,f2,y\n1,2,3,4\n');
    expectOneLineError(run, EXIT.badInput, run.path, "missing column 'f3'");
  });

  it('an empty input', async () => {
    expectOneLineError(await scoreText(''), EXIT.badInput, 'empty');
    expectOneLineError(await scoreText('f0,f1,f2,f3\n'), EXIT.badInput, 'no rows');
  });

  it('a ragged row', async () => {
    const run = await scoreText('f0,f1,f2,f3\n1,2,3,4\n1,2,3\n');
    expectOneLineError(run, EXIT.badInput, `${run.path}:3: expected 4 fields, found 3`);
  });

  it('bytes that are not UTF-8', async () => {
    const run = await scoreText(
      Buffer.concat([Buffer.from('f0,f1,f2,f3\n1,2,3,4\n"caf'), Buffer.from([0xe9]), Buffer.from('",2,3,4\n')]),
    );
    expectOneLineError(run, EXIT.badInput, `${run.path}:3: invalid UTF-8`);
  });

  it('an output folder that does not exist', async () => {
    for (const output of ['o.csv', 'o.arrow']) {
      const missingFolder = join(tempDir(), 'no-such-folder', output);
      const run = await runCli([
        'score',
        '--model',
        MODEL,
        '--input',
        fixture('golden', 'small-n', 'X.csv'),
        '--output',
        missingFolder,
      ]);
      expectOneLineError(run, EXIT.badInput, missingFolder, 'no such file or folder');
    }
  });

  it('a missing file and a corrupt model', async () => {
    const dir = tempDir();
    const missing = await runCli([
      'score',
      '--model',
      MODEL,
      '--input',
      join(dir, 'nope.csv'),
      '--output',
      join(dir, 'o.csv'),
    ]);
    expectOneLineError(missing, EXIT.badInput, 'nope.csv', 'no such file');
    writeFileSync(join(dir, 'bad.json'), '{"format": "sklearn-isolation-forest", "version": 1}');
    const corrupt = await runCli([
      'score',
      '--model',
      join(dir, 'bad.json'),
      '--input',
      fixture('golden', 'small-n', 'X.csv'),
      '--output',
      join(dir, 'o.csv'),
    ]);
    expectOneLineError(corrupt, EXIT.badInput, 'bad.json', 'invalid model');
  });
});

describe('usage mistakes exit with status 2', () => {
  it('an unknown option, a missing required option, an unknown command', async () => {
    expectOneLineError(await runCli(['score', '--modle', 'x']), EXIT.usage, "'--modle'");
    expectOneLineError(
      await runCli(['score', '--input', 'x.csv', '--output', 'y.csv']),
      EXIT.usage,
      '--model is required',
    );
    expectOneLineError(await runCli(['sqore']), EXIT.usage, "unknown command 'sqore'");
    expectOneLineError(
      await runCli(['fit', '--input', 'x.csv', '--model', 'm', '--trees', 'many']),
      EXIT.usage,
      '--trees',
    );
  });

  it('--help prints the options and exits 0', async () => {
    const run = await runCli(['hunt', '--help']);
    expect(run.code).toBe(EXIT.ok);
    expect(run.stdout).toContain('--source');
    expect(run.stdout).toContain('--explain');
  });
});
