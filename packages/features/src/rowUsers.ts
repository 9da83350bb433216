/**
 * Each row's user id as the first pass of a streamed hunt found it, kept in the chunks the batches gave (4 bytes a
 * row): the later passes take a row's user from here and only check its key, instead of looking the key up in the
 * table of users again (a random probe of a table of every user, most of a pass's cost at millions of users).
 */
export class RowUsers {
  private readonly chunks: Int32Array[] = [];
  /** The table row of each chunk's first id. */
  private readonly firstRows: number[] = [];
  private count = 0;

  /** Rows appended so far. */
  get rows(): number {
    return this.count;
  }

  /** Appends the ids of the next rows; the array is kept, not copied. */
  append(ids: Int32Array): void {
    this.chunks.push(ids);
    this.firstRows.push(this.count);
    this.count += ids.length;
  }

  /**
   * The ids of the rows `first` to `first + n` (exclusive): a view of the chunk that holds them all, else a copy;
   * `null` when they reach past the rows appended.
   */
  range(first: number, n: number): Int32Array | null {
    if (first < 0 || n < 0 || first + n > this.count) return null;
    if (n === 0) return new Int32Array(0);
    let c = this.chunkOf(first);
    const start = first - this.firstRows[c];
    if (start + n <= this.chunks[c].length) return this.chunks[c].subarray(start, start + n);
    const ids = new Int32Array(n);
    for (let at = 0, from = start; at < n; c++, from = 0) {
      const piece = this.chunks[c].subarray(from, Math.min(this.chunks[c].length, from + n - at));
      ids.set(piece, at);
      at += piece.length;
    }
    return ids;
  }

  /** The chunk holding row `row` (0 <= row < rows), by binary search. */
  private chunkOf(row: number): number {
    let low = 0;
    let high = this.chunks.length - 1;
    while (low < high) {
      const mid = (low + high + 1) >> 1;
      if (this.firstRows[mid] <= row) low = mid;
      else high = mid - 1;
    }
    return low;
  }
}
