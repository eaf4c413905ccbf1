/** The five NAS-Bench-201 edge operations, in the benchmark's order (indices used by every encoding). */
export const NB201_OPS = ['none', 'skip_connect', 'nor_conv_1x1', 'nor_conv_3x3', 'avg_pool_3x3'] as const;

/** One NAS-Bench-201 edge operation. */
export type Nb201Op = (typeof NB201_OPS)[number];

const opIndex = new Map<string, number>(NB201_OPS.map((op, index) => [op, index]));

/** Index of an op in {@link NB201_OPS}, or -1 for a string that is not an op. */
export function nb201OpIndex(name: string): number {
  return opIndex.get(name) ?? -1;
}

/** True when `value` names an NB201 op. */
export function isNb201Op(value: unknown): value is Nb201Op {
  return typeof value === 'string' && opIndex.has(value);
}
