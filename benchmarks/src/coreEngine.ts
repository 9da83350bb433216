// The core's WebAssembly engine and its cache of distinct rows, below its public API: the score, explain and dedupe
// suites time them directly, against the reference, between TreeSHAP variants and with or without the cache. It is deliberately not in @isoforest/core's `exports` (users get models
// from loadIsoforest(), never the raw engine), so the benchmarks, a private workspace of this repository that is
// never published, import the core's build by path. This is the only file that does.
export { loadEngine, treeShapInCore, type WasmEngine } from '../../packages/core/dist/wasm/index.js';
export { BLOCK_ROWS } from '../../packages/core/dist/input.js';
export { cacheRowsFor, SHAP_CACHE_BYTES, ShapCache } from '../../packages/core/dist/shapCache.js';
