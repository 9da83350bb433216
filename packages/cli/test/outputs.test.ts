/**
 * Outputs are all or nothing: a command that fails half-way leaves no file (and an older file of that name as it
 * was), never a complete-looking partial one; an output that names one of the inputs is refused before anything
 * is read or written.
 */
import { existsSync, mkdirSync, readdirSync, readFileSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { tableFromIPC } from 'apache-arrow';
import { describe, expect, it } from 'vitest';
import { EXIT } from '../src/exitCodes.js';
import { fixture, runCli, tempDir } from './support/runCli.js';

const MODEL = fixture('golden', 'small-n', 'model.json');

/** 10,000 rows of the small-n model's features, with a bad cell in data row `badRow` (line `badRow + 1`). */
function rowsWithBadCell(badRow: number): string {
  let csv = 'f0,f1,f2,f3\n';
  for (let i = 1; i <= 10_000; i++) csv += i === badRow ? '1,oops,3,4\n' : `${i % 7},${i % 5},${i % 3},${i % 11}\n`;
  return csv;
}

describe('a command that fails half-way leaves no output', () => {
  for (const name of ['out.csv', 'out.arrow']) {
    it(`score failing at row 8,005 leaves no ${name} and keeps the older file of that name`, async () => {
      const dir = tempDir();
      const input = join(dir, 'rows.csv');
      writeFileSync(input, rowsWithBadCell(8005));
      const output = join(dir, name);
      writeFileSync(output, 'the previous run');
      const run = await runCli(['score', '--model', MODEL, '--input', input, '--output', output]);
      expect(run.code).toBe(EXIT.badInput);
      expect(run.stderr).toContain(`${input}:8006:f1`);
      expect(readFileSync(output, 'utf8')).toBe('the previous run');
      expect(readdirSync(dir).sort()).toEqual([name, 'rows.csv'].sort());
    });
  }

  it('hunt whose last output cannot be written leaves none of the others', async () => {
    const dir = tempDir();
    const outputDir = join(dir, 'hunt');
    const run = await runCli([
      'hunt',
      '--output-dir',
      outputDir,
      '--save-model',
      join(dir, 'no-such-folder', 'model.iforest'),
    ]);
    expect(run.code).toBe(EXIT.badInput);
    expect(run.stderr).toContain(`${join(dir, 'no-such-folder', 'model.iforest')}: no such file or folder`);
    expect(readdirSync(outputDir)).toEqual([]);
  });

  it('a successful run leaves exactly its outputs, no temporary files', async () => {
    const dir = tempDir();
    const input = join(dir, 'rows.csv');
    writeFileSync(input, 'f0,f1,f2,f3\n1,2,3,4\n');
    const run = await runCli(['score', '--model', MODEL, '--input', input, '--output', join(dir, 'out.arrow')]);
    expect(run.code, run.stderr).toBe(EXIT.ok);
    expect(readdirSync(dir).sort()).toEqual(['out.arrow', 'rows.csv']);
    expect(tableFromIPC(readFileSync(join(dir, 'out.arrow'))).numRows).toBe(1);
  });

  it('aggregate of events holding no logon writes an Arrow file with the user-day schema and no rows', async () => {
    const dir = tempDir();
    const events = join(dir, 'events.jsonl');
    writeFileSync(events, '{"EventID": 4688, "TimeCreated": "2024-01-01 00:00:00", "TargetUserName": "x"}\n');
    const run = await runCli(['aggregate', '--input', events, '--output', join(dir, 'days.arrow')]);
    expect(run.code, run.stderr).toBe(EXIT.ok);
    const table = tableFromIPC(readFileSync(join(dir, 'days.arrow')));
    expect(table.numRows).toBe(0);
    expect(table.schema.fields.map((f) => f.name)).toContain('DstUser');
  });
});

describe('an output that is one of the inputs is refused', () => {
  it('score and features with --output the --input, by the same name, another spelling or a link', async () => {
    const dir = tempDir();
    const input = join(dir, 'rows.csv');
    const content = 'f0,f1,f2,f3\n1,2,3,4\n';
    writeFileSync(input, content);
    symlinkSync(input, join(dir, 'link.csv'));
    mkdirSync(join(dir, 'sub'));
    for (const output of [input, join(dir, 'sub', '..', 'rows.csv'), join(dir, 'link.csv')]) {
      const run = await runCli(['score', '--model', MODEL, '--input', input, '--output', output]);
      expect(run.code).toBe(EXIT.usage);
      expect(run.stderr).toContain(`the output ${output} is the input ${input}`);
    }
    const features = await runCli(['features', '--input', input, '--output', input]);
    expect(features.code).toBe(EXIT.usage);
    expect(readFileSync(input, 'utf8')).toBe(content);
  });

  it('aggregate with the output among its inputs, and fit writing its model over its input', async () => {
    const dir = tempDir();
    const events = join(dir, 'events.csv');
    const content = 'EventID,TimeGenerated,TargetUserName\n4624,2024-01-01T00:00:00Z,alice\n';
    writeFileSync(events, content);
    const aggregate = await runCli(['aggregate', '--input', events, '--output', events]);
    expect(aggregate.code).toBe(EXIT.usage);
    const fit = await runCli(['fit', '--input', events, '--model', events]);
    expect(fit.code).toBe(EXIT.usage);
    expect(readFileSync(events, 'utf8')).toBe(content);
  });

  it('hunt with --output-dir naming a file is a usage error', async () => {
    const dir = tempDir();
    const file = join(dir, 'not-a-folder');
    writeFileSync(file, 'x');
    const run = await runCli(['hunt', '--output-dir', file]);
    expect(run.code).toBe(EXIT.usage);
    expect(run.stderr).toContain(`--output-dir ${file} is a file, not a folder`);
    expect(existsSync(join(dir, 'not-a-folder'))).toBe(true);
  });
});
