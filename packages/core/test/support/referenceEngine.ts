import { growForest, meanPathLength, treeShap } from '@isoforest/reference';
import type { Engine } from '../../src/engine.js';

/** The plain-TypeScript reference implementation behind the Engine interface: the oracle the WASM engine must match. */
export const referenceEngine: Engine = {
  growForest: (x, growth) => growForest(x, growth),
  meanPathLength: (forest, x) => meanPathLength(forest, x),
  treeShap: (forest, x) => treeShap(forest, x),
};
