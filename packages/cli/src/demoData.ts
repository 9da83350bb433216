import { fileURLToPath } from 'node:url';

/**
 * The notebook's demo user-days (Azure-Sentinel-Notebooks, MIT; see demo/NOTICE.md), bundled so that
 * `isoforest hunt` with no options has something real to hunt. The build copies them from fixtures/demo into the
 * package's demo/ folder, which `../demo/` reaches from both src/ and dist/.
 */
export const DEMO_DATA_CSV = fileURLToPath(new URL('../demo/iforest-demo-data.csv', import.meta.url));
