/**
 * The browser entry (`@isoforest/ingest/browser`) must load where there is no Node: no module it reaches may import
 * a Node built-in or a package other than apache-arrow, the Arrow helpers of @isoforest/common (which import only
 * apache-arrow), fflate (archives) and hyparquet (Parquet; its browser entry has no Node built-ins).
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const SRC = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', 'src');
const BROWSER_PACKAGES = new Set(['apache-arrow', '@isoforest/common/arrow', 'fflate', 'hyparquet']);

/** Every module specifier `file` imports or re-exports (type-only imports included: harmless, but kept simple). */
function specifiers(file: string): string[] {
  const text = readFileSync(file, 'utf8');
  return [...text.matchAll(/(?:^|\n)\s*(?:import|export)\s[^;]*?from\s+'([^']+)'/g)].map((m) => m[1]!);
}

describe('the browser entry', () => {
  it('reaches only browser-safe modules', () => {
    const seen = new Set<string>();
    const packages = new Set<string>();
    const queue = [path.join(SRC, 'browser.ts')];
    while (queue.length > 0) {
      const file = queue.pop()!;
      if (seen.has(file)) continue;
      seen.add(file);
      for (const spec of specifiers(file)) {
        if (spec.startsWith('.')) queue.push(path.resolve(path.dirname(file), spec.replace(/\.js$/, '.ts')));
        else packages.add(spec);
      }
    }
    // It does reach the CSV text reader and the aggregation, so the walk followed the imports.
    expect([...seen].map((f) => path.relative(SRC, f))).toEqual(
      expect.arrayContaining([
        'csv/readUserDayCsvText.ts',
        'csv/userDayRows.ts',
        'csv/tokenizer.ts',
        'logonDay.ts',
        'events/normalize.ts',
        'readInputFiles.ts',
        'events/eventContent.ts',
        'events/archive.ts',
        'parquet/parquetRead.ts',
        'evtx/logRecords.ts',
        'evtx/binxml.ts',
      ]),
    );
    expect([...packages].sort()).toEqual([...BROWSER_PACKAGES].sort());
  });
});
