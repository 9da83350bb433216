import { describe, expect, it } from 'vitest';
import { MODEL_FEATURES } from '@isoforest/features';
import { NOTEBOOK_PARAMETERS } from '@isoforest/hunt';
import { DEFAULT_PARAMS, ParamsError, paramsFromFragment, paramsToFragment, parseParams } from '../src/params.js';

describe("the hunt's parameters and their URL fragment", () => {
  it("defaults to the notebook's parameters and six features, with an empty fragment", () => {
    expect(DEFAULT_PARAMS).toEqual({
      contamination: NOTEBOOK_PARAMETERS.contamination,
      trees: null,
      maxSamples: 'auto',
      maxFeatures: 1,
      seed: 42,
      features: MODEL_FEATURES,
      explain: 'auto',
    });
    expect(paramsToFragment(DEFAULT_PARAMS)).toBe('');
    expect(paramsFromFragment('')).toEqual(DEFAULT_PARAMS);
  });

  it('round-trips changed parameters through the fragment, naming only what differs', () => {
    const params = {
      ...DEFAULT_PARAMS,
      contamination: 0.05,
      trees: 300,
      maxSamples: 0.5,
      seed: 7,
      features: ['FailedLogons', 'DistinctSrcIp'],
      explain: 'flagged' as const,
    };
    const fragment = paramsToFragment(params);
    expect(fragment).toBe(
      'contamination=0.05&trees=300&maxSamples=0.5&seed=7&features=FailedLogons%2CDistinctSrcIp&explain=flagged',
    );
    expect(paramsFromFragment(`#${fragment}`)).toEqual(params);
    expect(paramsFromFragment('#contamination=auto').contamination).toBe('auto');
  });

  it('refuses values the forest cannot take, naming the parameter and what it expects', () => {
    expect(() => parseParams({ contamination: '0.6' })).toThrow(
      new ParamsError('contamination=0.6: expected a share in (0, 0.5] or auto'),
    );
    expect(() => parseParams({ trees: '2.5' })).toThrow('trees=2.5: expected a whole number from 1 to 10000');
    expect(() => parseParams({ maxSamples: '1.5' })).toThrow(
      'maxSamples=1.5: expected auto, a fraction in (0, 1] or a whole count',
    );
    expect(() => parseParams({ seed: '-1' })).toThrow('seed=-1: expected a whole number from 0 to 4294967295');
    expect(() => parseParams({ explain: 'some' })).toThrow('explain=some: expected auto, flagged, all');
    expect(() => paramsFromFragment('#contamination=<script>')).toThrow('contamination=<script>: expected');
  });
});
