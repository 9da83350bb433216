import { readFileSync } from 'node:fs';

/** plotly.js-dist-min as the report inlines it: its bytes and the CSP hash of its text. */
export interface PlotlyBundle {
  readonly bytes: Buffer;
  readonly cspHash: string;
}

let cached: PlotlyBundle | undefined;

/**
 * plotly.js-dist-min as the build copied it into assets/, checked there to be safe to inline in a `<script>`
 * element, with the CSP hash the build computed of it (scripts/plotly-asset.mjs), read once per process as bytes.
 * Its 4.6 MB are never turned into a string: a few non-ASCII characters make V8 hold it as two bytes per character,
 * and decoding and re-encoding it took most of the report's time.
 */
export function plotlyBundle(): PlotlyBundle {
  cached ??= {
    bytes: readFileSync(new URL('../assets/plotly.min.js', import.meta.url)),
    cspHash: readFileSync(new URL('../assets/plotly.min.js.csp', import.meta.url), 'utf8'),
  };
  return cached;
}
