/**
 * Typed errors of the public API. Each carries the fields a caller needs to act on it (which column, which row,
 * which tree and node) and a one-line message that names them, so a CLI can print `error.message` as is.
 */

/** Base class of every error isoforest throws on purpose; anything else is a bug. */
export class IsoforestError extends Error {
  override readonly name: string = 'IsoforestError';
}

/** Where in the input a problem was found. `row` is 0-based over the whole input, not over a block. */
export interface InputLocation {
  readonly column?: string;
  readonly row?: number;
}

/** The data given to fit or score is unusable: a missing or non-numeric column, a null, NaN or infinite value, no rows. */
export class InputError extends IsoforestError {
  override readonly name = 'InputError';
  /** The feature (column) name, when the problem is in one column. */
  readonly column: string | undefined;
  /** The 0-based row, when the problem is in one row. */
  readonly row: number | undefined;

  constructor(message: string, location: InputLocation = {}) {
    super(message);
    this.column = location.column;
    this.row = location.row;
  }
}

/** A fit option is out of range or of the wrong type. */
export class OptionsError extends IsoforestError {
  override readonly name = 'OptionsError';
  /** The option's name, as spelt in the options object (e.g. `maxSamples`). */
  readonly option: string;

  constructor(option: string, message: string) {
    super(`invalid option ${option}: ${message}`);
    this.option = option;
  }
}

/** Where in a model file a problem was found. */
export interface ModelLocation {
  readonly tree?: number;
  readonly node?: number;
  readonly field?: string;
}

/**
 * A model (scikit-learn JSON or native file) is malformed, of an unknown format or version, or breaks an invariant
 * of the forest (a cycle, an out-of-range child, a non-finite threshold...). Raised before any of it reaches the
 * engine, so a hostile file can never cause a trap, a hang or an out-of-bounds read.
 */
export class ModelFormatError extends IsoforestError {
  override readonly name = 'ModelFormatError';
  /** 0-based tree (estimator) index, when the problem is inside one tree. */
  readonly tree: number | undefined;
  /** 0-based node index within that tree (its index in the file), when the problem is at one node. */
  readonly node: number | undefined;
  /** The offending field (e.g. `children_left`, `threshold`, `metadata.version`). */
  readonly field: string | undefined;

  constructor(problem: string, location: ModelLocation = {}) {
    super(`invalid model: ${describeModelLocation(location)}${problem}`);
    this.tree = location.tree;
    this.node = location.node;
    this.field = location.field;
  }
}

function describeModelLocation({ tree, node, field }: ModelLocation): string {
  const parts: string[] = [];
  if (tree !== undefined) parts.push(`tree ${tree}`);
  if (node !== undefined) parts.push(`node ${node}`);
  if (field !== undefined) parts.push(field);
  return parts.length === 0 ? '' : `${parts.join(', ')}: `;
}
