/**
 * `.gz` and `.zip` read in one streaming pass with fflate (which also runs in browsers): compressed bytes are
 * pushed in small pieces, and what they expand to is handed on as it comes, never the whole member. The work is
 * bounded: a member that expands past `maxMemberBytes`, an archive past `maxTotalBytes`, or an expansion ratio
 * beyond `maxRatio` (a zip bomb; real logs compress 10 to 50 times) is refused with an `IngestError`.
 */
import { Gunzip, Unzip, UnzipInflate, UnzipPassThrough, type UnzipFile } from 'fflate';
import { IngestError } from '../errors.js';

/** Bounds on what an archive may expand to. */
export interface ArchiveLimits {
  /** Largest expanded member (or `.gz` content), bytes; default 8 GiB. */
  readonly maxMemberBytes?: number;
  /** Largest expanded total of one archive, bytes; default 32 GiB. */
  readonly maxTotalBytes?: number;
  /** Largest ratio of expanded to compressed bytes, checked once 64 MiB have come out; default 500. */
  readonly maxRatio?: number;
  /** Most members in one zip; default 100,000. */
  readonly maxMembers?: number;
}

const GiB = 1024 ** 3;
const DEFAULTS = { maxMemberBytes: 8 * GiB, maxTotalBytes: 32 * GiB, maxRatio: 500, maxMembers: 100_000 };
/** Output below this is never called a bomb, whatever the ratio (a small file of zeros is fine). */
const RATIO_FLOOR_BYTES = 64 * 1024 * 1024;
/**
 * Compressed bytes pushed at a time. fflate decodes a deflate block again from its start on every push until the
 * block is complete, so small pushes cost time on real data (16 KiB pushes made the OTRF zip several times slower
 * than 128 KiB); deflate expands at most ~1,032 times, so one push yields at most ~130 MiB before the limits are
 * checked.
 */
const PIECE = 128 * 1024;

/**
 * Expanded bytes are handed on in slices of at most this many bytes: the text readers after them are fastest on
 * chunks of about this size (fflate hands out whole blocks, often several hundred KiB).
 */
const OUT_SLICE = 64 * 1024;

function* slices(data: Uint8Array): Generator<Uint8Array> {
  for (let at = 0; at < data.length; at += OUT_SLICE) yield data.subarray(at, Math.min(data.length, at + OUT_SLICE));
}

/** A member of a zip: its path inside the archive and its expanded bytes, pulled on demand. */
export interface ArchiveMember {
  readonly name: string;
  readonly bytes: AsyncIterable<Uint8Array>;
}

/** Counts expanded bytes against the limits; `label` names the archive in errors. */
class ExpansionBudget {
  private readonly limits: Required<ArchiveLimits>;
  private compressed = 0;
  private total = 0;
  private member = 0;

  constructor(
    private readonly label: string,
    limits: ArchiveLimits,
  ) {
    this.limits = { ...DEFAULTS, ...limits };
  }

  get maxMembers(): number {
    return this.limits.maxMembers;
  }

  read(n: number): void {
    this.compressed += n;
  }

  startMember(): void {
    this.member = 0;
  }

  /** Counts `n` expanded bytes of `where`; throws when a limit is passed. */
  expanded(n: number, where: string): void {
    this.member += n;
    this.total += n;
    const { maxMemberBytes, maxTotalBytes, maxRatio } = this.limits;
    if (this.member > maxMemberBytes)
      throw new IngestError(where, null, null, `expands past the ${maxMemberBytes}-byte limit per member; refused`);
    if (this.total > maxTotalBytes)
      throw new IngestError(
        this.label,
        null,
        null,
        `expands past the ${maxTotalBytes}-byte limit per archive; refused`,
      );
    if (this.total > RATIO_FLOOR_BYTES && this.total > maxRatio * Math.max(1, this.compressed)) {
      throw new IngestError(
        where,
        null,
        null,
        `expands ${Math.round(this.total / Math.max(1, this.compressed))} times (${this.total} bytes from ${this.compressed}), past the limit of ${maxRatio}: a zip bomb? refused`,
      );
    }
  }
}

type Piece = { kind: 'member'; name: string } | { kind: 'data'; data: Uint8Array; final: boolean };

/**
 * Drives a push-based fflate stream from an async byte source: `pull` pushes the next compressed bytes (in
 * `PIECE`s) and returns false once the input is over.
 */
function pushFrom(
  input: AsyncIterable<Uint8Array>,
  push: (piece: Uint8Array, final: boolean) => void,
  budget: ExpansionBudget,
): () => Promise<boolean> {
  const iterator = input[Symbol.asyncIterator]();
  let ended = false;
  return async () => {
    if (ended) return false;
    const next = await iterator.next();
    if (next.done === true) {
      ended = true;
      push(new Uint8Array(0), true);
      return true;
    }
    let bytes = next.value;
    // Gather small reads into one piece (fewer, larger pushes are much faster), then push at most PIECE at a time.
    while (bytes.length < PIECE) {
      const more = await iterator.next();
      if (more.done === true) break;
      const joined = new Uint8Array(bytes.length + more.value.length);
      joined.set(bytes);
      joined.set(more.value, bytes.length);
      bytes = joined;
    }
    for (let at = 0; at < bytes.length; at += PIECE) {
      const piece = bytes.subarray(at, Math.min(bytes.length, at + PIECE));
      budget.read(piece.length);
      push(piece, false);
    }
    return true;
  };
}

/** The expanded bytes of a gzip stream (several gzip members one after the other are read as one, as `gunzip`). */
export async function* gunzipBytes(
  input: AsyncIterable<Uint8Array>,
  label: string,
  limits: ArchiveLimits = {},
): AsyncGenerator<Uint8Array> {
  const budget = new ExpansionBudget(label, limits);
  const out: Uint8Array[] = [];
  let failure: unknown = null;
  const gunzip = new Gunzip((data) => {
    if (failure !== null) return;
    try {
      budget.expanded(data.length, label);
      out.push(data);
    } catch (error) {
      failure = error;
    }
  });
  const pull = pushFrom(
    input,
    (piece, final) => {
      try {
        gunzip.push(piece, final);
      } catch (error) {
        throw new IngestError(label, null, null, `not a readable gzip stream: ${(error as Error).message}`);
      }
      if (failure !== null) throw failure;
    },
    budget,
  );
  while (await pull()) {
    while (out.length > 0) yield* slices(out.shift()!);
  }
}

/**
 * The members of a zip, in archive order, each with its expanded bytes; a member's bytes must be consumed (or
 * abandoned) before the next member is asked for. Folders inside the archive are plain name prefixes
 * (`logs/day1/a.json`); directory entries themselves are not yielded. Stored and deflated members are read;
 * another compression method is an `IngestError` naming the member.
 */
export async function* unzipMembers(
  input: AsyncIterable<Uint8Array>,
  label: string,
  limits: ArchiveLimits = {},
): AsyncGenerator<ArchiveMember> {
  const budget = new ExpansionBudget(label, limits);
  const queue: Piece[] = [];
  let failure: unknown = null;
  let members = 0;
  let current = label;
  /** The member whose data has not ended yet, if any. */
  let open: string | null = null;
  const unzip = new Unzip((file: UnzipFile) => {
    if (failure !== null) return;
    const where = `${label}!${file.name}`;
    if (++members > budget.maxMembers) {
      failure = new IngestError(label, null, null, `has more than ${budget.maxMembers} members; refused`);
      return;
    }
    if (file.compression !== 0 && file.compression !== 8) {
      failure = new IngestError(
        where,
        null,
        null,
        `compression method ${file.compression} is not supported (only stored and deflate)`,
      );
      return;
    }
    queue.push({ kind: 'member', name: file.name });
    open = where;
    file.ondata = (error, data, final) => {
      if (final) open = null;
      if (failure !== null) return;
      if (error !== null) {
        failure = new IngestError(where, null, null, `cannot be inflated: ${error.message}`);
        return;
      }
      try {
        budget.expanded(data.length, where);
        queue.push({ kind: 'data', data, final });
      } catch (e) {
        failure = e;
      }
    };
    file.start();
  });
  unzip.register(UnzipInflate);
  unzip.register(UnzipPassThrough);
  let sawData = false;
  const pull = pushFrom(
    input,
    (piece, final) => {
      if (piece.length > 0) sawData = true;
      try {
        unzip.push(piece, final);
      } catch (error) {
        if (final && open !== null)
          throw new IngestError(open, null, null, 'the archive ends inside this member (truncated download?)');
        throw new IngestError(current, null, null, `not a readable zip archive: ${(error as Error).message}`);
      }
      if (failure !== null) throw failure;
    },
    budget,
  );

  /** The next piece, pulling input as needed; null at the end of the input. */
  const next = async (): Promise<Piece | null> => {
    while (queue.length === 0) if (!(await pull())) return null;
    return queue[0]!;
  };

  async function* memberBytes(where: string): AsyncGenerator<Uint8Array> {
    for (;;) {
      const piece = await next();
      if (piece === null)
        throw new IngestError(where, null, null, 'the archive ends inside this member (truncated download?)');
      if (piece.kind === 'member') return;
      queue.shift();
      if (piece.data.length > 0) yield* slices(piece.data);
      if (piece.final) return;
    }
  }

  for (;;) {
    const piece = await next();
    if (piece === null) break;
    queue.shift();
    if (piece.kind !== 'member') continue; // the rest of a member its reader abandoned
    current = `${label}!${piece.name}`;
    budget.startMember();
    if (piece.name.endsWith('/')) continue;
    yield { name: piece.name, bytes: memberBytes(current) };
  }
  if (!sawData) throw new IngestError(label, null, null, 'empty file: not a zip archive');
}
