import { beforeEach, describe, expect, it, vi } from 'vitest';
import type * as FormatChecks from '../src/formatChecks.js';
import type * as SklearnChecks from '../src/sklearnChecks.js';
import { createIsoforest } from '../src/isoforest.js';
import { readGoldenCase } from './support/golden.js';
import { referenceEngine } from './support/referenceEngine.js';

// Every check of a model counted: a model read from outside is checked once, by its reader, and never again by
// the model, and a forest the engine grew is not checked at all.
const calls = vi.hoisted(() => ({ flat: 0, parts: 0, sklearn: 0 }));

vi.mock('../src/formatChecks.js', async (importOriginal) => {
  const actual = await importOriginal<typeof FormatChecks>();
  return {
    ...actual,
    validateFlatForest: (...args: Parameters<typeof actual.validateFlatForest>) => {
      calls.flat++;
      return actual.validateFlatForest(...args);
    },
    validateModelParts: (...args: Parameters<typeof actual.validateModelParts>) => {
      calls.parts++;
      return actual.validateModelParts(...args);
    },
  };
});
vi.mock('../src/sklearnChecks.js', async (importOriginal) => {
  const actual = await importOriginal<typeof SklearnChecks>();
  return {
    ...actual,
    validateSklearnModel: (json: unknown) => {
      calls.sklearn++;
      return actual.validateSklearnModel(json);
    },
  };
});

const isoforest = createIsoforest(referenceEngine);
const golden = readGoldenCase('notebook-demo');

describe('a model is checked once', () => {
  beforeEach(() => {
    calls.flat = 0;
    calls.parts = 0;
    calls.sklearn = 0;
  });

  it('a scikit-learn import: the JSON checks, not the flat-forest checks', () => {
    isoforest.importSklearn(golden.modelJson);
    expect(calls).toEqual({ flat: 0, parts: 0, sklearn: 1 });
  });

  it('a native file: the flat-forest checks once, when the file is read', () => {
    const bytes = isoforest.importSklearn(golden.modelJson).save();
    calls.sklearn = 0;
    isoforest.load(bytes);
    expect(calls).toEqual({ flat: 1, parts: 0, sklearn: 0 });
  });

  it('fit (a contamination offset included): none, the engine grew the forest', () => {
    isoforest.fit(golden.x.columns, { nEstimators: 5, contamination: 0.1 });
    expect(calls).toEqual({ flat: 0, parts: 0, sklearn: 0 });
  });

  it('fromParts: the checks of model parts once; withOffset: none', () => {
    const model = isoforest.fit(golden.x.columns, { nEstimators: 5 });
    const rebuilt = isoforest.fromParts({
      forest: model.forest,
      featureNames: model.featureNames,
      offset: model.offset,
      params: model.params,
    });
    rebuilt.withOffset(-0.4);
    expect(calls).toEqual({ flat: 0, parts: 1, sklearn: 0 });
  });
});
