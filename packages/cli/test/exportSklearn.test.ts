/**
 * tools/export_sklearn.py against Debian's scikit-learn (python3-sklearn, installed by scripts/ensure-sklearn.sh
 * before this suite runs): scikit-learn fits a forest, the exporter writes it, and `isoforest score` must give
 * scikit-learn's own score_samples, decision_function and predict for every row.
 */
import { execFile } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';
import { EXIT } from '../src/exitCodes.js';
import { REPO, runCli, tempDir } from './support/runCli.js';

/** Debian's interpreter, whose python3-sklearn is the one the suite installs (a python3 earlier on PATH may lack it). */
const PYTHON = '/usr/bin/python3';
const TOOLS = join(REPO, 'tools');
const FIT = new URL('./support/sklearnFit.py', import.meta.url).pathname;

const execFileAsync = promisify(execFile);

/** Runs Debian's Python; a failure says what is missing and how the suite installs it, never skips. */
async function python(args: string[]): Promise<{ stdout: string }> {
  try {
    return await execFileAsync(PYTHON, args);
  } catch (error) {
    const { stderr } = error as { stderr?: string };
    throw new Error(
      `${PYTHON} ${args[0]} failed (Debian's python3-sklearn is installed by scripts/ensure-sklearn.sh, which the ` +
        `package's test script runs): ${stderr?.trim().split('\n').at(-1) ?? String(error)}`,
      { cause: error },
    );
  }
}

/** 300 rows x 4 features from a seeded LCG, with a few far rows, written with shortest round-trip decimals. */
function writeData(path: string): void {
  let state = 12345;
  const next = () => {
    state = (Math.imul(state, 1103515245) + 12345) >>> 0;
    return state / 2 ** 32;
  };
  const rows = Array.from({ length: 300 }, (_, r) => {
    const far = r % 50 === 7 ? 8 : 0;
    return [next() * 3 + far, next() - 0.5, next() * next() * 10 - far, Math.round(next() * 20)];
  });
  writeFileSync(
    path,
    `${['bytes', 'ratio', 'spread', 'hosts'].join(',')}\n${rows.map((row) => row.join(',')).join('\n')}\n`,
  );
}

interface Expected {
  sklearn: string;
  score_samples: number[];
  decision_function: number[];
  predict: number[];
}

async function fitWithSklearn(
  params: Record<string, unknown>,
): Promise<{ dir: string; data: string; expected: Expected }> {
  const dir = tempDir();
  const data = join(dir, 'X.csv');
  writeData(data);
  await python([FIT, TOOLS, data, dir, JSON.stringify(params)]);
  return { dir, data, expected: JSON.parse(readFileSync(join(dir, 'expected.json'), 'utf8')) as Expected };
}

/** `isoforest score` of `data` with `model`, its score columns read back from CSV. */
async function scoreWithCli(model: string, data: string, dir: string) {
  const output = join(dir, 'scores.csv');
  const result = await runCli(['score', '--model', model, '--input', data, '--output', output, '--quiet']);
  expect(result.code, result.stderr).toBe(EXIT.ok);
  const [head, ...lines] = readFileSync(output, 'utf8').trim().split('\n');
  const header = head.split(',');
  const column = (name: string) => lines.map((line) => Number(line.split(',')[header.indexOf(name)]));
  return {
    scoreSamples: column('score_samples'),
    decisionFunction: column('decision_function'),
    predict: column('predict'),
  };
}

function expectClose(actual: readonly number[], expected: readonly number[]): void {
  expect(actual).toHaveLength(expected.length);
  const worst = Math.max(...actual.map((value, i) => Math.abs(value - expected[i])));
  expect(worst).toBeLessThanOrEqual(1e-12);
}

describe('tools/export_sklearn.py with Debian python3-sklearn', () => {
  it('is scikit-learn 1.2, the version of the golden cases', async () => {
    const { stdout } = await python(['-c', 'import sklearn; print(sklearn.__version__)']);
    expect(stdout.trim()).toMatch(/^1\.2\./);
  });

  for (const params of [
    { n_estimators: 60, contamination: 0.05, random_state: 3 },
    { n_estimators: 40, max_samples: 0.5, max_features: 0.75, bootstrap: true, random_state: 11 },
  ]) {
    it(`an exported forest (${JSON.stringify(params)}) scores as scikit-learn does, to 1e-12`, async () => {
      const { dir, data, expected } = await fitWithSklearn(params);
      const model = JSON.parse(readFileSync(join(dir, 'model.json'), 'utf8')) as Record<string, unknown>;
      expect(model.format).toBe('sklearn-isolation-forest');
      expect(model.feature_names).toEqual(['bytes', 'ratio', 'spread', 'hosts']);
      expect(model.estimators).toHaveLength(params.n_estimators);
      const scores = await scoreWithCli(join(dir, 'model.json'), data, dir);
      expectClose(scores.scoreSamples, expected.score_samples);
      expectClose(scores.decisionFunction, expected.decision_function);
      expect(scores.predict).toEqual(expected.predict);
      // The data has outliers, so both labels occur: the comparison of predict is not vacuous.
      expect(new Set(expected.predict)).toEqual(new Set([-1, 1]));
    });
  }

  it('from the shell, exports a joblib-saved forest to the same document', async () => {
    const { dir } = await fitWithSklearn({ n_estimators: 10, random_state: 5 });
    const output = join(dir, 'from-shell.json');
    await python([
      join(TOOLS, 'export_sklearn.py'),
      join(dir, 'forest.joblib'),
      output,
      '--features',
      'bytes,ratio,spread,hosts',
    ]);
    expect(JSON.parse(readFileSync(output, 'utf8'))).toEqual(JSON.parse(readFileSync(join(dir, 'model.json'), 'utf8')));
  });

  it('from the shell, refuses a file that is not an IsolationForest in one line, exit 2', async () => {
    const dir = tempDir();
    const notAForest = join(dir, 'list.joblib');
    await python(['-c', `import joblib; joblib.dump([1, 2], ${JSON.stringify(notAForest)})`]);
    const failure = await execFileAsync(PYTHON, [
      join(TOOLS, 'export_sklearn.py'),
      notAForest,
      join(dir, 'out.json'),
    ]).then(
      () => undefined,
      (error: { code: number; stderr: string }) => error,
    );
    expect(failure?.code).toBe(2);
    expect(failure?.stderr).toContain('holds a list, not an IsolationForest');
  });
});
