import { Dictionary, Float64, Int32, Table, makeData, makeVector, type RecordBatch, type Vector } from 'apache-arrow';
import { readCountColumn } from './countColumn.js';
import { FeatureError } from './errors.js';
import { DERIVED_COLUMNS, ZSCORE_SOURCES, meanColumn, stdColumn, zscoreColumn } from './featureList.js';
import { groupMeanAndStd, type GroupStatistics } from './groupStatistics.js';
import { groupRowsByUser } from './userGroups.js';
import { clippedLogZscore } from './zscore.js';

/**
 * The notebook's feature table: the input user-day table, its columns untouched and in order, followed by, for
 * each count in {@link ZSCORE_SOURCES}, the per-user mean (`<count>_mean`), the per-user sample standard deviation
 * (`<count>_std`, ddof = 1, NaN for a user with one row) and the clipped log z-score (`<count>_zscore`, see
 * {@link clippedLogZscore}). Users are (DstDomain, DstUser) pairs; rows keep their order and count.
 *
 * The mean and std columns are constant per user, so they are dictionary-encoded (Float64 values indexed by an
 * Int32 user id shared by all eight): reading them with `get(row)` gives the float, and they cost 4 bytes a row
 * instead of 64. The z-score columns are plain Float64.
 *
 * Throws a {@link FeatureError} for a missing key or count column, a non-numeric count column, a null, negative or
 * non-finite count (naming the row), a null user key, or an input that already has one of the output columns.
 */
export function buildFeatureTable(userDays: Table): Table {
  rejectDerivedColumns(userDays);
  const counts = ZSCORE_SOURCES.map((source) => readCountColumn(userDays, source));
  const { groupOf, groups } = groupRowsByUser(userDays);
  const statistics = counts.map((values) => groupMeanAndStd(values, groupOf, groups));
  return appendFeatures(userDays, counts, groupOf, statistics);
}

/** Throws a {@link FeatureError} when the input already holds one of the columns the features append. */
export function rejectDerivedColumns(userDays: Table | RecordBatch): void {
  for (const name of DERIVED_COLUMNS) {
    if (userDays.getChild(name) !== null) {
      throw new FeatureError(
        `column ${name} already exists in the input; pass the user-day table, not a feature table`,
        { column: name },
      );
    }
  }
}

/**
 * `userDays` with the feature columns appended, from its rows' counts of {@link ZSCORE_SOURCES} (`counts[k]` for
 * the k-th), each row's user (`groupOf`) and the per-user statistics of each count (`statistics[k]`, indexed by user).
 */
export function appendFeatures(
  userDays: Table | RecordBatch,
  counts: readonly Float64Array[],
  groupOf: Int32Array,
  statistics: readonly GroupStatistics[],
): Table {
  const means: Record<string, Vector> = {};
  const stds: Record<string, Vector> = {};
  const zscores: Record<string, Vector> = {};
  ZSCORE_SOURCES.forEach((source, k) => {
    const { mean, std } = statistics[k];
    means[meanColumn(source)] = perUserColumn(groupOf, mean);
    stds[stdColumn(source)] = perUserColumn(groupOf, std);
    zscores[zscoreColumn(source)] = makeVector(zscoresOf(counts[k], groupOf, statistics[k]));
  });
  const table = userDays instanceof Table ? userDays : new Table(userDays);
  return table.assign(new Table({ ...means, ...stds, ...zscores }));
}

/** Each row's {@link clippedLogZscore} of its count `values[row]` against its user's `statistics`. */
export function zscoresOf(values: Float64Array, groupOf: Int32Array, statistics: GroupStatistics): Float64Array {
  const { mean, std } = statistics;
  const zscore = new Float64Array(values.length);
  for (let row = 0; row < values.length; row++) {
    const g = groupOf[row];
    zscore[row] = clippedLogZscore(values[row], mean[g], std[g]);
  }
  return zscore;
}

/**
 * The dictionary vector of each per-user array, made once: a streamed hunt appends the features batch by batch,
 * and every batch's column then shares one dictionary, which a writer handing batches to worker threads sends once.
 */
const dictionaries = new WeakMap<Float64Array, Vector>();

/** A row-aligned column whose value at `row` is `perUser[groupOf[row]]`, without copying per row. */
export function perUserColumn(groupOf: Int32Array, perUser: Float64Array): Vector {
  const type = new Dictionary(new Float64(), new Int32());
  let dictionary = dictionaries.get(perUser);
  if (dictionary === undefined) {
    dictionary = makeVector(perUser);
    dictionaries.set(perUser, dictionary);
  }
  return makeVector(makeData({ type, length: groupOf.length, nullCount: 0, data: groupOf, dictionary }));
}
