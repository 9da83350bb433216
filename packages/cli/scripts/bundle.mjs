// Builds the command into dist/ as a few ES modules (esbuild, code splitting): starting Node's module loader on
// about 360 files (Arrow's alone are 146) was most of a short run's time. Each command's code, Parquet's libraries
// and the report stay in chunks of their own that load when they are used, as the dynamic imports of the sources
// say; the Azure SDK (CommonJS, loaded through `require` when a Sentinel source opens) is left to Node.
//
// What the bundled packages find beside their own files at run time, `new URL('./x', import.meta.url)`, is put
// beside the bundle: the model and CSV worker-thread entries are bundles of their own, and assets (the core's .wasm,
// the report's plotly.js and its hash) are copied. The command's own `../package.json` and `../demo/` resolve from
// dist/ as they do from src/.
import { copyFileSync, existsSync, readFileSync, rmSync } from 'node:fs';
import { basename, dirname, resolve, sep } from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';

const packageDir = fileURLToPath(new URL('../', import.meta.url));
const outdir = resolve(packageDir, 'dist');
const packages = resolve(packageDir, '..');

/** The entry points by output name: the command, and the worker threads the bundled packages start by file name. */
const ENTRIES = {
  bin: resolve(packageDir, 'src/bin.ts'),
  'worker-node': resolve(packages, 'core/dist/parallel/worker-node.js'),
  csvPartWorker: resolve(packages, 'ingest/dist/csv/csvPartWorker.js'),
  csvEncodeWorker: resolve(packages, 'ingest/dist/csvOut/csvEncodeWorker.js'),
};

const FILE_URL = /new URL\((['"])(\.{1,2}\/[^'"]+)\1,\s*import\.meta\.url\)/g;

/** Points a bundled module's `new URL('./file', import.meta.url)` at the file's copy (or entry) beside the bundle. */
const filesBesideTheBundle = {
  name: 'files-beside-the-bundle',
  setup(builder) {
    const entries = new Map(Object.entries(ENTRIES).map(([name, path]) => [path, `${name}.js`]));
    const assets = new Map();
    builder.onLoad({ filter: /\.m?js$/ }, (args) => {
      const source = readFileSync(args.path, 'utf8');
      if (!source.includes('import.meta.url')) return undefined;
      const contents = source.replace(FILE_URL, (_match, quote, relative) => {
        const target = resolve(dirname(args.path), relative);
        let name = entries.get(target);
        if (name === undefined) {
          // A compiled module beside a bundled one (a worker's entry) must be bundled itself, not copied.
          if (target.includes(`${sep}dist${sep}`) || !existsSync(target)) {
            throw new Error(`${args.path} refers to ${relative}, which is neither a bundle entry nor a file to copy`);
          }
          name = basename(target);
          const copied = assets.get(name);
          if (copied !== undefined && copied !== target)
            throw new Error(`two assets named ${name}: ${copied}, ${target}`);
          assets.set(name, target);
        }
        return `new URL(${quote}./${name}${quote}, import.meta.url)`;
      });
      return { contents, loader: 'js', resolveDir: dirname(args.path) };
    });
    builder.onEnd((result) => {
      if (result.errors.length === 0) for (const [name, path] of assets) copyFileSync(path, resolve(outdir, name));
    });
  },
};

rmSync(outdir, { recursive: true, force: true });
await build({
  entryPoints: ENTRIES,
  outdir,
  bundle: true,
  splitting: true,
  format: 'esm',
  platform: 'node',
  target: 'node20.19',
  // The Azure SDK: CommonJS that expects its own files and optional dependencies at run time.
  external: ['@azure/*', 'azure-kusto-data'],
  chunkNames: 'chunk-[hash]',
  sourcemap: 'linked',
  sourcesContent: false,
  logLevel: 'warning',
  plugins: [filesBesideTheBundle],
});
