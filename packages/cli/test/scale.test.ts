import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { tableFromIPC, type Table } from 'apache-arrow';
import { describe, expect, it } from 'vitest';
import { EXIT } from '../src/exitCodes.js';
import { fnv1a32 } from '@isoforest/common';
import { userHash } from '../src/io/shard.js';
import { fixture, runCli, tempDir } from './support/runCli.js';

const MODEL = fixture('golden', 'notebook-demo', 'model.json');

async function demoFeatures(dir: string): Promise<string> {
  const path = join(dir, 'features.arrow');
  const run = await runCli(['features', '--input', fixture('demo', 'iforest-demo-data.csv'), '--output', path]);
  expect(run.code, run.stderr).toBe(EXIT.ok);
  return path;
}

async function scoreTable(args: string[]): Promise<Table> {
  const run = await runCli(['score', '--model', MODEL, ...args]);
  expect(run.code, run.stderr).toBe(EXIT.ok);
  return tableFromIPC(readFileSync(args[args.indexOf('--output') + 1]));
}

const key = (table: Table, row: number) =>
  `${table.getChild('Date')!.get(row)}|${table.getChild('DstUser')!.get(row)}|${table.getChild('AttemptedLogons')!.get(row)}`;

describe('score on several threads and in shards', () => {
  it('gives the same scores on 1 and 3 threads, bit for bit, in input order', async () => {
    const dir = tempDir();
    const input = await demoFeatures(dir);
    const one = await scoreTable(['--input', input, '--output', join(dir, 'one.arrow'), '--threads', '1']);
    const three = await scoreTable(['--input', input, '--output', join(dir, 'three.arrow'), '--threads', '3']);
    expect(three.numRows).toBe(135);
    for (const column of ['score_samples', 'decision_function', 'predict', 'score', 'DstUser']) {
      const [a, b] = [one.getChild(column)!.toArray(), three.getChild(column)!.toArray()];
      for (let row = 0; row < one.numRows; row++) expect(Object.is(a[row], b[row])).toBe(true);
    }
  });

  it('splits users between shards, and the shards together are the unsharded result', async () => {
    const dir = tempDir();
    const input = await demoFeatures(dir);
    const whole = await scoreTable(['--input', input, '--output', join(dir, 'whole.arrow')]);
    const expected = new Map<string, number>();
    for (let row = 0; row < whole.numRows; row++) expected.set(key(whole, row), whole.getChild('score')!.get(row));
    const seen = new Map<string, number>();
    const shardOfUser = new Map<string, number>();
    for (const k of [1, 2, 3]) {
      const part = await scoreTable(['--input', input, '--output', join(dir, `part${k}.arrow`), '--shard', `${k}/3`]);
      for (let row = 0; row < part.numRows; row++) {
        const user = `${part.getChild('DstDomain')!.get(row)}\\${part.getChild('DstUser')!.get(row)}`;
        expect(shardOfUser.get(user) ?? k).toBe(k);
        shardOfUser.set(user, k);
        seen.set(key(part, row), part.getChild('score')!.get(row));
      }
    }
    expect(seen.size).toBe(whole.numRows);
    for (const [rowKey, score] of expected) expect(seen.get(rowKey)).toBe(score);
  });

  it('hashes users with FNV-1a, checked against its published test vectors', () => {
    const bytes = (text: string) => new TextEncoder().encode(text);
    expect(fnv1a32(bytes(''))).toBe(0x811c9dc5);
    expect(fnv1a32(bytes('a'))).toBe(0xe40c292c);
    expect(fnv1a32(bytes('foobar'))).toBe(0xbf9cf968);
    expect(userHash('CONTOSO', 'ACC-01')).toBe(fnv1a32(bytes('CONTOSO\u0000ACC-01')));
  });

  it('refuses a malformed shard and an input without user columns', async () => {
    const bad = await runCli(['score', '--model', MODEL, '--input', 'x.csv', '--output', 'y.csv', '--shard', '4/3']);
    expect(bad.code).toBe(EXIT.usage);
    const dir = tempDir();
    const noUsers = await runCli([
      'score',
      '--model',
      fixture('golden', 'small-n', 'model.json'),
      '--input',
      fixture('golden', 'small-n', 'X.csv'),
      '--output',
      join(dir, 'o.csv'),
      '--shard',
      '1/2',
    ]);
    expect(noUsers.code).toBe(EXIT.badInput);
    expect(noUsers.stderr).toContain("--shard needs a 'DstDomain' column");
  });
});
