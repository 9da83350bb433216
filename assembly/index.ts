// The WebAssembly core's exports: pure numerics over flat memory, driven by packages/core/src/wasm/.
export { heapBase } from './memory';
export { averagePathLength, fdlibmLog } from './pathLength';
export { beginGrowth, growTree, growWorkBytes, treeCapacity } from './train';
export { meanPathLengths } from './score';
export * from './treeshap';
