export { loadEngine, scoreBlockRows, WasmEngine } from './engine.js';
export type { CoreExports, WasmSource } from './exports.js';
export { threshold32 } from './threshold32.js';
export { treeShapInCore, type TreeShapAlgorithm } from './treeshap.js';
