/**
 * The core's linear memory seen from TypeScript: typed views that follow the memory when it grows (growing detaches
 * the old buffer, so a view must never be kept across a call that may grow), and a bump layout of regions.
 */

const PAGE_BYTES = 65536;
/** wasm32 addresses 4 GiB at most. */
const MAX_BYTES = 2 ** 32;

export class WasmMemory {
  readonly #memory: WebAssembly.Memory;
  #buffer: ArrayBuffer | undefined;
  #u8 = new Uint8Array(0);
  #i32 = new Int32Array(0);
  #f32 = new Float32Array(0);
  #f64 = new Float64Array(0);

  constructor(memory: WebAssembly.Memory) {
    this.#memory = memory;
  }

  /** Makes bytes `[0, end)` addressable, growing the memory if needed. Throws a RangeError when it cannot. */
  ensure(end: number): void {
    const have = this.#memory.buffer.byteLength;
    if (end <= have) return;
    if (!(end <= MAX_BYTES)) {
      throw new RangeError(
        `isoforest needs ${formatMiB(end)} of WebAssembly memory, more than the 4096 MiB a wasm32 module can address; ` +
          'score in smaller blocks or fit on fewer rows',
      );
    }
    try {
      this.#memory.grow(Math.ceil((end - have) / PAGE_BYTES));
    } catch {
      throw new RangeError(`isoforest could not grow its WebAssembly memory to ${formatMiB(end)}`);
    }
  }

  get u8(): Uint8Array {
    this.#refresh();
    return this.#u8;
  }
  get i32(): Int32Array {
    this.#refresh();
    return this.#i32;
  }
  get f32(): Float32Array {
    this.#refresh();
    return this.#f32;
  }
  get f64(): Float64Array {
    this.#refresh();
    return this.#f64;
  }

  #refresh(): void {
    const buffer = this.#memory.buffer;
    if (buffer === this.#buffer) return;
    this.#buffer = buffer;
    this.#u8 = new Uint8Array(buffer);
    this.#i32 = new Int32Array(buffer);
    this.#f32 = new Float32Array(buffer);
    this.#f64 = new Float64Array(buffer);
  }
}

function formatMiB(bytes: number): string {
  return `${Math.ceil(bytes / 2 ** 20)} MiB`;
}

/** Lays out consecutive regions from a start address; every region starts on a 16-byte boundary. */
export class Regions {
  #end: number;

  constructor(start: number) {
    this.#end = align16(start);
  }

  /** Reserves `bytes` and returns the region's address. */
  take(bytes: number): number {
    const at = this.#end;
    this.#end = align16(at + bytes);
    return at;
  }

  /** The first byte after the last region. */
  get end(): number {
    return this.#end;
  }
}

/** `n` rounded up to a multiple of 16 bytes, the alignment of every region (and of a v128 load). */
export function align16(n: number): number {
  return Math.ceil(n / 16) * 16;
}
