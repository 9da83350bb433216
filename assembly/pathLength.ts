// c(n), scikit-learn's _average_path_length, bit-identical to the JavaScript twin: JavaScript engines compute
// Math.log with fdlibm's e_log.c (V8 does), while AssemblyScript's Math.log is musl's table-driven log, which can
// differ in the last bit. So the core carries fdlibm's algorithm.

const EULER_GAMMA: f64 = 0.5772156649015329;

// fdlibm e_log.c constants (Copyright (C) 1993 by Sun Microsystems, Inc.; freely redistributable with this notice).
const LN2_HI: f64 = reinterpret<f64>(0x3FE62E42FEE00000);
const LN2_LO: f64 = reinterpret<f64>(0x3DEA39EF35793C76);
const TWO54: f64 = reinterpret<f64>(0x4350000000000000);
const LG1: f64 = reinterpret<f64>(0x3FE5555555555593);
const LG2: f64 = reinterpret<f64>(0x3FD999999997FA04);
const LG3: f64 = reinterpret<f64>(0x3FD2492494229359);
const LG4: f64 = reinterpret<f64>(0x3FCC71C51D8E78AF);
const LG5: f64 = reinterpret<f64>(0x3FC7466496CB03DE);
const LG6: f64 = reinterpret<f64>(0x3FC39A09D078C69F);
const LG7: f64 = reinterpret<f64>(0x3FC2F112DF3E5244);

function withHighWord(x: f64, high: i32): f64 {
  return reinterpret<f64>((<u64><u32>high << 32) | (reinterpret<u64>(x) & 0xFFFFFFFF));
}

/** Natural logarithm, fdlibm's algorithm step for step (the one JavaScript's Math.log uses in V8). */
export function fdlibmLog(xIn: f64): f64 {
  let x = xIn;
  let hx = <i32>(reinterpret<u64>(x) >>> 32);
  const lx = <u32>reinterpret<u64>(x);
  let k: i32 = 0;
  if (hx < 0x00100000) {
    if (((hx & 0x7FFFFFFF) | lx) == 0) return -Infinity;
    if (hx < 0) return NaN;
    k -= 54;
    x *= TWO54; // subnormal: scale up
    hx = <i32>(reinterpret<u64>(x) >>> 32);
  }
  if (hx >= 0x7FF00000) return x + x;
  k += (hx >> 20) - 1023;
  hx &= 0x000FFFFF;
  let i = (hx + 0x95F64) & 0x100000;
  x = withHighWord(x, hx | (i ^ 0x3FF00000)); // normalise x or x/2 into [sqrt(2)/2, sqrt(2))
  k += i >> 20;
  const f = x - 1.0;
  let dk: f64;
  if ((0x000FFFFF & (2 + hx)) < 3) {
    // -2^-20 <= f < 2^-20
    if (f == 0.0) {
      if (k == 0) return 0.0;
      dk = <f64>k;
      return dk * LN2_HI + dk * LN2_LO;
    }
    const r = f * f * (0.5 - 0.33333333333333333 * f);
    if (k == 0) return f - r;
    dk = <f64>k;
    return dk * LN2_HI - ((r - dk * LN2_LO) - f);
  }
  const s = f / (2.0 + f);
  dk = <f64>k;
  const z = s * s;
  i = hx - 0x6147A;
  const w = z * z;
  const j = 0x6B851 - hx;
  const t1 = w * (LG2 + w * (LG4 + w * LG6));
  const t2 = z * (LG1 + w * (LG3 + w * (LG5 + w * LG7)));
  i |= j;
  const r = t2 + t1;
  if (i > 0) {
    const hfsq = 0.5 * f * f;
    if (k == 0) return f - (hfsq - s * (hfsq + r));
    return dk * LN2_HI - ((hfsq - (s * (hfsq + r) + dk * LN2_LO)) - f);
  }
  if (k == 0) return f - s * (f - r);
  return dk * LN2_HI - ((s * (f - r) - dk * LN2_LO) - f);
}

/** c(n): 0 for n <= 1, 1 for n = 2, otherwise 2 (ln(n - 1) + gamma) - 2 (n - 1) / n. Units: tree levels. */
export function averagePathLength(n: f64): f64 {
  if (n <= 1.0) return 0.0;
  if (n == 2.0) return 1.0;
  return 2.0 * (fdlibmLog(n - 1.0) + EULER_GAMMA) - (2.0 * (n - 1.0)) / n;
}
