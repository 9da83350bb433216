export { loadEngine, scoreBlockRows, WasmEngine } from './engine.js';
export type { CoreExports } from './exports.js';
export { threshold32 } from './threshold32.js';
export { treeShapInCore } from './treeshap.js';
