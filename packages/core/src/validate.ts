import { ModelFormatError } from './errors.js';
import { SKLEARN_TREE_LEAF } from './sklearnJson.js';

/**
 * What the checks of both model sources share (scikit-learn JSON in sklearnChecks.ts, native files in
 * formatChecks.ts): the walk that proves a tree is a proper binary tree, and the checks of the scalars both carry.
 * After either source's checks a forest is a set of proper binary trees (every node reached from its root exactly
 * once, children in range, depth within scikit-learn's limit), every split reads an existing feature with a finite
 * threshold, and the node counts add up, so scoring cannot trap, loop or read out of bounds.
 */

/** The largest node count an Int32Array index can address. */
export const MAX_INT32 = 2 ** 31 - 1;
/** The child index checkTreeStructure is given for a leaf (scikit-learn's TREE_LEAF; the flat layout's leaves map to it). */
export const NO_CHILD = SKLEARN_TREE_LEAF;

/**
 * Walks one tree from its root (node 0) with an explicit stack: each node must be reached exactly once (no cycle,
 * no node shared by two parents, none unreachable), no deeper than `maxDepth`, and an internal node's count must be
 * the sum of its children's. Children indices must already be in `[0, nodes)`, or NO_CHILD for leaves.
 */
export function checkTreeStructure(
  tree: number,
  nodes: number,
  leftOf: (node: number) => number,
  rightOf: (node: number) => number,
  samplesOf: (node: number) => number,
  maxDepth: number,
): void {
  const depth = new Int32Array(nodes).fill(-1);
  const stack = [0];
  depth[0] = 0;
  let reached = 1;
  while (stack.length > 0) {
    const node = stack.pop() as number;
    const left = leftOf(node);
    if (left === NO_CHILD) continue;
    const right = rightOf(node);
    if (depth[node] >= maxDepth) {
      throw new ModelFormatError(`splits at depth ${depth[node]}, beyond the depth limit ${maxDepth} of max_samples`, {
        tree,
        node,
      });
    }
    for (const child of [left, right]) {
      if (depth[child] !== -1) {
        throw new ModelFormatError(`child ${child} is reached twice (a cycle or a shared node)`, { tree, node });
      }
      depth[child] = depth[node] + 1;
      reached++;
      stack.push(child);
    }
    if (samplesOf(left) + samplesOf(right) !== samplesOf(node)) {
      throw new ModelFormatError(
        `node count ${samplesOf(node)} is not the sum of its children's ${samplesOf(left)} + ${samplesOf(right)}`,
        { tree, node },
      );
    }
  }
  if (reached !== nodes) {
    const orphan = depth.indexOf(-1);
    throw new ModelFormatError(`is not reachable from the root`, { tree, node: orphan });
  }
}

/** Feature names: `count` distinct non-empty strings. */
export function validateFeatureNames(names: unknown, count: number, field: string): asserts names is string[] {
  if (!Array.isArray(names) || names.length !== count) {
    throw new ModelFormatError(`must be an array of ${count} names`, { field });
  }
  const seen = new Set<string>();
  for (const name of names) {
    if (typeof name !== 'string' || name.length === 0)
      throw new ModelFormatError(`${show(name)} is not a name`, { field });
    if (seen.has(name)) throw new ModelFormatError(`"${name}" appears twice`, { field });
    seen.add(name);
  }
}

/** `max_samples`: a positive integer (1 is a forest of one-row trees, which scores every row -0.5 as scikit-learn does). */
export function validateMaxSamples(value: unknown, field: string): asserts value is number {
  if (!isInteger(value) || value < 1 || value > MAX_INT32) {
    throw new ModelFormatError(`${show(value)} is not a positive integer`, { field });
  }
}

/** `offset`: a finite number. */
export function validateOffset(value: unknown, field: string): asserts value is number {
  if (typeof value !== 'number' || !Number.isFinite(value)) {
    throw new ModelFormatError(`${show(value)} is not a finite number`, { field });
  }
}

/** `contamination`: "auto" or a number in (0, 0.5]. */
export function validateContamination(value: unknown, field: string): asserts value is 'auto' | number {
  if (value === 'auto') return;
  if (typeof value !== 'number' || !(value > 0 && value <= 0.5)) {
    throw new ModelFormatError(`${show(value)} is not "auto" or a number in (0, 0.5]`, { field });
  }
}

export function isInteger(value: unknown): value is number {
  return typeof value === 'number' && Number.isInteger(value);
}

/** A short, safe rendering of an untrusted value for a message. */
export function show(value: unknown): string {
  const text = typeof value === 'string' ? JSON.stringify(value) : String(value);
  return text.length > 40 ? `${text.slice(0, 37)}...` : text;
}
