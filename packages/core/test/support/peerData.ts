/**
 * Data for the ported scikit-learn and shap tests, generated here instead of shipped: stand-ins of the same shape and
 * character as the scikit-learn and shap datasets those tests load (iris, diabetes, california), and the numpy draws
 * (`randn`, `uniform`) they make. The ported properties do not depend on the exact values.
 */

/** A seeded generator of uniform doubles in [0, 1) and standard normal draws (Box-Muller), like numpy's RandomState. */
export interface Draws {
  uniform(low?: number, high?: number): number;
  normal(): number;
}

export function draws(seed: number): Draws {
  let state = seed >>> 0 || 1;
  const next = (): number => {
    // xorshift32: fast, and enough for test data.
    state ^= state << 13;
    state >>>= 0;
    state ^= state >>> 17;
    state ^= state << 5;
    state >>>= 0;
    return state / 2 ** 32;
  };
  return {
    uniform: (low = 0, high = 1) => low + (high - low) * next(),
    normal: () => Math.sqrt(-2 * Math.log(1 - next())) * Math.cos(2 * Math.PI * next()),
  };
}

/** Rows as named float64 columns `x0`, `x1`, ... (the record input every model method takes). */
export type Columns = Record<string, Float64Array>;

export function columnsOf(rows: readonly (readonly number[])[]): Columns {
  const width = rows[0]?.length ?? 0;
  return Object.fromEntries(
    Array.from({ length: width }, (_, c) => [`x${c}`, Float64Array.from(rows, (row) => row[c])]),
  );
}

/** `rows x columns` draws of `draw`, numpy's `rng.randn(rows, columns)` and friends. */
export function matrix(rows: number, columns: number, draw: () => number): number[][] {
  return Array.from({ length: rows }, () => Array.from({ length: columns }, draw));
}

/**
 * An iris stand-in: 150 rows x 4 features, three species of 50 around iris's per-species means and spreads (sepal and
 * petal length and width, cm, one decimal), shuffled as the scikit-learn test permutes iris.
 */
export function irisLike(seed = 0): number[][] {
  const species = [
    { mean: [5.0, 3.4, 1.5, 0.2], sd: [0.35, 0.38, 0.17, 0.1] },
    { mean: [5.9, 2.8, 4.3, 1.3], sd: [0.52, 0.31, 0.47, 0.2] },
    { mean: [6.6, 3.0, 5.6, 2.0], sd: [0.64, 0.32, 0.55, 0.27] },
  ];
  const d = draws(seed + 1);
  const rows = species.flatMap(({ mean, sd }) =>
    Array.from({ length: 50 }, () => mean.map((m, c) => Math.max(0.1, Math.round((m + sd[c] * d.normal()) * 10) / 10))),
  );
  return shuffle(rows, d);
}

/** A diabetes stand-in: 442 rows x 10 features, centred and scaled so each column's sum of squares is 1, as in scikit-learn. */
export function diabetesLike(seed = 0): number[][] {
  const d = draws(seed + 2);
  const raw = matrix(442, 10, () => d.normal());
  // Correlate a few columns, as the serum measurements are.
  for (const row of raw) {
    row[5] = 0.8 * row[4] + 0.6 * row[5];
    row[6] = -0.5 * row[7] + 0.85 * row[6];
  }
  for (let c = 0; c < 10; c++) {
    const mean = raw.reduce((s, row) => s + row[c], 0) / raw.length;
    const norm = Math.sqrt(raw.reduce((s, row) => s + (row[c] - mean) ** 2, 0));
    for (const row of raw) row[c] = (row[c] - mean) / norm;
  }
  return raw;
}

/** A california-housing stand-in (shap's `datasets.california(n_points)`): 8 skewed, heterogeneous columns. */
export function californiaLike(points: number, seed = 0): number[][] {
  const d = draws(seed + 3);
  return Array.from({ length: points }, () => {
    const income = Math.exp(1.3 + 0.45 * d.normal());
    const rooms = Math.exp(1.6 + 0.25 * d.normal());
    return [
      Math.round(income * 1e4) / 1e4,
      Math.round(d.uniform(1, 52)),
      rooms,
      rooms * 0.2 + 0.05 * Math.abs(d.normal()),
      Math.round(Math.exp(7 + 0.75 * d.normal())),
      Math.exp(1 + 0.3 * d.normal()),
      Math.round((32.5 + 9 * d.uniform() ** 2) * 100) / 100,
      Math.round((-124.3 + 10 * d.uniform()) * 100) / 100,
    ];
  });
}

/** scikit-learn's `train_test_split(X, random_state=...)`: a shuffled 75 % / 25 % split. */
export function trainTestSplit(rows: readonly number[][], seed: number): { train: number[][]; test: number[][] } {
  const shuffled = shuffle([...rows], draws(seed + 4));
  const test = Math.ceil(rows.length * 0.25);
  return { train: shuffled.slice(test), test: shuffled.slice(0, test) };
}

function shuffle<T>(rows: T[], d: Draws): T[] {
  for (let i = rows.length - 1; i > 0; i--) {
    const j = Math.floor(d.uniform() * (i + 1));
    [rows[i], rows[j]] = [rows[j], rows[i]];
  }
  return rows;
}

/** ROC AUC of `scores` (larger = positive) against 0/1 `labels`: the share of positive-negative pairs ranked right, ties half. */
export function rocAuc(scores: ArrayLike<number>, labels: ArrayLike<number>): number {
  let right = 0;
  let pairs = 0;
  for (let i = 0; i < scores.length; i++) {
    if (labels[i] !== 1) continue;
    for (let j = 0; j < scores.length; j++) {
      if (labels[j] !== 0) continue;
      pairs++;
      right += scores[i] > scores[j] ? 1 : scores[i] === scores[j] ? 0.5 : 0;
    }
  }
  return right / pairs;
}
