import type { IngestStats, InMemoryFile, InputReport } from '@isoforest/ingest/browser';
import type { HuntReport, UserDayResult } from '@isoforest/report/browser';
import type { HuntParams } from './params.js';

/** What the page asks of a hunt worker (`huntWorker.ts`). */
export type WorkerRequest =
  /** Read dropped files into one user-day table. */
  | { readonly kind: 'read'; readonly files: readonly InMemoryFile[] }
  /** Hunt the table (Arrow IPC bytes, from a `read`) with these parameters on `threads` threads. */
  | {
      readonly kind: 'hunt';
      readonly table: Uint8Array;
      readonly params: HuntParams;
      readonly threads: number;
      readonly source: string;
    }
  /** Explain the result row at `rank` of the last hunt (for a row the explain scope left out). */
  | { readonly kind: 'explain'; readonly rank: number };

/** What a hunt worker answers. */
export type WorkerReply =
  | { readonly kind: 'progress'; readonly done: number; readonly total: number }
  /** The hunt has its core loaded and is fitting: from now on, cancelling it stops real work. */
  | { readonly kind: 'fitting' }
  | {
      readonly kind: 'read';
      readonly table: Uint8Array;
      readonly rows: number;
      readonly stats: IngestStats;
      /** What each raw-event input (a file, an archive member) held, or why it was skipped. */
      readonly inputs: readonly InputReport[];
    }
  | { readonly kind: 'hunted'; readonly hunt: HuntOutcome }
  | { readonly kind: 'explained'; readonly rank: number; readonly row: UserDayResult }
  | { readonly kind: 'error'; readonly message: string };

/** A finished hunt, as the page shows and exports it. */
export interface HuntOutcome {
  /** Every result row, ranked (the report's data: the page's charts are the report's). */
  readonly report: HuntReport;
  /** The model in the native format (what `isoforest hunt --save-model` writes). */
  readonly model: Uint8Array;
  /** The numeric columns of the feature table: what the forest may be fitted on. */
  readonly numericColumns: readonly string[];
  /** `scores.csv` and `outliers.csv`, as the CLI writes them. */
  readonly scoresCsv: string;
  readonly outliersCsv: string;
  /** Seconds the hunt took in the worker (fit, scores, explanations). */
  readonly seconds: number;
  /** Threads that scored and explained (fewer than asked for when the hunt is too small to gain from more). */
  readonly threads: number;
}
