// What a run measures: the grid of sizes and forest shapes, and how long each measurement may take.
import type { Flags } from './args.js';
import { SCORE_ROW_LIMITS } from './cell.js';

/** Default grid; `--huge` adds 10M rows. */
export const SIZES = [10_000, 100_000, 1_000_000];
export const HUGE_SIZE = 10_000_000;
export const TREES = [100, 200];
export const MAX_SAMPLES = [256, 1024];

/**
 * Default budget: 3 interleaved rounds of ~0.4 s per contender (at least one call each), the reference's TreeSHAP
 * on ~0.4 s of rows, the thread comparison of TreeSHAP on ~1 s of rows. `--quick` cuts every figure.
 */
/** How long each measurement may take (see BUDGET). */
export interface Budget {
  rounds: number;
  roundMs: number;
  maxIterations: number;
  explainReferenceMs: number;
  explainThreadsMs: number;
}

/** What one run measures: the grid, the budget, and the largest sizes the slow implementations score. */
export interface Plan {
  sizes: number[];
  trees: number[];
  maxSamples: number[];
  budget: Budget;
  scoreRowLimits: { reference: number; jsPeer: number; mlPeer: number };
  explainSize: number;
}

export const BUDGET: Budget = {
  rounds: 3,
  roundMs: 400,
  maxIterations: 25,
  explainReferenceMs: 400,
  explainThreadsMs: 1000,
};
export const QUICK_BUDGET: Budget = {
  rounds: 2,
  roundMs: 100,
  maxIterations: 5,
  explainReferenceMs: 100,
  explainThreadsMs: 200,
};

/**
 * The grid and budget for the command-line flags: `--quick` (10k rows, 100 trees, maxSamples 256, small budget),
 * `--huge` (adds 10M rows), and explicit `--sizes`, `--trees`, `--max-samples`, `--rounds`.
 */
export function planFor(flags: Flags): Plan {
  const grid = flags.quick
    ? { sizes: [10_000], trees: [100], maxSamples: [256], budget: { ...QUICK_BUDGET } }
    : {
        sizes: flags.huge ? [...SIZES, HUGE_SIZE] : [...SIZES],
        trees: [...TREES],
        maxSamples: [...MAX_SAMPLES],
        budget: { ...BUDGET },
      };
  const plan: Plan = { ...grid, scoreRowLimits: { ...SCORE_ROW_LIMITS }, explainSize: 0 };
  if (flags.sizes !== undefined) plan.sizes = flags.sizes;
  if (flags.trees !== undefined) plan.trees = flags.trees;
  if (flags.maxSamples !== undefined) plan.maxSamples = flags.maxSamples;
  if (flags.rounds !== undefined) plan.budget.rounds = flags.rounds;
  if (flags.referenceRows !== undefined) plan.scoreRowLimits.reference = flags.referenceRows;
  if (flags.peerRows !== undefined) plan.scoreRowLimits.jsPeer = plan.scoreRowLimits.mlPeer = flags.peerRows;
  plan.explainSize = explainSize(plan.sizes);
  for (const size of plan.sizes) {
    for (const m of plan.maxSamples) {
      if (m > size) throw new Error(`--max-samples ${m} exceeds the ${size}-row size`);
    }
  }
  return plan;
}

/**
 * The one size at which TreeSHAP is measured for each forest shape: the largest up to 100k rows (else the
 * smallest). Its cost per row depends on the forest, not on how many rows there are, and only a slice is explained.
 */
export function explainSize(sizes: readonly number[]): number {
  const small = sizes.filter((s) => s <= 100_000);
  return small.length > 0 ? Math.max(...small) : Math.min(...sizes);
}
