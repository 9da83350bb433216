/**
 * @isoforest/common: the small helpers several isoforest packages need, written once. Nothing here knows about
 * forests, logons or files; each helper is tested against published values. The Arrow helpers are the separate
 * entry `@isoforest/common/arrow`, so that only packages that use Arrow need apache-arrow (an optional peer here).
 */
export { fmix32, fnv1a32 } from './hash.js';
export { mapInOrder } from './mapInOrder.js';
export { pearson } from './pearson.js';
export { linearQuantile } from './quantile.js';
export { mulberry32 } from './seeded.js';
export { groupThousands } from './thousands.js';
