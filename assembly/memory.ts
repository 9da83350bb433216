/** The first free byte after the module's static data: the host lays out its regions from here. */
export function heapBase(): usize {
  return __heap_base;
}
