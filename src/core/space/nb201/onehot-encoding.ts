import type { VectorEncoding } from '../search-space';
import type { Nb201Arch } from './cell';
import { NB201_OPS, nb201OpIndex } from './op';

/** Length of the one-hot encoding: 6 edges × 5 ops. */
export const NB201_ONEHOT_LENGTH = 30;

/** One-hot encoding, edge-major: bit `edge * 5 + opIndex` is set for each of the 6 edges (NB201_OPS order). */
export function nb201OnehotEncoding(arch: Nb201Arch): VectorEncoding {
  const vector = new Array<number>(NB201_ONEHOT_LENGTH).fill(0);
  for (let edge = 0; edge < arch.length; edge++) vector[edge * NB201_OPS.length + nb201OpIndex(arch[edge])] = 1;
  return { kind: 'onehot', vector };
}
