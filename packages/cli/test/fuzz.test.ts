/**
 * The CLI on mutated copies of real inputs (a Windows Security log, a native model, an Arrow table): a fixed
 * number of mutations from a fixed seed. Every run must end with exit status 0 or 1 and at most one line on
 * stderr: no crash, no hang, never 70.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { tableFromArrays, tableToIPC } from 'apache-arrow';
import { describe, expect, it } from 'vitest';
import { mulberry32 } from '@isoforest/common';
import { EXIT } from '../src/exitCodes.js';
import { fixture, REPO, runCli, tempDir } from './support/runCli.js';

const EVTX = join(REPO, '..', 'shared', 'data', 'raw', 'omerbenamram-evtx__Security_with_size_t.evtx');
const RUNS_PER_INPUT = 12;

/** Flips a few bits, zeroes a range, or cuts the file, as chosen by `random`. */
function mutate(original: Uint8Array, random: () => number): Uint8Array {
  const at = (span = original.length) => Math.floor(random() * span);
  const bytes = original.slice();
  const kind = at(3);
  if (kind === 0) for (let k = 1 + at(8); k > 0; k--) bytes[at()] ^= 1 << at(8);
  else if (kind === 1) bytes.fill(0, at(), at() + 1 + at(256));
  else return bytes.subarray(0, at());
  return bytes;
}

function expectCleanEnd(run: { code: number; stderr: string }, what: string): void {
  expect([EXIT.ok, EXIT.badInput], `${what}: ${run.stderr}`).toContain(run.code);
  if (run.code === EXIT.badInput) expect(run.stderr.trimEnd().split('\n'), what).toHaveLength(1);
}

describe('the CLI on mutated inputs', () => {
  it('aggregate of mutated .evtx logs', async () => {
    const dir = tempDir();
    const original = new Uint8Array(readFileSync(EVTX));
    const random = mulberry32(1);
    for (let i = 0; i < RUNS_PER_INPUT; i++) {
      const input = join(dir, `log${i}.evtx`);
      writeFileSync(input, mutate(original, random));
      expectCleanEnd(
        await runCli(['aggregate', '--input', input, '--output', join(dir, `days${i}.csv`)]),
        `mutation ${i}`,
      );
    }
  });

  it('score with mutated native models and mutated Arrow inputs', async () => {
    const dir = tempDir();
    const rows = join(dir, 'rows.arrow');
    const model = join(dir, 'model.iforest');
    const data = fixture('golden', 'small-n', 'X.csv');
    expect((await runCli(['fit', '--input', data, '--model', model, '--trees', '5'])).code).toBe(EXIT.ok);
    const [header, ...lines] = readFileSync(data, 'utf8')
      .trim()
      .split('\n')
      .map((line) => line.split(','));
    const columns = Object.fromEntries(
      header.map((name, c) => [name, Float64Array.from(lines, (cells) => Number(cells[c]))]),
    );
    writeFileSync(rows, tableToIPC(tableFromArrays(columns), 'file'));
    const random = mulberry32(2);
    const originalModel = new Uint8Array(readFileSync(model));
    const originalRows = new Uint8Array(readFileSync(rows));
    for (let i = 0; i < RUNS_PER_INPUT; i++) {
      const badModel = join(dir, `model${i}.iforest`);
      writeFileSync(badModel, mutate(originalModel, random));
      expectCleanEnd(
        await runCli(['score', '--model', badModel, '--input', data, '--output', join(dir, `a${i}.csv`)]),
        `model mutation ${i}`,
      );
      const badRows = join(dir, `rows${i}.arrow`);
      writeFileSync(badRows, mutate(originalRows, random));
      expectCleanEnd(
        await runCli(['score', '--model', model, '--input', badRows, '--output', join(dir, `b${i}.csv`)]),
        `rows mutation ${i}`,
      );
    }
  });
});
