/**
 * The seven DARTS / NAS-Bench-301 operations, in DARTS's `PRIMITIVES` order without `none` (which a derived genotype
 * never contains). An op's index here is its column in the encodings.
 */
export const DARTS_OPS = [
  'max_pool_3x3',
  'avg_pool_3x3',
  'skip_connect',
  'sep_conv_3x3',
  'sep_conv_5x5',
  'dil_conv_3x3',
  'dil_conv_5x5',
] as const;

/** One DARTS operation. */
export type DartsOp = (typeof DARTS_OPS)[number];

const opIndex = new Map<string, number>(DARTS_OPS.map((op, index) => [op, index]));

/** Index of an op in {@link DARTS_OPS}, or -1 for a string that is not an op. */
export function dartsOpIndex(name: string): number {
  return opIndex.get(name) ?? -1;
}

/** True when `value` names a DARTS op. */
export function isDartsOp(value: unknown): value is DartsOp {
  return typeof value === 'string' && opIndex.has(value);
}
