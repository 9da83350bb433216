// The core's WebAssembly engine, below its public API: the score and explain suites time it directly, against the
// reference and between TreeSHAP variants. It is deliberately not in @isoforest/core's `exports` (users get models
// from loadIsoforest(), never the raw engine), so the benchmarks, a private workspace of this repository that is
// never published, import the core's build by path. This is the only such import.
export { loadEngine, treeShapInCore, type WasmEngine } from '../../packages/core/dist/wasm/index.js';
