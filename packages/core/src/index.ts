/**
 * @isoforest/core: isolation forests in WebAssembly with exact TreeSHAP, scikit-learn compatible.
 *
 * ```ts
 * const isoforest = await loadIsoforest();
 * const model = isoforest.fit(table, { contamination: 0.01 });
 * const { score, predict } = model.score(table);
 * ```
 */
import { createIsoforest, type Isoforest } from './isoforest.js';
import { loadEngine } from './wasm/index.js';

/** Options for loading the WebAssembly engine (see `loadEngine`). */
export type LoadIsoforestOptions = Parameters<typeof loadEngine>[0];

let defaultIsoforest: Promise<Isoforest> | undefined;

/**
 * Loads the WebAssembly engine and returns the API that makes models (`fit`, `importSklearn`, `load`). Without
 * options the engine is loaded once and shared by later calls; with options each call loads its own.
 */
export function loadIsoforest(options?: LoadIsoforestOptions): Promise<Isoforest> {
  if (options !== undefined) return loadEngine(options).then(createIsoforest);
  defaultIsoforest ??= loadEngine()
    .then(createIsoforest)
    .catch((error: unknown) => {
      // Let a later call retry (e.g. after the .wasm file is fixed) rather than replay this failure forever.
      defaultIsoforest = undefined;
      throw error;
    });
  return defaultIsoforest;
}

export type { Isoforest } from './isoforest.js';
// A type only: models come from the Isoforest entry points, which check what they read (see model.ts).
export type { IsolationForestModel, Explanation, ModelScores } from './model.js';
export type { ModelParams, ModelParts } from './modelParts.js';
export {
  AUTO_MAX_SAMPLES,
  AUTO_OFFSET,
  DEFAULT_N_ESTIMATORS,
  resolveFitOptions,
  type FitOptions,
  type MaxSamples,
  type ResolvedFit,
} from './fit.js';
export type { FitWarning } from './fitWarning.js';
export { BLOCK_ROWS, type ModelInput } from './input.js';
export { MODEL_FORMAT, MODEL_FORMAT_VERSION } from './format.js';
export { arrowFileLayoutProblem, arrowStreamLayoutProblem, type ReadAt } from './arrowFileLayout.js';
export { SKLEARN_FORMAT, SKLEARN_FORMAT_VERSION, type SklearnIsolationForestJson } from './sklearnJson.js';
export { IsoforestError, InputError, ModelFormatError, OptionsError } from './errors.js';
export { SINGLE_ROW_SCORE, averagePathLength, scoreFromPathLength } from './pathLength.js';
export { treeCount, type FlatForest } from './forest.js';
export type { Float32Columns, TreeGrowth } from './engine.js';
export { createParallelModel, type ParallelModel, type ParallelOptions } from './parallel/parallelModel.js';
export type { BrowserWorker, BrowserWorkerEvent } from './parallel/protocol.js';
export { threadsWorthStarting, type ParallelWork } from './parallel/threadsWorthStarting.js';
export { WorkerError } from './parallel/errors.js';
