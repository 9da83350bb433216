// The numeric table reader on two threads (ingest's pooled workers, from its built dist/) against one thread: the
// same table, and the same first error, also when part cuts fall inside quoted fields.
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { Table } from 'apache-arrow';
import { describe, expect, it } from 'vitest';
import { mulberry32 } from '@isoforest/common';
import { IngestError } from '@isoforest/ingest';
import { readCsvBatches, type CsvTableOptions } from '../src/io/csvTable.js';
import { tempDir } from './support/runCli.js';

/**
 * Three numeric columns (some cells only the text parser reads: spaces, `+.5`) and a text column, quoted with line
 * breaks inside from row 2500 on: the parts before are read in parallel, a cut after lands inside a quoted field.
 */
function tableCsv(rows: number, bad: string | null): string {
  const random = mulberry32(3);
  let text = 'x,y,z,note\r\n';
  for (let i = 0; i < rows; i++) {
    const note = i % 4 === 0 && i >= 2500 ? `"a ""note""\r\n${'\n'.repeat(i % 50)}, ${i}"` : `plain ${i}`;
    const y = i === 1700 && bad !== null ? bad : i % 61 === 0 ? ` ${i} ` : i % 67 === 0 ? '+.5' : String(random());
    text += `${random() * 1e6},${y},${i},${note}\r\n`;
  }
  return text;
}

async function read(path: string, options: CsvTableOptions): Promise<Table | string> {
  try {
    const batches = [];
    for await (const batch of readCsvBatches(path, { batchRows: 700, ...options })) batches.push(batch);
    return new Table(batches);
  } catch (error) {
    if (error instanceof IngestError) return error.message;
    throw error;
  }
}

const TWO = { threads: 2, partBytes: 8192 };

describe('readCsvBatches on two threads', () => {
  it('reads the same numbers and text as one thread', async () => {
    const path = join(tempDir(), 'rows.csv');
    writeFileSync(path, tableCsv(3000, null));
    const one = await read(path, { threads: 1 });
    const two = await read(path, TWO);
    if (typeof one === 'string' || typeof two === 'string') throw new Error(`${String(one)} ${String(two)}`);
    expect(two.numRows).toBe(3000);
    expect(two.schema.fields.map((f) => `${f.name}:${String(f.type)}`)).toEqual([
      'x:Float64',
      'y:Float64',
      'z:Float64',
      'note:Utf8',
    ]);
    for (const name of ['x', 'y', 'z', 'note'])
      expect(two.getChild(name)!.toArray()).toEqual(one.getChild(name)!.toArray());
    expect(two.getChild('y')!.get(61)).toBe(61);
    expect(two.getChild('y')!.get(67)).toBe(0.5);
    expect(two.getChild('note')!.get(2504)).toBe('a "note"\r\n\n\n\n\n, 2504');
  }, 120_000);

  it.each([
    ['text in a numeric column', 'abc', "'abc' is not a number"],
    ['a value beyond float32', '1e39', "'1e39' is beyond the float32 range the model works in"],
  ])(
    'names the line of %s as one thread does',
    async (_, bad, problem) => {
      const path = join(tempDir(), 'rows.csv');
      writeFileSync(path, tableCsv(3000, bad));
      const one = await read(path, { threads: 1, numericColumns: ['x', 'y', 'z'] });
      expect(one).toMatch(new RegExp(`rows\\.csv:\\d+:y: ${problem.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}$`));
      expect(await read(path, { ...TWO, numericColumns: ['x', 'y', 'z'] })).toBe(one);
    },
    120_000,
  );
});
