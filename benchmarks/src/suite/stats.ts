// Summary statistics of timing samples. The definitions are tinybench's (linearly interpolated quantiles, relative
// margin of error = 100 * t(95%, df) * sem / mean), applied to the samples pooled over every round of a task.
import { linearQuantile } from '@isoforest/common';
import type { Task } from 'tinybench';

/** Two-sided 95% critical values of Student's t for 1..30 degrees of freedom; 1.96 beyond. */
const T_95 = [
  12.706, 4.303, 3.182, 2.776, 2.571, 2.447, 2.365, 2.306, 2.262, 2.228, 2.201, 2.179, 2.16, 2.145, 2.131, 2.12, 2.11,
  2.101, 2.093, 2.086, 2.08, 2.074, 2.069, 2.064, 2.06, 2.056, 2.052, 2.048, 2.045, 2.042,
];

function tCritical(df: number): number {
  if (df < 1) return NaN;
  return df <= T_95.length ? T_95[df - 1] : 1.96;
}

export interface Summary {
  readonly n: number;
  readonly min: number;
  readonly p25: number;
  readonly median: number;
  readonly p75: number;
  readonly max: number;
  readonly mean: number;
  readonly rme: number;
}

/**
 * Summary of durations in milliseconds: `n`, `min`, `p25`, `median`, `p75`, `max`, `mean`, and `rme`, the
 * relative margin of error of the mean at 95% in percent (NaN with a single sample).
 */
export function summarise(samplesMs: readonly number[]): Summary {
  const sorted = [...samplesMs].sort((a, b) => a - b);
  const n = sorted.length;
  const mean = sorted.reduce((sum, x) => sum + x, 0) / n;
  const variance = n > 1 ? sorted.reduce((sum, x) => sum + (x - mean) ** 2, 0) / (n - 1) : NaN;
  const sem = Math.sqrt(variance / n);
  return {
    n,
    min: sorted[0],
    p25: linearQuantile(sorted, 0.25),
    median: linearQuantile(sorted, 0.5),
    p75: linearQuantile(sorted, 0.75),
    max: sorted[n - 1],
    mean,
    rme: (100 * tCritical(n - 1) * sem) / mean,
  };
}

/** Rows per second of a call that processed `rows` rows in `ms` milliseconds. */
export function rowsPerSecond(rows: number, ms: number): number {
  return (rows / ms) * 1000;
}

/** The result of a task that ran to the end; a failed or aborted task stops the suite. */
export function completed(task: Task): Extract<Task['result'], { state: 'completed' }> {
  const { result } = task;
  if (result.state !== 'completed') throw new Error(`${task.name}: ${result.state}`);
  return result;
}
