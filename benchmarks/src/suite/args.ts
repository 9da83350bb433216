// Command-line flags of `npm run bench -w benchmarks -- [flags]`.
import { parseArgs } from 'node:util';

export const USAGE = `usage: node benchmarks/dist/run.js [options]  (or: npm run bench -w benchmarks -- [options])
  --quick               10k rows, 100 trees, maxSamples 256, short budget (a smoke run, < 1 minute)
  --huge                add 10M rows to the grid
  --sizes N,N           rows per dataset (default 10000,100000,1000000)
  --trees N,N           trees per forest (default 100,200)
  --max-samples N,N     rows per tree (default 256,1024)
  --rounds N            interleaved rounds per measurement (default 3)
  --reference-rows N    largest size the TS reference scores (default 100000)
  --peer-rows N         largest size the npm peers score (default 10000)
  --threads N           threads of the all-threads rows (default: os.availableParallelism(); 1 = none)
  --suite NAME,NAME     comparison (default), explain (TreeSHAP variants incl. the notebook forest), score
                        (the single score comparison), dedupe (explaining each distinct row once vs every
                        row, on a synthetic tenant and on all-distinct rows), evtx (EVTX reader), parallel (pool, 2M rows),
                        io-read (CSV readers: ours vs csv-parse, papaparse, d3-dsv)
                        io-write (CSV and Parquet writers vs d3-dsv, papaparse, parquet-wasm; IO_WRITE_ROWS)
  --out DIR             where results.md and results.json go (default: bench-results at the repository root)`;

function integers(flag: string, text: string | undefined): number[] | undefined {
  if (text === undefined) return undefined;
  const values = text.split(',').map((part) => Number(part.replaceAll('_', '')));
  if (values.some((v) => !Number.isInteger(v) || v < 1))
    throw new Error(`--${flag} takes positive integers separated by commas, got "${text}"`);
  return values;
}

export interface Flags {
  readonly quick: boolean;
  readonly huge: boolean;
  readonly sizes: number[] | undefined;
  readonly trees: number[] | undefined;
  readonly maxSamples: number[] | undefined;
  readonly rounds: number | undefined;
  readonly referenceRows: number | undefined;
  readonly peerRows: number | undefined;
  readonly threads: number | undefined;
  readonly suites: string[];
  readonly out: string | undefined;
  readonly help: boolean;
}

/** The flags, parsed and checked; throws with a one-line message naming a bad one. */
export function parseFlags(argv: readonly string[]): Flags {
  const { values } = parseArgs({
    args: [...argv],
    options: {
      quick: { type: 'boolean', default: false },
      huge: { type: 'boolean', default: false },
      sizes: { type: 'string' },
      trees: { type: 'string' },
      'max-samples': { type: 'string' },
      rounds: { type: 'string' },
      'reference-rows': { type: 'string' },
      'peer-rows': { type: 'string' },
      threads: { type: 'string' },
      suite: { type: 'string', default: 'comparison' },
      out: { type: 'string' },
      help: { type: 'boolean', default: false },
    },
    strict: true,
  });
  const suites = values.suite.split(',');
  const known = ['comparison', 'explain', 'dedupe', 'score', 'evtx', 'parallel', 'io-read', 'io-write'];
  const unknown = suites.filter((s) => !known.includes(s));
  if (unknown.length > 0)
    throw new Error(`--suite: unknown suite ${unknown.join(', ')}; the suites are ${known.join(', ')}`);
  return {
    quick: values.quick,
    huge: values.huge,
    sizes: integers('sizes', values.sizes),
    trees: integers('trees', values.trees),
    maxSamples: integers('max-samples', values['max-samples']),
    rounds: integers('rounds', values.rounds)?.[0],
    referenceRows: integers('reference-rows', values['reference-rows'])?.[0],
    peerRows: integers('peer-rows', values['peer-rows'])?.[0],
    threads: integers('threads', values.threads)?.[0],
    suites,
    out: values.out,
    help: values.help,
  };
}
