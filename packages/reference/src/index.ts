export { averagePathLength, EULER_GAMMA } from './averagePathLength.js';
export { LEAF, maxDepthFor, treeCount, type Columns, type FlatForest, type Growth } from './forest.js';
export { createRng, fmix32, seedState, xoshiro128, type Rng } from './rng.js';
export { checkGrowth, growForest, treeFeatures, treeRows } from './train.js';
export { meanPathLength, scoreFromPathLength } from './score.js';
export * from './treeshap.js';
