/**
 * Column-major float32 rows for the engine-level suites: three Gaussian clusters, every 997th row far out. Seeded,
 * so every run and every implementation sees the same rows.
 */
export function syntheticRows(rows, columns) {
  const data = new Float32Array(rows * columns);
  let s = 12345;
  const uniform = () => {
    s = (Math.imul(s, 1103515245) + 12345) >>> 0;
    return (s + 0.5) / 2 ** 32;
  };
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
