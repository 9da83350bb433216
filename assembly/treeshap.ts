// TreeSHAP exports of the WebAssembly core: the explained forest (explainedForest.ts), Algorithm 2
// (treeshapAlgorithm2.ts) and its fast exact variant (treeshapFast.ts), driven by packages/core/src/wasm/treeshap.ts.
export { beginTreeShap } from './explainedForest';
export { treeShapRows, treeShapWorkBytes } from './treeshapAlgorithm2';
export {
  beginFastTreeShap, fastTreeShapBitEntries, fastTreeShapPlan, fastTreeShapPrepare, fastTreeShapPrepareWorkBytes,
  fastTreeShapRows, fastTreeShapWorkBytes, useFastTreeShapTables,
} from './treeshapFast';
