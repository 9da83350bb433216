import { fileURLToPath } from 'node:url';

/**
 * The notebook's demo user-days (Azure-Sentinel-Notebooks, MIT; see fixtures/demo/NOTICE.md), bundled so that
 * `isoforest hunt` with no options has something real to hunt.
 */
export const DEMO_DATA_CSV = fileURLToPath(new URL('../../../fixtures/demo/iforest-demo-data.csv', import.meta.url));
