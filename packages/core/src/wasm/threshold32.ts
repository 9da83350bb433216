const scratchF32 = new Float32Array(1);
const scratchU32 = new Uint32Array(scratchF32.buffer);

/**
 * The largest float32 not above the float64 `threshold` (docs/forest.md, "Flat layout"). For every float32 `x`,
 * `x <= threshold32(t)` exactly when `x <= t`, so the core compares float32 with float32 and still takes
 * scikit-learn's branch, including for values equal to a threshold.
 */
export function threshold32(threshold: number): number {
  scratchF32[0] = threshold;
  if (scratchF32[0] <= threshold) return scratchF32[0];
  // Rounded up: step one float32 toward -Infinity.
  if (scratchF32[0] === 0) {
    scratchU32[0] = 0x80000001; // the negative float32 closest to zero
  } else if (scratchF32[0] > 0) {
    scratchU32[0] -= 1;
  } else {
    scratchU32[0] += 1;
  }
  return scratchF32[0];
}
