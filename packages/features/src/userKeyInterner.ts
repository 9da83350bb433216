import { halfSipHash13 } from './halfSipHash.js';

/**
 * Interns (domain, user) keys, each two UTF-8 byte strings (slices of Arrow buffers), to dense ids 0, 1, 2... in
 * order of first appearance: an open-addressing hash table over a growing byte arena, with no JS string built per
 * lookup. One lookup per row, where interning each column and then the pair of ids took three; a streamed hunt
 * looks every row's user up in its first pass, and then only checks a row's key against the id it found (`holds`).
 */
export class UserKeyInterner {
  private arena = new Uint8Array(1024);
  private arenaUsed = 0;
  /**
   * Per id, ENTRY values side by side (one cache line to read, not four, when a pass checks a row's key): where its
   * domain starts in `arena`, where its user starts (the domain's end), where the user ends, and the key's hash.
   */
  private entries = new Int32Array(64 * ENTRY);
  private slots = new Int32Array(128).fill(-1);
  private count = 0;

  /** Number of distinct keys interned so far. */
  get size(): number {
    return this.count;
  }

  /**
   * The slots that looking every interned key up once reads: the table's work, linear in {@link size} while keys
   * spread over the slots, quadratic when they share one hash. Computed from where each key sits, so that the lookups
   * count nothing.
   */
  probeCount(): number {
    const mask = this.slots.length - 1;
    let probes = 0;
    for (let slot = 0; slot < this.slots.length; slot++) {
      const id = this.slots[slot];
      if (id !== -1) probes += ((slot - this.entries[id * ENTRY + HASH]) & mask) + 1;
    }
    return probes;
  }

  /** The id of the key, assigning the next id when it was never seen. */
  intern(
    domain: Uint8Array,
    domainStart: number,
    domainEnd: number,
    user: Uint8Array,
    userStart: number,
    userEnd: number,
  ): number {
    const hash = keyHash(domain, domainStart, domainEnd, user, userStart, userEnd);
    const slot = this.slotOf(hash, domain, domainStart, domainEnd, user, userStart, userEnd);
    const id = this.slots[slot];
    return id !== -1 ? id : this.insert(slot, hash, domain, domainStart, domainEnd, user, userStart, userEnd);
  }

  /** Whether `id` is the key's id: the key, byte for byte, of an id met before. */
  holds(
    id: number,
    domain: Uint8Array,
    domainStart: number,
    domainEnd: number,
    user: Uint8Array,
    userStart: number,
    userEnd: number,
  ): boolean {
    return id >= 0 && id < this.count && this.equals(id, domain, domainStart, domainEnd, user, userStart, userEnd);
  }

  /** The slot holding the key, or the empty slot where it would go. */
  private slotOf(
    hash: number,
    domain: Uint8Array,
    domainStart: number,
    domainEnd: number,
    user: Uint8Array,
    userStart: number,
    userEnd: number,
  ): number {
    const mask = this.slots.length - 1;
    for (let slot = hash & mask; ; slot = (slot + 1) & mask) {
      const id = this.slots[slot];
      if (id === -1) return slot;
      if (
        this.entries[id * ENTRY + HASH] === hash &&
        this.equals(id, domain, domainStart, domainEnd, user, userStart, userEnd)
      )
        return slot;
    }
  }

  private equals(
    id: number,
    domain: Uint8Array,
    domainStart: number,
    domainEnd: number,
    user: Uint8Array,
    userStart: number,
    userEnd: number,
  ): boolean {
    const at = id * ENTRY;
    const start = this.entries[at + START];
    const split = this.entries[at + SPLIT];
    if (split - start !== domainEnd - domainStart || this.entries[at + END] - split !== userEnd - userStart)
      return false;
    const arena = this.arena;
    for (let i = domainStart, j = start; i < domainEnd; i++, j++) if (arena[j] !== domain[i]) return false;
    for (let i = userStart, j = split; i < userEnd; i++, j++) if (arena[j] !== user[i]) return false;
    return true;
  }

  private insert(
    slot: number,
    hash: number,
    domain: Uint8Array,
    domainStart: number,
    domainEnd: number,
    user: Uint8Array,
    userStart: number,
    userEnd: number,
  ): number {
    const id = this.count++;
    const at = id * ENTRY;
    if (at === this.entries.length) this.entries = grow(this.entries, this.entries.length * 2);
    const length = domainEnd - domainStart + (userEnd - userStart);
    if (this.arenaUsed + length > this.arena.length) this.growArena(length);
    this.entries[at + START] = this.arenaUsed;
    this.arena.set(domain.subarray(domainStart, domainEnd), this.arenaUsed);
    this.arenaUsed += domainEnd - domainStart;
    this.entries[at + SPLIT] = this.arenaUsed;
    this.arena.set(user.subarray(userStart, userEnd), this.arenaUsed);
    this.arenaUsed += userEnd - userStart;
    this.entries[at + END] = this.arenaUsed;
    this.entries[at + HASH] = hash;
    this.slots[slot] = id;
    // Keep the load factor at most 1/2 so probe runs stay short.
    if (2 * this.count > this.slots.length) this.rehash();
    return id;
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
      let slot = this.entries[id * ENTRY + HASH] & mask;
      while (slots[slot] !== -1) slot = (slot + 1) & mask;
      slots[slot] = id;
    }
    this.slots = slots;
  }
}

/** The values an id's entry holds, and where each is in it. */
const ENTRY = 4;
const START = 0;
const SPLIT = 1;
const END = 2;
const HASH = 3;

function grow(array: Int32Array, capacity: number): Int32Array<ArrayBuffer> {
  const grown = new Int32Array(capacity);
  grown.set(array);
  return grown;
}

/**
 * A 64-bit key drawn for each process: user names are chosen by whoever sends the logons (a failed logon's name is
 * the attacker's), and keys made to collide would turn every lookup into a walk of the table. HalfSipHash is a keyed
 * function whose collisions cannot be found without the key; MurmurHash3, used before, has multicollisions that hold
 * whatever its seed.
 */
const KEY = globalThis.crypto.getRandomValues(new Int32Array(2));
const KEY0 = KEY[0];
const KEY1 = KEY[1];

/** The key's hash: the domain's length, its bytes (padded to whole words) and the user's (see {@link halfSipHash13}). */
function keyHash(
  domain: Uint8Array,
  domainStart: number,
  domainEnd: number,
  user: Uint8Array,
  userStart: number,
  userEnd: number,
): number {
  return halfSipHash13(KEY0, KEY1, domainEnd - domainStart, domain, domainStart, domainEnd, user, userStart, userEnd);
}
