import type { Engine } from './engine.js';
import { fitModel, type FitOptions } from './fit.js';
import { treeCount } from './forest.js';
import { readModelFile } from './format.js';
import type { FitWarning } from './fitWarning.js';
import { validateModelParts } from './formatChecks.js';
import type { ModelInput } from './input.js';
import { IsolationForestModel } from './model.js';
import type { ModelParts } from './modelParts.js';
import { importSklearnModel } from './sklearn.js';

/** The entry points that make models; every model it returns scores with the same engine. */
export interface Isoforest {
  /**
   * Trains an isolation forest on `input` with scikit-learn's semantics (see {@link FitOptions}); deterministic for
   * a given `randomState` (default 0). Throws OptionsError for a bad option, InputError for bad data.
   */
  fit(input: ModelInput, options?: FitOptions): IsolationForestModel;
  /**
   * Imports a scikit-learn IsolationForest exported in the `sklearn-isolation-forest` v1 JSON format (the text or
   * the parsed object). Scores match scikit-learn's. Throws ModelFormatError naming the tree and node of a problem.
   */
  importSklearn(json: string | object): IsolationForestModel;
  /** Loads a model saved by `model.save()`. Throws ModelFormatError for anything but a valid version-1 model file. */
  load(bytes: Uint8Array): IsolationForestModel;
  /**
   * A model from a forest grown outside `fit` (e.g. by `@isoforest/reference` on the rows its trees draw), checked
   * as strictly as a loaded file: throws ModelFormatError naming the tree and node of a problem. `warnings` are
   * carried as the model's (what resolving the fit options reported).
   */
  fromParts(parts: ModelParts, warnings?: readonly FitWarning[]): IsolationForestModel;
}

/**
 * The isoforest API over a given engine: the WebAssembly one from `loadIsoforest`, or (in tests) the plain-TypeScript
 * reference. Each entry point checks what it reads exactly once; the model's constructor trusts it.
 */
export function createIsoforest(engine: Engine): Isoforest {
  return {
    fit: (input, options) => fitModel(engine, input, options),
    importSklearn(json) {
      const imported = importSklearnModel(json);
      const { forest } = imported;
      return new IsolationForestModel(engine, {
        forest,
        featureNames: imported.featureNames,
        offset: imported.offset,
        params: {
          source: 'sklearn',
          nEstimators: treeCount(forest),
          maxSamples: imported.maxSamples,
          maxFeatures: imported.maxFeatures,
          bootstrap: null,
          contamination: imported.contamination,
          randomState: null,
        },
      });
    },
    load: (bytes) => new IsolationForestModel(engine, readModelFile(bytes)),
    fromParts: (parts, warnings = []) => new IsolationForestModel(engine, validateModelParts(parts), warnings),
  };
}
