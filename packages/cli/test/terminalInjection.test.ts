/** Attacker-chosen names never reach the terminal raw: control characters are printed as visible escapes. */
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'csv-parse/sync';
import { describe, expect, it } from 'vitest';
import { EXIT } from '../src/exitCodes.js';
import { fixture, runCli, tempDir } from './support/runCli.js';

const CLEAR_SCREEN = '\x1b[2J';
const SET_TITLE = '\x1b]0;owned\x07';
const CSI_C1 = '\x9b31m';
const CONTROL = /[\x00-\x09\x0b-\x1f\x7f-\x9f]/;

describe('terminal escape injection', () => {
  it("the hunt's table shows hostile user names with their control characters escaped", async () => {
    const dir = tempDir();
    const rows = parse(readFileSync(fixture('demo', 'iforest-demo-data.csv')), { columns: true, bom: true }) as Record<
      string,
      string
    >[];
    for (const row of rows) row.DstUser = `${CLEAR_SCREEN}${SET_TITLE}${CSI_C1}${row.DstUser}`;
    const input = join(dir, 'days.csv');
    const quote = (v: string) => `"${v.replace(/"/g, '""')}"`;
    const header = Object.keys(rows[0]);
    writeFileSync(
      input,
      [header, ...rows.map((r) => header.map((h) => r[h]))].map((r) => r.map(quote).join(',')).join('\n'),
    );
    const run = await runCli(['hunt', '--source', `csv:${input}`, '--output-dir', join(dir, 'out')]);
    expect(run.code, run.stderr).toBe(EXIT.ok);
    expect(run.stdout).not.toMatch(CONTROL);
    expect(run.stderr).not.toMatch(CONTROL);
    expect(run.stdout).toContain('\\x1b[2J\\x1b]0;owned\\x07\\x9b31m');
  });

  it('an error message that echoes a hostile value escapes it', async () => {
    const dir = tempDir();
    const input = join(dir, 'rows.csv');
    writeFileSync(input, `f0,f1,f2,f3\n1,${CLEAR_SCREEN}x,3,4\n`);
    const run = await runCli([
      'score',
      '--model',
      fixture('golden', 'small-n', 'model.json'),
      '--input',
      input,
      '--output',
      join(dir, 'out.csv'),
    ]);
    expect(run.code).toBe(EXIT.badInput);
    expect(run.stderr).not.toMatch(CONTROL);
    expect(run.stderr).toContain('\\x1b[2Jx');
  });
});
