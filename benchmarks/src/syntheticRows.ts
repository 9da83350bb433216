import { mulberry32 } from '@isoforest/common';

/**
 * Column-major float32 rows for the engine-level suites: three Gaussian clusters, every 997th row far out. Seeded,
 * so every run and every implementation sees the same rows.
 */
export function syntheticRows(rows: number, columns: number): { data: Float32Array; rows: number; columns: number } {
  const data = new Float32Array(rows * columns);
  const draw = mulberry32(12345);
  // In (0, 1]: the Box-Muller transform takes a logarithm of it.
  const uniform = () => 1 - draw();
  for (let r = 0; r < rows; r++) {
    const cluster = r % 3;
    const far = r % 997 === 0 ? 8 : 0;
    for (let c = 0; c < columns; c++) {
      const gauss = Math.sqrt(-2 * Math.log(uniform())) * Math.cos(2 * Math.PI * uniform());
      data[c * rows + r] = cluster * 2 + gauss + far;
    }
  }
  return { data, rows, columns };
}
