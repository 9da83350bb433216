/**
 * The `k` best rows of a ranking "by descending score, equal scores in row order" among the rows `0..rows-1` that
 * `isCandidate` accepts, best first, in O(rows log k) time and O(k) memory: a bounded heap whose root is the worst
 * row kept. Rows are offered in ascending order, so a row whose score equals the root's never displaces it.
 */
export function topRanking(
  rows: number,
  k: number,
  isCandidate: (row: number) => boolean,
  scoreOf: (row: number) => number,
): Int32Array {
  const heapRows = new Int32Array(k);
  const heapScores = new Float64Array(k);
  let size = 0;
  // `a` ranks below `b`: a lower score, or the same score and a later row.
  const worse = (i: number, j: number) =>
    heapScores[i] < heapScores[j] || (heapScores[i] === heapScores[j] && heapRows[i] > heapRows[j]);
  const swap = (i: number, j: number) => {
    const row = heapRows[i];
    heapRows[i] = heapRows[j];
    heapRows[j] = row;
    const score = heapScores[i];
    heapScores[i] = heapScores[j];
    heapScores[j] = score;
  };
  const siftDown = (start: number) => {
    let i = start;
    for (;;) {
      const left = 2 * i + 1;
      let worst = i;
      if (left < size && worse(left, worst)) worst = left;
      if (left + 1 < size && worse(left + 1, worst)) worst = left + 1;
      if (worst === i) return;
      swap(i, worst);
      i = worst;
    }
  };
  if (k > 0) {
    for (let row = 0; row < rows; row++) {
      if (!isCandidate(row)) continue;
      const score = scoreOf(row);
      if (size < k) {
        let i = size++;
        heapRows[i] = row;
        heapScores[i] = score;
        while (i > 0 && worse(i, (i - 1) >> 1)) {
          swap(i, (i - 1) >> 1);
          i = (i - 1) >> 1;
        }
      } else if (score > heapScores[0]) {
        heapRows[0] = row;
        heapScores[0] = score;
        siftDown(0);
      }
    }
  }
  const order = Array.from({ length: size }, (_, i) => i).sort(
    (i, j) => heapScores[j] - heapScores[i] || heapRows[i] - heapRows[j],
  );
  return Int32Array.from(order, (i) => heapRows[i]);
}
