/**
 * The functions the WebAssembly core (`assembly/index.ts`) exports, typed. Pointers and sizes are byte addresses
 * and counts in the instance's linear memory; only the code in this folder calls them.
 */
export interface CoreExports {
  readonly memory: WebAssembly.Memory;
  /** First free byte after the module's static data. */
  heapBase(): number;
  /** c(n) computed inside the core (fdlibm's log, bit-identical to Math.log). */
  averagePathLength(n: number): number;
  /** Bytes of work area `growTree` needs. */
  growWorkBytes(rows: number, columns: number, maxSamples: number): number;
  /** Node capacity of one tree's output area: `2 * maxSamples - 1`. */
  treeCapacity(maxSamples: number): number;
  /** Prepares to grow trees on column-major float32 `x` with a work area of `growWorkBytes` bytes; `bootstrap` 0 or 1. */
  beginGrowth(
    x: number,
    rows: number,
    columns: number,
    maxSamples: number,
    maxFeatures: number,
    bootstrap: number,
    seed: number,
    work: number,
  ): void;
  /** Grows one tree into the output area; returns its node count. */
  growTree(tree: number, nodeBase: number, out: number): number;
  /**
   * Writes the mean path length (f64, tree levels) of rows `[0, rows)` of the column-major float32 block `x` over the
   * packed forest (packedForest.ts) to `out`; `x` and `out` must have room for `rows` rounded up to a multiple of 8.
   */
  meanPathLengths(
    nodes: number,
    values: number,
    trees: number,
    treeCount: number,
    x: number,
    rows: number,
    out: number,
  ): void;
}

/** Where to get the core's WebAssembly from: a URL or path, its bytes, or an already compiled module. */
export type WasmSource = string | URL | ArrayBuffer | ArrayBufferView | WebAssembly.Module;

/** Imports the core expects. It uses the `stub` runtime, so only `abort` could ever be called. */
export function coreImports(): WebAssembly.Imports {
  return {
    env: {
      abort(_message: number, _file: number, line: number, column: number): never {
        throw new Error(`isoforest WebAssembly core aborted at line ${line}, column ${column}`);
      },
    },
  };
}

/** Instantiates compiled bytes or a module and checks it is the core this package expects. */
export async function instantiateCore(source: BufferSource | WebAssembly.Module): Promise<CoreExports> {
  const instance =
    source instanceof WebAssembly.Module
      ? await WebAssembly.instantiate(source, coreImports())
      : (await WebAssembly.instantiate(source, coreImports())).instance;
  return checkExports(instance);
}

/** Checks that an instance exports every function of {@link CoreExports}. */
export function checkExports(instance: WebAssembly.Instance): CoreExports {
  const exports = instance.exports as unknown as CoreExports;
  const required = ['heapBase', 'growWorkBytes', 'treeCapacity', 'beginGrowth', 'growTree', 'meanPathLengths'];
  const missing = required.filter(
    (name) => typeof (exports as unknown as Record<string, unknown>)[name] !== 'function',
  );
  if (!(exports.memory instanceof WebAssembly.Memory) || missing.length > 0) {
    throw new Error(`not the isoforest WebAssembly core: missing ${missing.join(', ') || 'memory'}`);
  }
  return exports;
}
