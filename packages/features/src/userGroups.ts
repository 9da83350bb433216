import { DataType, type Data, type RecordBatch, type Table, type Utf8, type Vector } from 'apache-arrow';
import { requireColumn } from './countColumn.js';
import { FeatureError } from './errors.js';
import { USER_KEY_COLUMNS } from './userDayColumns.js';
import { UserKeyInterner } from './userKeyInterner.js';

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
  const grouper = new UserGrouper();
  const groupOf = grouper.groupOf(table);
  return { groupOf, groups: grouper.groups };
}

/**
 * {@link groupRowsByUser} over a table that arrives in record batches: group ids follow first appearance over all
 * the batches given so far, so the ids of a batch are the ones `groupRowsByUser` gives the same rows of the whole
 * table. Memory grows with the distinct users, not the rows.
 */
export class UserGrouper {
  private readonly keys = new UserKeyInterner();

  /** Distinct (DstDomain, DstUser) pairs seen so far. */
  get groups(): number {
    return this.keys.size;
  }

  /** The group id of every row of `batch`, whose first row is row `firstRow` of the whole table (for error messages). */
  groupOf(batch: Table | RecordBatch, firstRow = 0): Int32Array {
    return this.ids(batch, firstRow, null);
  }

  /**
   * The group ids of the rows `rows` of `batch` (0-based in the batch, ascending; default all), taken from `known`,
   * the ids of all the batch's rows as the first read of the table found them: each row's key is checked against
   * its id's, byte for byte, and another user is a {@link FeatureError}, since the table changed since its users
   * were grouped. A check, not a lookup in the table of users.
   */
  knownGroupOf(batch: Table | RecordBatch, firstRow: number, known: Int32Array, rows?: ArrayLike<number>): Int32Array {
    return this.ids(batch, firstRow, known, rows);
  }

  /** Each row's id: interned, or checked against `known` (see {@link knownGroupOf}). */
  private ids(
    batch: Table | RecordBatch,
    firstRow: number,
    known: Int32Array | null,
    rows?: ArrayLike<number>,
  ): Int32Array {
    const [domainName, userName] = USER_KEY_COLUMNS;
    const domains = keyChunks(requireColumn(batch, domainName), domainName, firstRow);
    const users = keyChunks(requireColumn(batch, userName), userName, firstRow);
    const n = rows === undefined ? batch.numRows : rows.length;
    const ids = known === null ? new Int32Array(n) : null;
    const keys = this.keys;
    let d = 0;
    let u = 0;
    let domain = domains[0];
    let user = users[0];
    for (let k = 0; k < n; k++) {
      const row = rows === undefined ? k : rows[k];
      while (row >= domain.end) domain = domains[++d];
      while (row >= user.end) user = users[++u];
      const dk = domain.indices === null ? row - domain.first : domain.indices[row - domain.first];
      const uk = user.indices === null ? row - user.first : user.indices[row - user.first];
      const { values: dv, offsets: doff } = domain;
      const { values: uv, offsets: uoff } = user;
      if (ids !== null) ids[k] = keys.intern(dv, doff[dk], doff[dk + 1], uv, uoff[uk], uoff[uk + 1]);
      else if (!keys.holds(known![row], dv, doff[dk], doff[dk + 1], uv, uoff[uk], uoff[uk + 1]))
        throw inputChanged(firstRow + row);
    }
    if (ids !== null) return ids;
    return rows === undefined ? known! : Int32Array.from(rows, (row) => known![row]);
  }
}

function inputChanged(row: number): FeatureError {
  return new FeatureError(
    `row ${row} holds another user than the first read of the input did: the input changed while it was read`,
    { row },
  );
}

/**
 * One chunk of a key column as byte ranges: the key of the batch's row `r` (`first <= r < end`) is
 * `values[offsets[k], offsets[k + 1])`, `k` being `indices[r - first]` for dictionary-encoded strings, else `r - first`.
 */
interface KeyChunk {
  readonly first: number;
  readonly end: number;
  readonly values: Uint8Array;
  readonly offsets: Int32Array;
  readonly indices: ArrayLike<number> | null;
}

/**
 * The chunks of a key column of Utf8 or dictionary-encoded Utf8 strings, checked: another type, or a null string
 * (a null dictionary index or entry), is a {@link FeatureError} naming the column (and the row, counted from
 * `firstRow`).
 */
function keyChunks(column: Vector, name: string, firstRow: number): KeyChunk[] {
  const chunks: KeyChunk[] = [];
  let first = 0;
  for (const chunk of column.data) {
    const end = first + chunk.length;
    if (DataType.isDictionary(chunk.type) && DataType.isUtf8(chunk.type.dictionary)) {
      const { values, offsets, nullEntries } = dictionaryStrings(chunk.dictionary as Vector);
      const indices = chunk.values as ArrayLike<number>;
      for (let i = 0; i < chunk.length; i++) {
        if ((chunk.nullCount > 0 && !chunk.getValid(i)) || (nullEntries !== null && nullEntries[indices[i]] === 1))
          throw nullKey(name, firstRow + first + i);
      }
      chunks.push({ first, end, values, offsets, indices });
    } else if (DataType.isUtf8(chunk.type)) {
      if (chunk.nullCount > 0)
        for (let i = 0; i < chunk.length; i++) if (!chunk.getValid(i)) throw nullKey(name, firstRow + first + i);
      chunks.push({ first, end, values: chunk.values, offsets: chunk.valueOffsets, indices: null });
    } else {
      throw new FeatureError(
        `column ${name} has type ${String(chunk.type)}; expected Utf8 strings (plain or dictionary-encoded)`,
        { column: name },
      );
    }
    first = end;
  }
  return chunks;
}

/**
 * A dictionary's strings as one values buffer and its offsets, and which entries are null (`null`: none). A
 * dictionary grown by deltas comes in several chunks: their bytes are joined, never decoded, so that keys stay
 * compared byte for byte.
 */
function dictionaryStrings(dictionary: Vector): DictionaryStrings {
  const chunks = dictionary.data as Data<Utf8>[];
  const last = chunks[chunks.length - 1];
  if (last === undefined) return { values: new Uint8Array(0), offsets: new Int32Array(1), nullEntries: null };
  let strings = joinedDictionaries.get(last);
  if (strings === undefined) {
    strings = joinDictionary(dictionary, chunks);
    joinedDictionaries.set(last, strings);
  }
  return strings;
}

interface DictionaryStrings {
  readonly values: Uint8Array;
  readonly offsets: Int32Array;
  readonly nullEntries: Uint8Array | null;
}

/**
 * Each dictionary's strings, by its last chunk: batches share a dictionary (a delta adds a chunk, so a grown one is
 * joined again), and it is joined once for all of them. Weak, so that it goes with the batches.
 */
const joinedDictionaries = new WeakMap<Data, DictionaryStrings>();

function joinDictionary(dictionary: Vector, chunks: Data<Utf8>[]): DictionaryStrings {
  const nullEntries = dictionary.nullCount > 0 ? new Uint8Array(dictionary.length) : null;
  if (nullEntries !== null) for (let k = 0; k < dictionary.length; k++) if (!dictionary.isValid(k)) nullEntries[k] = 1;
  if (chunks.length === 1) return { values: chunks[0].values, offsets: chunks[0].valueOffsets, nullEntries };
  const offsets = new Int32Array(dictionary.length + 1);
  let bytes = 0;
  let entry = 0;
  for (const chunk of chunks) {
    const from = chunk.valueOffsets;
    for (let i = 0; i < chunk.length; i++) offsets[++entry] = bytes + (from[i + 1] - from[0]);
    bytes += from[chunk.length] - from[0];
  }
  const values = new Uint8Array(bytes);
  for (let c = 0, at = 0; c < chunks.length; c++) {
    const from = chunks[c].valueOffsets;
    values.set(chunks[c].values.subarray(from[0], from[chunks[c].length]), at);
    at += from[chunks[c].length] - from[0];
  }
  return { values, offsets, nullEntries };
}

function nullKey(column: string, row: number): FeatureError {
  return new FeatureError(`column ${column}, row ${row}: user key is null`, { column, row });
}
