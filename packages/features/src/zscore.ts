/**
 * The notebook's per-user z-score of one count, clipped at 0 and log-scaled: log10(max(0, (value - mean) / std) + 1).
 * When the user's standard deviation is 0 or undefined (NaN: a user with a single day) the z-score is meaningless,
 * so the count itself is log-scaled instead: 0 for 0, else log10(value + 1).
 * The result is >= 0 (dimensionless); 0 means "not above this user's usual level".
 */
export function clippedLogZscore(value: number, mean: number, std: number): number {
  if (std === 0 || Number.isNaN(std)) return value === 0 ? 0 : Math.log10(value + 1);
  const z = (value - mean) / std;
  // log10(max(0, z) + 1) is exactly 0 for z <= 0: skipping the logarithm there halves the cost on typical data.
  return z > 0 ? Math.log10(z + 1) : 0;
}
