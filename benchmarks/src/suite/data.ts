// The rows every implementation is measured on: the six model features of a synthetic tenant (the notebook's
// per-user z-scores and distinct counts over generated logon user-days), generated once per size and handed to each
// implementation in the form its API takes. Converting to that form is not timed, except where our own API does it
// (the WASM core's fit and score take float64 columns and convert them to float32 inside the timed call).
import { mulberry32 } from '@isoforest/common';
import type { Columns } from '@isoforest/reference';
import { Table } from 'apache-arrow';
import { buildFeatureTable, MODEL_FEATURES, modelFeatureColumns } from '@isoforest/features';
import { generateUserDays } from '@isoforest/synth';

/** Days of logons per tenant; the number of users is chosen so the tenant has at least the rows asked for. */
const DAYS = 30;
/** User-days per user per day, roughly (people skip weekends, service accounts never do): sizes the tenant. */
const ROWS_PER_USER_DAY = 0.7;
export const DATA_SEED = 20240601;

/**
 * The first `rows` user-days (day by day, user by user) of a synthetic tenant of `DAYS` days, as its six model
 * features; the features are computed over the whole tenant, as a hunt over those days would.
 */
export function makeDataset(rows: number, seed = DATA_SEED): Dataset {
  let users = Math.max(10, Math.ceil((rows / (DAYS * ROWS_PER_USER_DAY)) * 1.05));
  for (;;) {
    const userDays = new Table([...generateUserDays({ users, days: DAYS, seed })]);
    if (userDays.numRows >= rows) {
      const columns = modelFeatureColumns(buildFeatureTable(userDays)).map((column) => column.slice(0, rows));
      return new Dataset(
        columns,
        `synthetic tenant (${users.toLocaleString('en-US')} users x ${DAYS} days, seed ${seed}), first ${rows.toLocaleString('en-US')} user-days`,
      );
    }
    users = Math.ceil(users * 1.2);
  }
}

/** One set of rows of the six model features, in every form the implementations take, each built once. */
export class Dataset {
  readonly rows: number;
  readonly featureNames: readonly string[] = MODEL_FEATURES;

  /** @param columns one per name of MODEL_FEATURES, all of one length */
  constructor(
    readonly columns: readonly Float64Array[],
    readonly description: string,
  ) {
    this.rows = columns[0].length;
  }

  /** Named float64 columns: what `model.fit`, `model.score` and `model.explain` take. */
  get record(): Readonly<Record<string, Float64Array>> {
    this.#record ??= Object.fromEntries(this.featureNames.map((name, c) => [name, this.columns[c]]));
    return this.#record;
  }

  /** Column-major float32 `{ data, rows, columns }`: what the reference implementation takes. */
  get float32(): Columns {
    if (this.#float32 === undefined) {
      const data = new Float32Array(this.rows * this.columns.length);
      this.columns.forEach((column, c) => data.set(column, c * this.rows));
      this.#float32 = { data, rows: this.rows, columns: this.columns.length };
    }
    return this.#float32;
  }

  /** One `{ feature: value }` object per row: what `isolation-forest` takes. */
  get objects(): Record<string, number>[] {
    this.#objects ??= this.objectRows(Array.from({ length: this.rows }, (_, r) => r));
    return this.#objects;
  }

  /** One `[value, ...]` array per row: what `ml-isolation-forest` takes. */
  get arrays(): number[][] {
    this.#arrays ??= this.arrayRows(Array.from({ length: this.rows }, (_, r) => r));
    return this.#arrays;
  }

  /** The rows at `indices` as objects. */
  objectRows(indices: readonly number[]): Record<string, number>[] {
    return indices.map((r) => {
      const row: Record<string, number> = {};
      this.featureNames.forEach((name, c) => (row[name] = this.columns[c][r]));
      return row;
    });
  }

  /** The rows at `indices` as arrays. */
  arrayRows(indices: readonly number[]): number[][] {
    return indices.map((r) => this.columns.map((column) => column[r]));
  }

  /** The first `rows` rows as a dataset of their own (views, no copy of the float64 columns). */
  head(rows: number): Dataset {
    return new Dataset(
      this.columns.map((column) => column.subarray(0, rows)),
      `${this.description}, first ${rows.toLocaleString('en-US')}`,
    );
  }

  /**
   * The dataset without repeated rows (equal once rounded to float32, as the core sees them), in order of first
   * appearance. The explain groups run on it: the WASM core explains each distinct row of a block once, which the
   * reference does not, so repeats would flatter the core's kernel.
   */
  distinct(): Dataset {
    const seen = new Set<string>();
    const keep: number[] = [];
    for (let r = 0; r < this.rows; r++) {
      const key = this.columns.map((column) => Math.fround(column[r])).join(',');
      if (!seen.has(key)) {
        seen.add(key);
        keep.push(r);
      }
    }
    return new Dataset(
      this.columns.map((column) => Float64Array.from(keep, (r) => column[r])),
      `${this.description}, its ${keep.length.toLocaleString('en-US')} distinct rows`,
    );
  }

  #record: Record<string, Float64Array> | undefined;
  #float32: Columns | undefined;
  #objects: Record<string, number>[] | undefined;
  #arrays: number[][] | undefined;
}

/**
 * `count` distinct row indices below `rows`, drawn uniformly (Floyd's algorithm) from a generator seeded with
 * `seed`: O(count) time and memory whatever the number of rows.
 */
export function sampleRowIndices(rows: number, count: number, seed: number): number[] {
  const uniform = mulberry32(seed);
  const below = (n: number) => Math.floor(uniform() * n);
  const chosen = new Set<number>();
  for (let j = rows - count; j < rows; j++) {
    const t = below(j + 1);
    chosen.add(chosen.has(t) ? j : t);
  }
  return [...chosen];
}
