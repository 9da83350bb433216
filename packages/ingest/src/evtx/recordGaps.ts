/**
 * Records a file should hold but no chunk delivered. Chunk headers say which record numbers each chunk holds and
 * the file header (when its CRC verifies) how many chunks are in use and which number the next record gets, so a
 * chunk that was zeroed, or chunks cut off the end of the file, show as record numbers nobody accounted for.
 */
import { MAX_RECORDS_PER_CHUNK, type EvtxIssue } from './chunk.js';

/** What a file header with a valid CRC declares. */
export interface DeclaredLog {
  /** Chunks in use. */
  readonly chunks: number;
  /** The number the next record will get: the log's last record is one less. */
  readonly nextRecord: number;
}

/** Collects the record ranges of one file's chunks as they are read, then names what is missing. */
export class RecordGaps {
  private readonly ranges: (readonly [number, number])[] = [];
  /** Chunk slots present in the file, complete or cut short. */
  private slots = 0;
  /** Declared chunks found all zero. */
  private zeroed = 0;

  constructor(
    private readonly file: string,
    private readonly declared: DeclaredLog | null,
  ) {}

  /** `true` when the header says chunk `index` is in use, so finding it all zero is a loss, not free space. */
  isDeclared(index: number): boolean {
    return this.declared !== null && index < this.declared.chunks;
  }

  /** Notes one chunk slot of the file; `zeroed` when it is in use but holds nothing. */
  slot(zeroed = false): void {
    this.slots++;
    if (zeroed) this.zeroed++;
  }

  /** Notes records whose fate is known: read, or lost and already counted by the chunk's own issue. */
  cover(first: number, last: number): void {
    this.ranges.push([first, last]);
  }

  /** Chunks the header declares that the file does not hold. */
  get chunksMissing(): number {
    return this.declared === null ? 0 : Math.max(0, this.declared.chunks - this.slots);
  }

  /**
   * One issue per run of record numbers that no chunk accounted for, between the oldest record found and the
   * header's last record. Hostile numbers cannot claim more than the unaccounted chunks could have held.
   */
  issues(): EvtxIssue[] {
    const lostChunks = this.zeroed + this.chunksMissing;
    const context = lostChunks === 0 ? '' : ` (${this.chunkSummary()})`;
    const found: EvtxIssue[] = [];
    const sorted = [...this.ranges].sort((a, b) => a[0] - b[0]);
    const unaccounted = Math.max(this.slots + this.chunksMissing - sorted.length, 0);
    let capacity = unaccounted * MAX_RECORDS_PER_CHUNK;
    const gap = (first: number, last: number) => {
      const lost = Math.min(last - first + 1, capacity);
      if (lost <= 0) return;
      capacity -= lost;
      const detail = `records ${first}..${first + lost - 1} are in no chunk that could be read${context}`;
      found.push({ file: this.file, chunk: null, offset: 0, reason: 'records-missing', detail, recordsLost: lost });
    };
    if (sorted.length > 0) {
      let next = sorted[0][0];
      for (const [first, last] of sorted) {
        if (first > next) gap(next, first - 1);
        next = Math.max(next, last + 1);
      }
      if (this.declared !== null && this.declared.nextRecord > next) gap(next, this.declared.nextRecord - 1);
    }
    if (found.length === 0 && lostChunks > 0) {
      // The lost chunks held records older than any found (or nothing readable was left): how many is unknown.
      found.push({
        file: this.file,
        chunk: null,
        offset: 0,
        reason: 'chunks-missing',
        detail: this.chunkSummary(),
        recordsLost: null,
      });
    }
    return found;
  }

  private chunkSummary(): string {
    const parts: string[] = [];
    if (this.zeroed > 0) parts.push(`${this.zeroed} zeroed`);
    if (this.chunksMissing > 0) parts.push(`${this.chunksMissing} missing from the file`);
    return `the header declares ${this.declared?.chunks ?? 0} chunks in use: ${parts.join(', ')}`;
  }
}
