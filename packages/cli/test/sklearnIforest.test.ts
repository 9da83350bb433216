/**
 * scikit-learn's `sklearn/ensemble/tests/test_iforest.py`, tried through the CLI as a scikit-learn user would type it:
 * `max_samples` as an int (a count: `1` is one row) or a float (a fraction: `1.0` is every row), a count above the
 * rows (a warning, all rows used), one training row. The library-level port, with the list of tests that do not
 * apply, is packages/core/test/sklearnIforest.test.ts.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { EXIT } from '../src/exitCodes.js';
import { fixture, runCli, tempDir } from './support/runCli.js';

const dir = tempDir();

function writeCsv(name: string, rows: readonly (readonly number[])[]): string {
  const path = join(dir, name);
  const header = rows[0].map((_, c) => `x${c}`).join(',');
  writeFileSync(path, `${[header, ...rows.map((row) => row.join(','))].join('\n')}\n`);
  return path;
}

/** 150 rows x 4 features in three groups, the shape of iris. */
const iris = writeCsv(
  'iris.csv',
  Array.from({ length: 150 }, (_, r) => {
    const group = r % 3;
    return [
      5 + group + ((r * 7) % 10) / 10,
      3 + ((r * 3) % 7) / 10,
      1.5 + 2 * group + ((r * 11) % 9) / 10,
      0.2 + group * 0.9 + ((r * 5) % 4) / 10,
    ];
  }),
);
/** scikit-learn's toy sample of test_iforest_works (fixtures/sklearn/README.md): the last two rows are the outliers. */
const toy = fixture('sklearn', 'toy-sample.csv');

const CAPPED_WARNING =
  'isoforest fit: warning: max_samples (1000) is greater than the total number of samples (150). max_samples will be set to n_samples for estimation.';

async function fit(input: string, ...args: string[]) {
  const model = join(dir, `model-${Math.random().toString(36).slice(2)}.iforest`);
  const run = await runCli(['fit', '--input', input, '--model', model, ...args]);
  return { ...run, model };
}

/** The score columns `isoforest score` appends, read back from its CSV output. */
async function score(model: string, input: string): Promise<{ scoreSamples: number[]; predict: number[] }> {
  const output = join(dir, `scores-${Math.random().toString(36).slice(2)}.csv`);
  const run = await runCli(['score', '--model', model, '--input', input, '--output', output]);
  expect(run.code, run.stderr).toBe(EXIT.ok);
  const [head, ...lines] = readFileSync(output, 'utf8').trim().split('\n');
  const header = head.split(',');
  const column = (name: string) => lines.map((line) => Number(line.split(',')[header.indexOf(name)]));
  return { scoreSamples: column('score_samples'), predict: column('predict') };
}

describe('test_iforest_error and test_max_samples_attribute, through isoforest fit', { timeout: 120_000 }, () => {
  it("--max-samples 1000 on 150 rows: all rows for all trees, and scikit-learn's warning on stderr, even with --quiet", async () => {
    const run = await fit(iris, '--max-samples', '1000');
    expect(run.code, run.stderr).toBe(EXIT.ok);
    expect(run.stderr).toContain(`${CAPPED_WARNING}\n`);
    expect(run.stderr).toMatch(/max_samples 150, offset -0.5/);
    const quiet = await fit(iris, '--max-samples', '1000', '--quiet');
    expect(quiet.code).toBe(EXIT.ok);
    expect(quiet.stderr).toBe(`${CAPPED_WARNING}\n`);
  });

  it('no warning for auto or a count within the rows', async () => {
    for (const value of ['auto', '2', '150']) {
      const run = await fit(iris, '--max-samples', value);
      expect(run.code, run.stderr).toBe(EXIT.ok);
      expect(run.stderr).not.toMatch(/warning/);
    }
  });

  it('reads an integer as a count and a decimal or percentage as a fraction, as scikit-learn reads int and float', async () => {
    const cases: [string, number][] = [
      ['1', 1],
      ['2', 2],
      ['64', 64],
      ['1.0', 150],
      ['1.', 150],
      ['100%', 150],
      ['0.4', 60],
      ['.4', 60],
      ['40%', 60],
      ['12.5%', 18],
    ];
    for (const [value, resolved] of cases) {
      const run = await fit(iris, '--max-samples', value, '--trees', '5');
      expect(run.code, `${value}: ${run.stderr}`).toBe(EXIT.ok);
      expect(run.stderr, value).toMatch(new RegExp(`max_samples ${resolved}, offset`));
    }
  });

  it("refuses what scikit-learn refuses, and forms that could mean either, with exit 2 and the flag's name", async () => {
    // scikit-learn: -1, 0.0, 2.0, "foobar", 1.5 are ValueErrors; 0, 1e3, 150% and the empty text have no clear meaning.
    for (const value of ['-1', '0.0', '2.0', 'foobar', '1.5', '0', '1e3', '0x10', '150%', '0%', '+5', '1,000', '']) {
      const run = await fit(iris, `--max-samples=${value}`);
      expect(run.code, value).toBe(EXIT.usage);
      const lines = run.stderr.trim().split('\n');
      expect(lines[0], value).toMatch(/^isoforest fit: --max-samples /);
      expect(run.stderr, value).toContain(`not '${value}'`);
    }
  });

  it('--help says which is which', async () => {
    const run = await runCli(['fit', '--help']);
    expect(run.code).toBe(EXIT.ok);
    const help = run.stdout.replace(/\s+/g, ' ');
    expect(help).toContain(
      'a whole number is a count of rows (1 = one row; above the rows = all rows, with a warning)',
    );
    expect(help).toContain('a decimal or a percentage is a fraction of the rows (0.5, 1.0 = 100% = all rows)');
  });
});

describe(
  'one row per tree and one training row (test_iforest_with_uniform_data, test_iforest), through the CLI',
  { timeout: 120_000 },
  () => {
    it('--max-samples 1: one-row trees, every row scores -0.5 and is an inlier', async () => {
      const run = await fit(iris, '--max-samples', '1');
      expect(run.code, run.stderr).toBe(EXIT.ok);
      const { scoreSamples, predict } = await score(run.model, iris);
      expect(scoreSamples).toEqual(new Array(150).fill(-0.5));
      expect(predict).toEqual(new Array(150).fill(1));
    });

    it('a single training row fits; it and other rows are inliers, -0.5, also with a contamination', async () => {
      const single = writeCsv('single.csv', [[0.3, -1.2, 2.5, 0.7]]);
      for (const extra of [[], ['--contamination', '0.1']]) {
        const run = await fit(single, ...extra);
        expect(run.code, run.stderr).toBe(EXIT.ok);
        expect(run.stderr).toMatch(/on 1 rows x 4 features .* max_samples 1, offset -0.5/);
        for (const input of [single, iris]) {
          const { scoreSamples, predict } = await score(run.model, input);
          expect(scoreSamples.every((s) => s === -0.5)).toBe(true);
          expect(predict.every((p) => p === 1)).toBe(true);
        }
      }
    });
  },
);

describe('test_iforest_works, through the CLI', { timeout: 120_000 }, () => {
  it.each(['0.25', 'auto'])(
    'contamination %s: the two outliers score worst and are the ones predicted',
    async (contamination) => {
      for (const seed of ['0', '1', '2']) {
        const run = await fit(toy, '--contamination', contamination, '--seed', seed);
        expect(run.code, run.stderr).toBe(EXIT.ok);
        const { scoreSamples, predict } = await score(run.model, toy);
        expect(Math.max(...scoreSamples.slice(-2))).toBeLessThan(Math.min(...scoreSamples.slice(0, -2)));
        expect(predict).toEqual([1, 1, 1, 1, 1, 1, -1, -1]);
      }
    },
  );
});

describe('test_max_samples_attribute, through isoforest hunt and its --json', { timeout: 120_000 }, () => {
  it('--max-samples 1000 on the 135 demo user-days: all of them per tree, the warning on stderr and in the JSON', async () => {
    const run = await runCli(['hunt', '--json', '--max-samples', '1000', '--output-dir', tempDir()]);
    expect(run.code, run.stderr).toBe(EXIT.ok);
    const message =
      'max_samples (1000) is greater than the total number of samples (135). max_samples will be set to n_samples for estimation.';
    expect(run.stderr).toContain(`isoforest hunt: warning: ${message}\n`);
    const json = JSON.parse(run.stdout) as { model: { maxSamples: number; warnings: string[] } };
    expect(json.model).toMatchObject({ maxSamples: 135, warnings: [message] });
    const plain = JSON.parse((await runCli(['hunt', '--json', '--output-dir', tempDir()])).stdout) as {
      model: { warnings: string[] };
    };
    expect(plain.model.warnings).toEqual([]);
  });
});
