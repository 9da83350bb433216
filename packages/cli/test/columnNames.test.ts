/** Column names are data: names that are also Object.prototype's keys pass through; absurdly many are refused. */
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { Field, Float64, makeVector, Schema, Table, tableFromIPC, tableToIPC } from 'apache-arrow';
import { describe, expect, it } from 'vitest';
import { EXIT } from '../src/exitCodes.js';
import { recordBatchOf } from '../src/io/recordBatchOf.js';
import { fixture, runCli, tempDir } from './support/runCli.js';

const MODEL = fixture('golden', 'small-n', 'model.json');
const NAMES = ['f0', 'f1', 'f2', 'f3', '__proto__', 'constructor', 'toString'];

/** An Arrow file of two rows with the given column names, every value its column index. */
function arrowInput(dir: string, names: readonly string[]): string {
  const batch = recordBatchOf(names.map((name, c) => [name, makeVector(Float64Array.of(c, c + 0.5))] as const));
  const path = join(dir, 'rows.arrow');
  writeFileSync(path, tableToIPC(new Table([batch]), 'file'));
  return path;
}

describe('column names', () => {
  it('score keeps columns named __proto__, constructor and toString, in order, with their values', async () => {
    const dir = tempDir();
    for (const input of [arrowInput(dir, NAMES)]) {
      const output = join(dir, 'out.arrow');
      const run = await runCli(['score', '--model', MODEL, '--input', input, '--output', output]);
      expect(run.code, run.stderr).toBe(EXIT.ok);
      const table = tableFromIPC(readFileSync(output));
      expect(table.schema.fields.map((f) => f.name)).toEqual([
        ...NAMES,
        'score_samples',
        'decision_function',
        'predict',
        'score',
      ]);
      expect(Array.from(table.getChildAt(4)!.toArray() as Float64Array)).toEqual([4, 4.5]);
      expect(Array.from(table.getChildAt(5)!.toArray() as Float64Array)).toEqual([5, 5.5]);
    }
  });

  it('refuses an input of more than 10,000 columns with a one-line error naming the file', async () => {
    const dir = tempDir();
    const input = arrowInput(dir, ['f0', 'f1', 'f2', 'f3', ...Array.from({ length: 10_000 }, (_, k) => `extra${k}`)]);
    const run = await runCli(['score', '--model', MODEL, '--input', input, '--output', join(dir, 'out.arrow')]);
    expect(run.code).toBe(EXIT.badInput);
    expect(run.stderr.trim()).toBe(`isoforest score: ${input}: 10004 columns: more than the 10000 this reads`);
  });

  it('recordBatchOf builds its schema from the fields given, in order', () => {
    const batch = recordBatchOf([
      [new Field('__proto__', new Float64(), false), makeVector(Float64Array.of(1))],
      ['b', makeVector(Float64Array.of(2))],
    ]);
    expect(batch.schema).toBeInstanceOf(Schema);
    expect(batch.schema.fields.map((f) => [f.name, f.nullable])).toEqual([
      ['__proto__', false],
      ['b', true],
    ]);
  });
});
