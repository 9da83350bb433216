/**
 * A count cell -> a non-negative whole number, or a reason why not. `238` and `238.0` are counts; `-1`, `2.5`,
 * `1e3`, `` and anything above 2^53 (not exact in a double) are not.
 */
export function parseCount(text: string): number | string {
  const t = text.trim();
  if (t === '') return 'empty, expected a count';
  if (/^-\d+(\.\d*)?$/.test(t)) return `negative count ${t}`;
  if (/^\d+\.\d*[1-9]\d*$/.test(t)) return `fractional count ${t}`;
  if (!/^\d+(\.0*)?$/.test(t)) return `not a count: ${JSON.stringify(text)}`;
  const n = Number(t);
  if (n > Number.MAX_SAFE_INTEGER) return `count ${t} is too large to be exact`;
  return n;
}
