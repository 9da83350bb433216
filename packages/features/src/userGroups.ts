import { DataType, type Data, type RecordBatch, type Table, type Vector } from 'apache-arrow';
import { ByteInterner, PairInterner } from './byteInterner.js';
import { requireColumn } from './countColumn.js';
import { FeatureError } from './errors.js';
import { USER_KEY_COLUMNS } from './userDayColumns.js';

/** Every row's user, as a dense group id. */
export interface UserGroups {
  /** `groupOf[row]` is the 0-based id of the row's (DstDomain, DstUser) group; ids follow first appearance. */
  readonly groupOf: Int32Array;
  /** Number of distinct (DstDomain, DstUser) pairs. */
  readonly groups: number;
}

/**
 * Groups the rows of a user-day table by (DstDomain, DstUser), reading the Arrow buffers directly. The key columns
 * may be Utf8 or dictionary-encoded Utf8, in any number of record batches (dictionaries may differ per batch).
 * Strings are compared by their UTF-8 bytes; a null key is a {@link FeatureError} naming the row and column.
 */
export function groupRowsByUser(table: Table): UserGroups {
  const [domainName, userName] = USER_KEY_COLUMNS;
  const domains = new KeyColumn(domainName);
  const users = new KeyColumn(userName);
  const domainIds = new Int32Array(table.numRows);
  const domainCount = domains.fillIds(requireColumn(table, domainName), domainIds);
  const userIds = new Int32Array(table.numRows);
  const userCount = users.fillIds(requireColumn(table, userName), userIds);
  return domainCount * userCount <= Math.max(DIRECT_PAIR_TABLE_MIN, 2 * table.numRows)
    ? pairGroupsDirect(domainIds, userIds, userCount, domainCount)
    : pairGroupsHashed(domainIds, userIds);
}

/** Below this many (domain, user) combinations a direct lookup table is always cheap enough (16 MiB). */
const DIRECT_PAIR_TABLE_MIN = 1 << 22;

/**
 * Groups by pair with a lookup table indexed by `domain * userCount + user`: the usual case (a few domains), and
 * several times faster than hashing. Used only when the table is not much larger than the input.
 */
function pairGroupsDirect(
  domainIds: Int32Array,
  userIds: Int32Array,
  userCount: number,
  domainCount: number,
): UserGroups {
  const groupOfPair = new Int32Array(domainCount * userCount).fill(-1);
  const groupOf = new Int32Array(domainIds.length);
  let groups = 0;
  for (let row = 0; row < groupOf.length; row++) {
    const pair = domainIds[row] * userCount + userIds[row];
    let group = groupOfPair[pair];
    if (group === -1) group = groupOfPair[pair] = groups++;
    groupOf[row] = group;
  }
  return { groupOf, groups };
}

function pairGroupsHashed(domainIds: Int32Array, userIds: Int32Array): UserGroups {
  const pairs = new PairInterner();
  const groupOf = new Int32Array(domainIds.length);
  for (let row = 0; row < groupOf.length; row++) groupOf[row] = pairs.intern(domainIds[row], userIds[row]);
  return { groupOf, groups: pairs.size };
}

/**
 * {@link groupRowsByUser} over a table that arrives in record batches: group ids follow first appearance over all
 * the batches given so far, so the ids of a batch are the ones `groupRowsByUser` gives the same rows of the whole
 * table. Memory grows with the distinct users, not the rows.
 */
export class UserGrouper {
  private readonly domains = new KeyColumn(USER_KEY_COLUMNS[0]);
  private readonly users = new KeyColumn(USER_KEY_COLUMNS[1]);
  private readonly pairs = new PairInterner();

  /** Distinct (DstDomain, DstUser) pairs seen so far. */
  get groups(): number {
    return this.pairs.size;
  }

  /** The group id of every row of `batch`, whose first row is row `firstRow` of the whole table (for error messages). */
  groupOf(batch: Table | RecordBatch, firstRow = 0): Int32Array {
    const [domainName, userName] = USER_KEY_COLUMNS;
    const domainIds = new Int32Array(batch.numRows);
    this.domains.fillIds(requireColumn(batch, domainName), domainIds, firstRow);
    const userIds = new Int32Array(batch.numRows);
    this.users.fillIds(requireColumn(batch, userName), userIds, firstRow);
    for (let row = 0; row < domainIds.length; row++) domainIds[row] = this.pairs.intern(domainIds[row], userIds[row]);
    return domainIds;
  }
}

/** The id of a null dictionary entry: no interned string has it. */
const NULL_ENTRY = -1;

/** One key column: turns its strings into dense ids, interning each dictionary entry only once. */
class KeyColumn {
  private readonly interner = new ByteInterner();
  /**
   * Interned ids of each dictionary chunk's entries: dictionaries are shared (and grown by deltas) across batches.
   * Weak, so that a streamed table's dictionaries are freed with their batches.
   */
  private readonly dictionaryIds = new WeakMap<Data, Int32Array>();

  constructor(private readonly name: string) {}

  /**
   * Writes the id of every row's string of `column` into `ids`; returns the number of distinct strings seen so far
   * (ids are below it). `firstRow` is the row number of the column's first row, for error messages.
   */
  fillIds(column: Vector, ids: Int32Array, firstRow = 0): number {
    let rowStart = 0;
    for (const chunk of column.data) {
      if (DataType.isDictionary(chunk.type) && DataType.isUtf8(chunk.type.dictionary)) {
        this.fillFromDictionary(chunk, rowStart, ids, firstRow);
      } else if (DataType.isUtf8(chunk.type)) {
        this.fillFromUtf8(chunk, rowStart, ids);
      } else {
        throw new FeatureError(
          `column ${this.name} has type ${String(chunk.type)}; expected Utf8 strings (plain or dictionary-encoded)`,
          {
            column: this.name,
          },
        );
      }
      this.rejectNulls(chunk, rowStart, firstRow);
      rowStart += chunk.length;
    }
    return this.interner.size;
  }

  private fillFromUtf8(chunk: Data, rowStart: number, ids: Int32Array): void {
    const offsets = chunk.valueOffsets as Int32Array;
    const bytes = chunk.values as Uint8Array;
    for (let i = 0; i < chunk.length; i++) ids[rowStart + i] = this.interner.intern(bytes, offsets[i], offsets[i + 1]);
  }

  private fillFromDictionary(chunk: Data, rowStart: number, ids: Int32Array, firstRow: number): void {
    const entryIds = this.idsOfDictionary(chunk.dictionary as Vector);
    const indices = chunk.values as ArrayLike<number>;
    for (let i = 0; i < chunk.length; i++) {
      const id = entryIds[indices[i]];
      if (id === NULL_ENTRY && chunk.getValid(i)) throw this.nullKey(firstRow + rowStart + i);
      ids[rowStart + i] = id;
    }
  }

  private idsOfDictionary(dictionary: Vector): Int32Array {
    if (dictionary.data.length === 1) return this.idsOfDictionaryChunk(dictionary.data[0]);
    const ids = new Int32Array(dictionary.length);
    let start = 0;
    for (const chunk of dictionary.data) {
      ids.set(this.idsOfDictionaryChunk(chunk), start);
      start += chunk.length;
    }
    return ids;
  }

  private idsOfDictionaryChunk(chunk: Data): Int32Array {
    let ids = this.dictionaryIds.get(chunk);
    if (ids === undefined) {
      ids = new Int32Array(chunk.length);
      this.fillFromUtf8(chunk, 0, ids);
      if (chunk.nullCount > 0) for (let i = 0; i < chunk.length; i++) if (!chunk.getValid(i)) ids[i] = NULL_ENTRY;
      this.dictionaryIds.set(chunk, ids);
    }
    return ids;
  }

  /** Rows whose own validity bit is clear: a null string, or a null dictionary index. */
  private rejectNulls(chunk: Data, rowStart: number, firstRow: number): void {
    if (chunk.nullCount === 0) return;
    for (let i = 0; i < chunk.length; i++) if (!chunk.getValid(i)) throw this.nullKey(firstRow + rowStart + i);
  }

  private nullKey(row: number): FeatureError {
    return new FeatureError(`column ${this.name}, row ${row}: user key is null`, { column: this.name, row });
  }
}
