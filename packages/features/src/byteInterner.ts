import { fmix32, fnv1a32 } from '@isoforest/common';

/**
 * Interns byte strings (UTF-8 slices of Arrow buffers) to dense ids 0, 1, 2... in order of first appearance,
 * without creating a JS string per lookup: an open-addressing hash table over a growing byte arena.
 */
export class ByteInterner {
  private arena = new Uint8Array(1024);
  private arenaUsed = 0;
  private starts = new Int32Array(64);
  private ends = new Int32Array(64);
  private hashes = new Int32Array(64);
  private slots = new Int32Array(128).fill(-1);
  private count = 0;

  /** Number of distinct strings interned so far. */
  get size(): number {
    return this.count;
  }

  /** The id of `bytes[start, end)`, assigning the next id when these bytes were never seen. */
  intern(bytes: Uint8Array, start: number, end: number): number {
    const hash = bytesHash(bytes, start, end);
    const mask = this.slots.length - 1;
    for (let slot = hash & mask; ; slot = (slot + 1) & mask) {
      const id = this.slots[slot];
      if (id === -1) return this.insert(slot, hash, bytes, start, end);
      if (this.hashes[id] === hash && this.equals(id, bytes, start, end)) return id;
    }
  }

  private equals(id: number, bytes: Uint8Array, start: number, end: number): boolean {
    const from = this.starts[id];
    if (this.ends[id] - from !== end - start) return false;
    const arena = this.arena;
    for (let i = start, j = from; i < end; i++, j++) if (arena[j] !== bytes[i]) return false;
    return true;
  }

  private insert(slot: number, hash: number, bytes: Uint8Array, start: number, end: number): number {
    const id = this.count++;
    if (id === this.starts.length) this.growEntries();
    const length = end - start;
    if (this.arenaUsed + length > this.arena.length) this.growArena(length);
    this.arena.set(bytes.subarray(start, end), this.arenaUsed);
    this.starts[id] = this.arenaUsed;
    this.ends[id] = this.arenaUsed + length;
    this.arenaUsed += length;
    this.hashes[id] = hash;
    this.slots[slot] = id;
    // Keep the load factor at most 1/2 so probe runs stay short.
    if (2 * this.count > this.slots.length) this.rehash();
    return id;
  }

  private growEntries(): void {
    const capacity = this.starts.length * 2;
    this.starts = grow(this.starts, capacity);
    this.ends = grow(this.ends, capacity);
    this.hashes = grow(this.hashes, capacity);
  }

  private growArena(extra: number): void {
    const arena = new Uint8Array(Math.max(this.arena.length * 2, this.arenaUsed + extra));
    arena.set(this.arena.subarray(0, this.arenaUsed));
    this.arena = arena;
  }

  private rehash(): void {
    const slots = new Int32Array(this.slots.length * 2).fill(-1);
    const mask = slots.length - 1;
    for (let id = 0; id < this.count; id++) {
      let slot = this.hashes[id] & mask;
      while (slots[slot] !== -1) slot = (slot + 1) & mask;
      slots[slot] = id;
    }
    this.slots = slots;
  }
}

/**
 * Maps pairs of non-negative int32 ids to dense ids in order of first appearance (an open-addressing hash table,
 * so no key object or string is built per lookup).
 */
export class PairInterner {
  private firsts = new Int32Array(64);
  private seconds = new Int32Array(64);
  private slots = new Int32Array(128).fill(-1);
  private count = 0;

  /** Number of distinct pairs interned so far. */
  get size(): number {
    return this.count;
  }

  /** The id of the pair (first, second), assigning the next id when the pair was never seen. */
  intern(first: number, second: number): number {
    const mask = this.slots.length - 1;
    for (let slot = pairHash(first, second) & mask; ; slot = (slot + 1) & mask) {
      const id = this.slots[slot];
      if (id === -1) return this.insert(slot, first, second);
      if (this.firsts[id] === first && this.seconds[id] === second) return id;
    }
  }

  private insert(slot: number, first: number, second: number): number {
    const id = this.count++;
    if (id === this.firsts.length) {
      this.firsts = grow(this.firsts, id * 2);
      this.seconds = grow(this.seconds, id * 2);
    }
    this.firsts[id] = first;
    this.seconds[id] = second;
    this.slots[slot] = id;
    if (2 * this.count > this.slots.length) this.rehash();
    return id;
  }

  private rehash(): void {
    const slots = new Int32Array(this.slots.length * 2).fill(-1);
    const mask = slots.length - 1;
    for (let id = 0; id < this.count; id++) {
      let slot = pairHash(this.firsts[id], this.seconds[id]) & mask;
      while (slots[slot] !== -1) slot = (slot + 1) & mask;
      slots[slot] = id;
    }
    this.slots = slots;
  }
}

function grow(array: Int32Array, capacity: number): Int32Array<ArrayBuffer> {
  const grown = new Int32Array(capacity);
  grown.set(array);
  return grown;
}

/**
 * 32-bit FNV-1a, then MurmurHash3's finaliser so that the low bits used as the slot index depend on every byte;
 * signed, as the Int32Array of hashes stores it.
 */
function bytesHash(bytes: Uint8Array, start: number, end: number): number {
  return fmix32(fnv1a32(bytes, start, end)) | 0;
}

function pairHash(first: number, second: number): number {
  return fmix32(Math.imul(first, 0x9e3779b1) ^ second);
}
