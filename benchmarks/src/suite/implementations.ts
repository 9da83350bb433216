// The implementations compared, each called through its own public API, and the checks that they compute the same
// thing before anything is timed.
import { createRequire } from 'node:module';
import type { FlatForest as CoreForest, IsolationForestModel, Isoforest } from '@isoforest/core';
import * as reference from '@isoforest/reference';
import { IsolationForest as JsIsolationForest } from 'isolation-forest';
import { IsolationForest as MlIsolationForest } from 'ml-isolation-forest';
import { sampleRowIndices, type Dataset } from './data.js';

const require = createRequire(import.meta.url);
const versionOf = (name: string): string => (require(`${name}/package.json`) as { version: string }).version;

/** Display names; the peers carry the version measured. */
export const IMPL: Readonly<Record<'wasm' | 'reference' | 'jsPeer' | 'mlPeer', string>> = {
  wasm: 'WASM core',
  reference: 'TS reference',
  jsPeer: `isolation-forest ${versionOf('isolation-forest')}`,
  mlPeer: `ml-isolation-forest ${versionOf('ml-isolation-forest')}`,
};

/** Seed of every forest grown here (ours and the peers' row samples). */
export const FOREST_SEED = 7;

/**
 * How each implementation is trained in the fit task. The npm peers are handed a `maxSamples`-row sample of the rows
 * (drawn inside the timed call): isolation-forest 0.0.9 computes a subsample but then grows every tree on all the
 * rows it is given (at 100k rows one fit takes ~40 s), and ml-isolation-forest 0.1.0 has no subsampling at all, so
 * fitting either on all rows would time a different algorithm with much larger trees.
 */
export const FIT_NOTES: Readonly<Partial<Record<keyof typeof IMPL, string>>> = {
  wasm: 'checks every row and converts it to float32 before drawing the per-tree samples (scikit-learn also validates all of X), so at a million rows and more its fit time is mostly that pass over the rows; the reference is handed float32 rows and the peers read only their sample',
  jsPeer: 'fit on a seeded maxSamples-row sample (0.0.9 grows every tree on all rows it is given)',
  mlPeer: 'fit on a seeded maxSamples-row sample (it has no subsampling)',
};

/** Growth parameters of the reference for a cell, matching `isoforest.fit` with the same options. */
export function referenceGrowth(dataset: Dataset, trees: number, maxSamples: number): reference.Growth {
  return { trees, maxSamples, maxFeatures: dataset.columns.length, bootstrap: false, seed: FOREST_SEED };
}

/** What each implementation's fit call returns: the model the score and explain groups then use. */
export interface Fitted {
  readonly wasm: IsolationForestModel;
  readonly reference: reference.FlatForest;
  readonly jsPeer: JsIsolationForest;
  readonly mlPeer: MlIsolationForest;
}

/** One fit call per implementation, on `dataset`. */
export function fitCalls(
  isoforest: Isoforest,
  dataset: Dataset,
  trees: number,
  maxSamples: number,
): { readonly [K in keyof Fitted]: () => Fitted[K] } {
  return {
    wasm: () => isoforest.fit(dataset.record, { nEstimators: trees, maxSamples, randomState: FOREST_SEED }),
    reference: () => reference.growForest(dataset.float32, referenceGrowth(dataset, trees, maxSamples)),
    jsPeer: () => {
      const forest = new JsIsolationForest(trees, maxSamples);
      forest.fit(dataset.objectRows(sampleRowIndices(dataset.rows, maxSamples, FOREST_SEED)));
      return forest;
    },
    mlPeer: () => {
      const forest = new MlIsolationForest({ nEstimators: trees });
      forest.train(dataset.arrayRows(sampleRowIndices(dataset.rows, maxSamples, FOREST_SEED)));
      return forest;
    },
  };
}

/** scikit-learn's score_samples from the reference: mean path length, then -2^(-m / c(maxSamples)). */
export function referenceScores(forest: reference.FlatForest, x: reference.Columns, maxSamples: number): Float64Array {
  const normaliser = reference.averagePathLength(maxSamples);
  return reference.meanPathLength(forest, x).map((m) => reference.scoreFromPathLength(m, normaliser));
}

/** Throws unless the reference grew exactly the forest the WASM core grew (they share one algorithm and PRNG). */
export function checkSameForest(wasmForest: CoreForest, referenceForest: reference.FlatForest): void {
  const fields = ['treeOffsets', 'feature', 'threshold', 'left', 'nodeSamples'] as const;
  for (const field of fields) {
    const a = wasmForest[field];
    const b = referenceForest[field];
    if (a.length !== b.length)
      throw new Error(`fit: ${field} has ${a.length} entries in WASM, ${b.length} in the reference`);
    for (let i = 0; i < a.length; i++) {
      if (!Object.is(a[i], b[i])) throw new Error(`fit: WASM and reference forests differ at ${field}[${i}]`);
    }
  }
}

/** Throws unless `actual` equals `expected` bit for bit. */
export function checkIdentical(what: string, expected: ArrayLike<number>, actual: ArrayLike<number>): void {
  if (expected.length !== actual.length)
    throw new Error(`${what}: ${actual.length} values, expected ${expected.length}`);
  for (let i = 0; i < expected.length; i++) {
    if (!Object.is(expected[i], actual[i])) throw new Error(`${what}: differs at ${i}: ${actual[i]} vs ${expected[i]}`);
  }
}

/** Largest |WASM - reference| over the SHAP values (reference output is column-major, like the WASM columns). */
export function shapDifference(
  wasmValues: readonly Float64Array[],
  referenceValues: Float64Array,
  rows: number,
): number {
  let max = 0;
  wasmValues.forEach((column, c) => {
    for (let r = 0; r < rows; r++) max = Math.max(max, Math.abs(column[r] - referenceValues[c * rows + r]));
  });
  return max;
}
