/** Header suffix Log Analytics exports put on datetime columns. */
const UTC_SUFFIX = ' [UTC]';

/** `MAX_TimeGenerated [UTC]` -> `MAX_TimeGenerated`: the column name without the export's zone suffix. */
export function canonicalColumnName(header: string): string {
  const t = header.trim();
  return t.endsWith(UTC_SUFFIX) ? t.slice(0, -UTC_SUFFIX.length).trimEnd() : t;
}
