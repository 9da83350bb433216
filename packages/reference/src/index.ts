export { averagePathLength } from './averagePathLength.js';
export { LEAF, maxDepthFor, treeCount, type Columns, type FlatForest, type Growth } from './forest.js';
export { createRng, seedState, xoshiro128, type Rng } from './rng.js';
export { growForest, growForestOnSample, trainingRowsOf } from './train.js';
export { meanPathLength, scoreFromPathLength } from './score.js';
export { treeDepths, treeShap, treeShapExpectedValue } from './treeshap.js';
