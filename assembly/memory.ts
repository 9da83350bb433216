/** The first free byte after the module's static data: the host lays out its regions from here. */
export function heapBase(): usize {
  return __heap_base;
}

/** `n` rounded up to a multiple of 8 bytes, so an f64 region can start there. */
@inline
export function align8(n: usize): usize {
  return (n + 7) & ~(<usize>7);
}

/** `n` rounded up to a multiple of 16 bytes, so a v128 region can start there. */
@inline
export function align16(n: usize): usize {
  return (n + 15) & ~(<usize>15);
}
