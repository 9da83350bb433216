// What a Node service embedding the core does, run from a fresh app that installed the packed tarballs:
// fit, score, explain, save and load, with tables built by the app's own apache-arrow. `node consumer.mjs A [B]`
// builds the training table with the package A (the app's apache-arrow) and scores a table built with B (another
// copy, installed under an alias), so one run also proves that two copies of apache-arrow in one app work.
// Prints one JSON line of facts for the test to check; exits non-zero on any mismatch.
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadIsoforest } from '@isoforest/core';

const [trainArrowName, scoreArrowName = trainArrowName] = process.argv.slice(2);
const trainArrow = await import(trainArrowName);
const scoreArrow = await import(scoreArrowName);
const versionOf = (name) =>
  JSON.parse(readFileSync(new URL(`node_modules/${name}/package.json`, import.meta.url))).version;

// 500 ordinary rows on a grid and one far outlier, as float64 columns.
const rows = 501;
const a = Float64Array.from({ length: rows }, (_, i) => (i === 500 ? 40 : (i % 25) / 5));
const b = Float64Array.from({ length: rows }, (_, i) => (i === 500 ? -35 : Math.floor(i / 25) / 5));
const trainTable = trainArrow.tableFromArrays({ a, b, user: Array.from({ length: rows }, (_, i) => `u${i}`) });
const scoreTable = scoreArrow.tableFromArrays({ b, a });

const isoforest = await loadIsoforest();
const model = isoforest.fit(trainTable, { nEstimators: 50, randomState: 7, contamination: 0.01 });
assert.deepEqual([...model.featureNames], ['a', 'b']);

const scores = model.score(scoreTable);
assert.deepEqual([...scores.score], [...model.score(trainTable).score], 'the other copy of apache-arrow scores alike');
assert.deepEqual([...scores.score], [...model.score({ a, b }).score], 'Arrow input scores like plain columns');
assert.equal(scores.predict[500], -1, 'the planted outlier is flagged');
let top = 0;
for (let i = 1; i < rows; i++) if (scores.score[i] > scores.score[top]) top = i;
assert.equal(top, 500, 'the planted outlier scores highest');

// TreeSHAP: per row, the contributions sum to the mean path length minus the expected value.
const explanation = model.explain(scoreTable);
let maxAdditivityError = 0;
for (let i = 0; i < rows; i++) {
  const sum = explanation.values[0][i] + explanation.values[1][i];
  const error = Math.abs(sum - (scores.meanPathLength[i] - explanation.expectedValue));
  maxAdditivityError = Math.max(maxAdditivityError, error);
}
assert.ok(maxAdditivityError < 1e-9, `SHAP values add up (error ${maxAdditivityError})`);

// Save to a file and load it back: the same scores, bit for bit.
const dir = mkdtempSync(join(tmpdir(), 'isoforest-consumer-'));
try {
  const file = join(dir, 'model.isoforest');
  writeFileSync(file, model.save());
  const loaded = isoforest.load(readFileSync(file));
  assert.deepEqual([...loaded.score(scoreTable).score], [...scores.score], 'a loaded model scores alike');
} finally {
  rmSync(dir, { recursive: true, force: true });
}

console.log(
  JSON.stringify({
    node: process.versions.node,
    trainArrow: versionOf(trainArrowName),
    scoreArrow: versionOf(scoreArrowName),
    outlierScore: scores.score[500],
    outliers: scores.predict.filter((p) => p === -1).length,
    maxAdditivityError,
  }),
);
