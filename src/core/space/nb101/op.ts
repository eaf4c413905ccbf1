/**
 * The five NAS-Bench-101 vertex labels, in the order nashub lists them (feature columns of the adjacency encoding).
 * The spellings are NAS-Bench-101's own (`nasbench/api.py`).
 */
export const NB101_OPS = ['input', 'conv3x3-bn-relu', 'conv1x1-bn-relu', 'maxpool3x3', 'output'] as const;

/** One NAS-Bench-101 vertex label. */
export type Nb101Op = (typeof NB101_OPS)[number];

/**
 * Ops an interior vertex may carry, in NAS-Bench-101's `available_ops` order: an op's index here is its integer label
 * in the module hash (conv3x3 = 0, conv1x1 = 1, maxpool = 2), and its column in the one-hot and path encodings.
 */
export const NB101_INTERIOR_OPS = ['conv3x3-bn-relu', 'conv1x1-bn-relu', 'maxpool3x3'] as const;

/** One op an interior vertex may carry. */
export type Nb101InteriorOp = (typeof NB101_INTERIOR_OPS)[number];

const interiorIndex = new Map<string, number>(NB101_INTERIOR_OPS.map((op, index) => [op, index]));
const allOps = new Set<string>(NB101_OPS);

/** Index of an interior op in {@link NB101_INTERIOR_OPS}, or -1 for `input`, `output` or a non-op. */
export function nb101InteriorOpIndex(name: string): number {
  return interiorIndex.get(name) ?? -1;
}

/** True when `value` is one of the five NAS-Bench-101 labels. */
export function isNb101Op(value: unknown): value is Nb101Op {
  return typeof value === 'string' && allOps.has(value);
}
