/**
 * Record batches handed to another thread as one transferable buffer: every Arrow buffer of the batch (values,
 * offsets, validity, of each column and its children) is copied into a single `ArrayBuffer`, 8-byte aligned, and
 * described by plain numbers; the schema goes as an Arrow IPC schema message. The receiver rebuilds the same `Data`
 * (same types, offsets, lengths and null counts) over views of that buffer, without copying.
 *
 * Dictionaries (a feature table's per-user statistics: one entry per user) are sent once, not with every batch:
 * the sender remembers which dictionary vectors the receiver holds, and tells it to forget those the current batch
 * does not use, so the receiver holds at most one batch's dictionaries.
 */
import {
  Data,
  DataType,
  Message,
  MessageHeader,
  RecordBatch,
  Schema,
  Struct,
  makeVector,
  type Vector,
} from 'apache-arrow';

type BufferKind =
  | 'Int8Array'
  | 'Uint8Array'
  | 'Int16Array'
  | 'Uint16Array'
  | 'Int32Array'
  | 'Uint32Array'
  | 'Float32Array'
  | 'Float64Array'
  | 'BigInt64Array'
  | 'BigUint64Array';

const ARRAY_TYPES: Record<
  BufferKind,
  new (buffer: ArrayBuffer, byteOffset: number, length: number) => ArrayBufferView
> = {
  Int8Array,
  Uint8Array,
  Int16Array,
  Uint16Array,
  Int32Array,
  Uint32Array,
  Float32Array,
  Float64Array,
  BigInt64Array,
  BigUint64Array,
};

const KINDS = Object.keys(ARRAY_TYPES) as BufferKind[];

/** One Arrow buffer: its typed-array kind, byte position in the body and element count. */
interface BufferRef {
  readonly kind: BufferKind;
  readonly at: number;
  readonly length: number;
}

/** One `Data` (a column chunk), its buffers in `Data.buffers` order (offsets, values, validity, type ids). */
interface PackedData {
  readonly offset: number;
  readonly length: number;
  readonly nullCount: number;
  readonly buffers: (BufferRef | null)[];
  readonly children: PackedData[];
  /** The id of its dictionary (sent with this batch or an earlier one), or -1. */
  readonly dictionary: number;
}

/** A record batch as one message: what `postMessage` sends, with `body` in its transfer list. */
export interface PackedBatch {
  /** The batch's schema as an Arrow IPC schema message. */
  readonly schema: Uint8Array;
  readonly length: number;
  readonly columns: PackedData[];
  /** Dictionaries new to the receiver: id, and the chunks of the dictionary vector. */
  readonly dictionaries: { id: number; chunks: PackedData[] }[];
  /** Dictionaries the receiver may forget. */
  readonly forget: number[];
  readonly body: ArrayBuffer;
}

const align8 = (n: number) => (n + 7) & ~7;

/**
 * The buffers of `data` in `Data.buffers` order. A slice of strings keeps the whole values buffer of the batch it
 * was cut from (Arrow slices only the offsets): only its own bytes are sent, with the offsets rebased.
 */
function ownBuffers(data: Data): (ArrayBufferView | undefined)[] {
  const buffers = data.buffers as unknown as (ArrayBufferView | undefined)[];
  const offsets = data.valueOffsets as unknown;
  if (!(DataType.isUtf8(data.type) || DataType.isBinary(data.type)) || !(offsets instanceof Int32Array)) return buffers;
  const base = offsets[0]!;
  const rebased = offsets.map((offset) => offset - base);
  const values = (data.values as Uint8Array).subarray(base, offsets[data.length]!);
  return [rebased, values, buffers[2], buffers[3]];
}

/** Packs batches for one receiver, remembering the dictionaries it holds. */
export class BatchPacker {
  private readonly held = new Map<Vector, number>();
  private nextId = 0;

  /**
   * The batch as one message. `spare`, a body the receiver handed back, is used again when it is large enough:
   * fresh memory costs a page fault per 4 KiB on first touch, several times the copy itself.
   */
  pack(batch: RecordBatch, spare?: ArrayBuffer): PackedBatch {
    const views: ArrayBufferView[] = [];
    const refs: BufferRef[] = [];
    let bytes = 0;
    const refOf = (view: ArrayBufferView | undefined): BufferRef | null => {
      if (view === undefined || view === null) return null;
      // By instanceof, not by constructor name: a Node Buffer is a Uint8Array.
      const kind = KINDS.find((k) => view instanceof ARRAY_TYPES[k]);
      if (kind === undefined) throw new Error(`cannot hand a ${view.constructor.name} buffer to a worker`);
      // Columns that share an array (the features' per-user statistics share their index, the row's user) share
      // its copy: the receiver's encoder writes such columns in one run only when they still do.
      const shared = views.findIndex(
        (other, j) =>
          other.buffer === view.buffer &&
          other.byteOffset === view.byteOffset &&
          other.byteLength === view.byteLength &&
          refs[j]!.kind === kind,
      );
      if (shared >= 0) return refs[shared]!;
      const ref = { kind, at: bytes, length: view.byteLength / (view as Uint8Array).BYTES_PER_ELEMENT };
      views.push(view);
      refs.push(ref);
      bytes = align8(bytes + view.byteLength);
      return ref;
    };
    const used = new Set<Vector>();
    const dictionaries: PackedBatch['dictionaries'] = [];
    const packData = (data: Data): PackedData => {
      let dictionary = -1;
      if (data.dictionary !== undefined) {
        const vector = data.dictionary;
        used.add(vector);
        let id = this.held.get(vector);
        if (id === undefined) {
          id = this.nextId++;
          this.held.set(vector, id);
          dictionaries.push({ id, chunks: vector.data.map(packData) });
        }
        dictionary = id;
      }
      return {
        offset: data.offset,
        length: data.length,
        nullCount: data.nullCount,
        buffers: ownBuffers(data).map(refOf),
        children: data.children.map(packData),
        dictionary,
      };
    };
    const columns = batch.data.children.map(packData);
    const forget: number[] = [];
    for (const [vector, id] of this.held) {
      if (!used.has(vector)) {
        forget.push(id);
        this.held.delete(vector);
      }
    }
    // A new body has room to spare, so that the next batches, a little larger or not, fit in it again.
    const body = spare !== undefined && spare.byteLength >= bytes ? spare : new ArrayBuffer(align8(bytes * 1.25));
    const target = new Uint8Array(body);
    let at = 0;
    for (const view of views) {
      target.set(new Uint8Array(view.buffer, view.byteOffset, view.byteLength), at);
      at = align8(at + view.byteLength);
    }
    const schema = Message.encode(Message.from(batch.schema));
    return { schema, length: batch.numRows, columns, dictionaries, forget, body };
  }
}

/** Rebuilds the batches a {@link BatchPacker} packed, holding the dictionaries it was sent. */
export class BatchUnpacker {
  private readonly dictionaries = new Map<number, Vector>();

  unpack(packed: PackedBatch): RecordBatch {
    const schema = Message.decode(packed.schema).header() as Schema;
    if (!(schema instanceof Schema)) throw new Error(`expected a schema message, got header ${MessageHeader.Schema}`);
    for (const id of packed.forget) this.dictionaries.delete(id);
    // A batch's buffers are views of its body; a dictionary's are copied out, as it outlives the body (which the
    // sender may fill with a later batch).
    const view = (ref: BufferRef | null) =>
      ref === null ? undefined : new ARRAY_TYPES[ref.kind](packed.body, ref.at, ref.length);
    const copy = (ref: BufferRef | null) => {
      const array = view(ref) as Uint8Array | undefined;
      return array?.slice();
    };
    const unpackData = (type: DataType, data: PackedData, buffer = view): Data => {
      const children = data.children.map((child, k) => unpackData(type.children[k]!.type as DataType, child, buffer));
      const dictionary = data.dictionary === -1 ? undefined : this.dictionaries.get(data.dictionary);
      if (data.dictionary !== -1 && dictionary === undefined)
        throw new Error(`dictionary ${data.dictionary} was never sent`);
      return new Data(
        type,
        data.offset,
        data.length,
        data.nullCount,
        data.buffers.map(buffer) as never,
        children,
        dictionary,
      );
    };
    // A dictionary's own type is the value type of the dictionary-encoded field that uses it.
    const dictionaryTypes = new Map<number, DataType>();
    const findTypes = (type: DataType, data: PackedData) => {
      if (data.dictionary !== -1)
        dictionaryTypes.set(data.dictionary, (type as DataType & { dictionary: DataType }).dictionary);
      data.children.forEach((child, k) => findTypes(type.children[k]!.type as DataType, child));
    };
    packed.columns.forEach((column, k) => findTypes(schema.fields[k]!.type as DataType, column));
    for (const { id, chunks } of packed.dictionaries) {
      const type = dictionaryTypes.get(id);
      if (type === undefined) throw new Error(`dictionary ${id} is used by no column`);
      this.dictionaries.set(id, makeVector(chunks.map((chunk) => unpackData(type, chunk, copy))));
    }
    const columns = packed.columns.map((column, k) => unpackData(schema.fields[k]!.type as DataType, column));
    const struct = new Data(new Struct(schema.fields), 0, packed.length, 0, undefined as never, columns);
    return new RecordBatch(schema, struct);
  }
}
