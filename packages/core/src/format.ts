import { ARROW_FILE_MAGIC, structBatch, valuesData } from '@isoforest/common/arrow';
import { arrowFileLayoutProblem } from './arrowFileLayout.js';
import { Field, Float64, Int32, Schema, Table, tableFromIPC, tableToIPC, type DataType } from 'apache-arrow';
import { ModelFormatError } from './errors.js';
import { treeCount } from './forest.js';
import { validateFlatForest, validateModelParams } from './formatChecks.js';
import type { ModelParts } from './modelParts.js';
import { validateContamination, validateFeatureNames, validateMaxSamples, validateOffset } from './validate.js';

/**
 * The native model file: an Arrow IPC file (random-access "file" format) with one row per node of the flat forest
 * and the model's scalars in the schema metadata. Any Arrow reader can inspect it; `readModelFile` validates it
 * fully (formatChecks.ts), once: the model it becomes is not checked again.
 *
 * Node columns: `tree` (Int32, the node's tree), `feature` (Int32, -1 on leaves), `threshold` (Float64), `left`
 * (Int32, forest-wide, -1 on leaves), `nodeSamples` (Int32). Node values are not stored: they are a function of the
 * structure (docs/forest.md), recomputed on load by the same code that computes them after fitting and import, so a
 * file cannot carry values that disagree with its trees and a round trip cannot change a score by even one bit.
 *
 * Metadata (strings): `format` = "isoforest", `version` = {@link MODEL_FORMAT_VERSION}, `featureNames` (JSON
 * array), `maxSamples`, `offset` (shortest round-trip decimal), `contamination` (JSON), `params` (JSON),
 * `treeOffsets` (JSON array, cross-checked against the `tree` column).
 */

/** The `format` metadata value that marks an isoforest model file. */
export const MODEL_FORMAT = 'isoforest';
/** The version of the native model file format this package writes, and the only one it reads. */
export const MODEL_FORMAT_VERSION = 1;

const NODE_COLUMNS = [
  ['tree', new Int32()],
  ['feature', new Int32()],
  ['threshold', new Float64()],
  ['left', new Int32()],
  ['nodeSamples', new Int32()],
] as const;

/** Writes a model as an Arrow IPC file (bytes). */
export function writeModelFile(parts: ModelParts): Uint8Array {
  const { forest, params } = parts;
  const nodes = forest.feature.length;
  const tree = new Int32Array(nodes);
  for (let t = 0; t + 1 < forest.treeOffsets.length; t++) {
    tree.fill(t, forest.treeOffsets[t], forest.treeOffsets[t + 1]);
  }
  const arrays: Record<(typeof NODE_COLUMNS)[number][0], Int32Array | Float64Array> = {
    tree,
    feature: forest.feature,
    threshold: forest.threshold,
    left: forest.left,
    nodeSamples: forest.nodeSamples,
  };
  const metadata = new Map<string, string>([
    ['format', MODEL_FORMAT],
    ['version', String(MODEL_FORMAT_VERSION)],
    ['featureNames', JSON.stringify(parts.featureNames)],
    ['maxSamples', String(params.maxSamples)],
    ['offset', String(parts.offset)],
    ['contamination', JSON.stringify(params.contamination)],
    ['params', JSON.stringify(params)],
    ['treeOffsets', JSON.stringify(Array.from(forest.treeOffsets))],
  ]);
  const fields = NODE_COLUMNS.map(([name, type]) => new Field(name, type, false));
  const children = NODE_COLUMNS.map(([name, type]) => valuesData(type, arrays[name]));
  return tableToIPC(new Table([structBatch(new Schema(fields, metadata), children, nodes)]), 'file');
}

/**
 * Reads and validates a model file written by {@link writeModelFile}. Throws {@link ModelFormatError} if the bytes
 * are not an Arrow IPC file, not an isoforest model, of another format version, or break any forest invariant.
 */
export function readModelFile(bytes: Uint8Array): ModelParts {
  if (!(bytes instanceof Uint8Array)) throw new ModelFormatError('expected the model file as a Uint8Array');
  if (!hasArrowFileMagic(bytes)) {
    throw new ModelFormatError('not an Arrow IPC file (no ARROW1 magic); expected bytes from model.save()');
  }
  const layoutProblem = arrowFileLayoutProblem(bytes.length, (offset, length) =>
    bytes.subarray(offset, offset + length),
  );
  if (layoutProblem !== null) throw new ModelFormatError(`the Arrow IPC file is damaged: ${layoutProblem}`);
  let table: Table;
  try {
    table = tableFromIPC(bytes);
  } catch (error) {
    const reason = error instanceof Error ? error.message : String(error);
    throw new ModelFormatError(`the Arrow IPC file does not parse (${reason})`);
  }
  const metadata = table.schema.metadata;
  const format = metadata.get('format');
  if (format !== MODEL_FORMAT) {
    throw new ModelFormatError(`format is ${JSON.stringify(format ?? null)}, expected "${MODEL_FORMAT}"`, {
      field: 'metadata.format',
    });
  }
  const version = metadata.get('version');
  if (version !== String(MODEL_FORMAT_VERSION)) {
    throw new ModelFormatError(
      `unsupported model format version ${JSON.stringify(version ?? null)}; this isoforest reads version ${MODEL_FORMAT_VERSION}`,
      { field: 'metadata.version' },
    );
  }
  const featureNames = metadataJson(metadata, 'featureNames');
  if (!Array.isArray(featureNames))
    throw new ModelFormatError('must be a JSON array', { field: 'metadata.featureNames' });
  validateFeatureNames(featureNames, featureNames.length, 'metadata.featureNames');
  if (featureNames.length === 0) throw new ModelFormatError('is empty', { field: 'metadata.featureNames' });
  const maxSamples = metadataNumber(metadata, 'maxSamples');
  validateMaxSamples(maxSamples, 'metadata.maxSamples');
  const offset = metadataNumber(metadata, 'offset');
  validateOffset(offset, 'metadata.offset');
  const contamination = metadataJson(metadata, 'contamination');
  validateContamination(contamination, 'metadata.contamination');
  const paramsJson = metadataJson(metadata, 'params');
  if (typeof paramsJson !== 'object' || paramsJson === null || Array.isArray(paramsJson)) {
    throw new ModelFormatError('must be a JSON object', { field: 'metadata.params' });
  }

  const [tree, feature, threshold, left, nodeSamples] = NODE_COLUMNS.map(([name, type]) =>
    nodeColumn(table, name, type),
  );
  const treeOffsets = readTreeOffsets(metadata, tree as Int32Array);
  const forest = {
    treeOffsets,
    feature: feature as Int32Array,
    threshold: threshold as Float64Array,
    left: left as Int32Array,
    nodeSamples: nodeSamples as Int32Array,
  };
  validateFlatForest(forest, featureNames.length, maxSamples);
  const params = validateModelParams(paramsJson as Record<string, unknown>, {
    maxSamples,
    contamination,
    trees: treeCount(forest),
  });
  return { forest, featureNames, offset, params };
}

function hasArrowFileMagic(bytes: Uint8Array): boolean {
  const n = bytes.length;
  const m = ARROW_FILE_MAGIC.length;
  return n >= 2 * m && ARROW_FILE_MAGIC.every((b, i) => bytes[i] === b && bytes[n - m + i] === b);
}

/** A node column, copied out of the IPC buffer so the model does not alias the caller's bytes. */
function nodeColumn(table: Table, name: string, type: DataType): Int32Array | Float64Array {
  const field = `column ${name}`;
  const vector = table.getChild(name);
  if (vector === null) throw new ModelFormatError('is missing', { field });
  // Int32 and Float64 print as themselves; any other type (Int64, Float32, Utf8...) prints differently.
  if (String(vector.type) !== String(type))
    throw new ModelFormatError(`has type ${String(vector.type)}, expected ${String(type)}`, { field });
  if (vector.nullCount > 0) throw new ModelFormatError('has nulls', { field });
  const values = vector.toArray() as Int32Array | Float64Array;
  return values instanceof Float64Array ? new Float64Array(values) : new Int32Array(values);
}

/** `treeOffsets` from the metadata, checked against the `tree` column (each tree a contiguous, ordered run). */
function readTreeOffsets(metadata: Map<string, string>, tree: Int32Array): Int32Array {
  const field = 'metadata.treeOffsets';
  const offsets = metadataJson(metadata, 'treeOffsets');
  if (
    !Array.isArray(offsets) ||
    offsets.length < 2 ||
    !offsets.every((o) => Number.isInteger(o) && o >= 0 && o <= tree.length)
  ) {
    throw new ModelFormatError('must be a JSON array of at least two node indices', { field });
  }
  const treeOffsets = Int32Array.from(offsets as number[]);
  for (let t = 0; t + 1 < treeOffsets.length; t++) {
    for (let i = treeOffsets[t]; i < treeOffsets[t + 1]; i++) {
      if (tree[i] !== t) {
        throw new ModelFormatError(`the tree column says ${tree[i]} but treeOffsets put the node in tree ${t}`, {
          tree: t,
          node: i - treeOffsets[t],
          field: 'column tree',
        });
      }
    }
  }
  return treeOffsets;
}

function metadataJson(metadata: Map<string, string>, key: string): unknown {
  const text = metadata.get(key);
  if (text === undefined) throw new ModelFormatError('is missing', { field: `metadata.${key}` });
  try {
    return JSON.parse(text);
  } catch {
    throw new ModelFormatError('is not valid JSON', { field: `metadata.${key}` });
  }
}

function metadataNumber(metadata: Map<string, string>, key: string): number {
  const value = metadataJson(metadata, key);
  if (typeof value !== 'number')
    throw new ModelFormatError(`${String(value)} is not a number`, { field: `metadata.${key}` });
  return value;
}
